"""Bounds on what a request may carry, checked once for every page and form.

An audit found 500s from input the database or Python could not hold: ids beyond a
32-bit column, page numbers past BIGINT, dates next to year 1 or 9999, NUL bytes (which
PostgreSQL refuses in text) and over-long text. Each is refused here with a 400, a 404 or
a form error, in the user's language, before it reaches a query.
"""

import re
from datetime import date

from flask import abort, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.routing import IntegerConverter
from wtforms import DateField, Form, IntegerField, StringField
from wtforms.meta import DefaultMeta
from wtforms.validators import Length, ValidationError

# Every id and count column is a 32-bit INTEGER on PostgreSQL.
MAX_DB_INT = 2**31 - 1
# Far enough for any real date (records, harvests, reports); near year 1 or 9999 a day's
# UTC bounds or the next day overflow Python's date.
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2999, 12, 31)
# Beside every amount field that money.yuan_to_fen refuses as too large.
AMOUNT_TOO_LARGE = _l("The amount is too large: at most ¥100,000,000.")
_INTEGER = re.compile(r"-?[0-9]{1,30}")
# Text fields without their own Length (search boxes, free text) stop here.
MAX_TEXT = 5000


class IdConverter(IntegerConverter):
    """`<int:...>` limited to the database's integer range: a bigger id is simply 404.

    ASCII digits only: `\\d` also matches '²', which `int()` refuses (a 500).
    """

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_DB_INT, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def query_int(name: str, default=None, minimum: int = 1, maximum: int = MAX_DB_INT):
    """An integer from the query string: `default` when absent, not a number or below
    `minimum` (page=-3 was always page 1), 400 above `maximum` (a page past the end of
    BIGINT, an id past INTEGER)."""
    raw = request.args.get(name, "").strip()
    if not _INTEGER.fullmatch(raw):
        return default
    value = int(raw)
    if value < minimum:
        return default
    if value > maximum:
        abort(
            400,
            description=_l(
                "“%(name)s” must be a whole number from %(min)d to %(max)d.",
                name=name,
                min=minimum,
                max=maximum,
            ),
        )
    return value


def parse_date(text: str) -> date:
    """An ISO date within [DATE_MIN, DATE_MAX]; ValueError otherwise."""
    day = date.fromisoformat(text)
    if not DATE_MIN <= day <= DATE_MAX:
        raise ValueError(f"date out of range: {text!r}")
    return day


def refuse_nul() -> None:
    """400 for a NUL byte anywhere in the path, query string or form: PostgreSQL cannot
    store or compare text containing one, and no real input has it. The API checks its
    own parameters (and names the field in its JSON error)."""
    if request.path.startswith("/api/"):
        return
    values = [request.path, *request.args.keys(), *request.form.keys()]
    values += request.args.values()
    values += request.form.values()
    if any("\x00" in value for value in values):
        abort(400, description=_l("The request contains a character that is not allowed."))


def _no_nul(form, field):
    if isinstance(field.data, str) and "\x00" in field.data:
        raise ValidationError(_l("This field contains a character that is not allowed."))


def _db_integer(form, field):
    if isinstance(field.data, int) and abs(field.data) > MAX_DB_INT:
        raise ValidationError(_l("Enter a smaller number."))


def _date_in_range(form, field):
    if isinstance(field.data, date) and not DATE_MIN <= field.data <= DATE_MAX:
        raise ValidationError(
            _l(
                "Enter a date between %(start)s and %(end)s.",
                start=DATE_MIN.isoformat(),
                end=DATE_MAX.isoformat(),
            )
        )


def bound_field(field) -> None:
    """Add the checks every field of its kind needs, whatever form it is on."""
    extra = []
    if isinstance(field, StringField):  # text areas, passwords, hidden and amount fields too
        extra.append(_no_nul)
        if not any(isinstance(v, Length) and v.max >= 0 for v in field.validators):
            extra.append(Length(max=MAX_TEXT))
    elif isinstance(field, IntegerField):
        extra.append(_db_integer)
    elif isinstance(field, DateField):
        extra.append(_date_in_range)
    if extra:
        field.validators = [*field.validators, *extra]


class BoundedMeta:
    """Form Meta that bounds every field it binds."""

    def bind_field(self, form, unbound_field, options):
        field = super().bind_field(form, unbound_field, options)
        bound_field(field)
        return field


class BaseForm(FlaskForm):
    """Every page form: FlaskForm (CSRF, request data) with the bounds of `bound_field`."""

    class Meta(BoundedMeta, FlaskForm.Meta):
        pass


class TranslatedMeta:
    """WTForms' own messages ("Number must be between 1 and 99.") in the page's language,
    as Flask-WTF gives a FlaskForm (WTF_I18N_ENABLED); a plain Form row needs it too."""

    def get_translations(self, form):
        from flask import current_app
        from flask_wtf.i18n import translations

        return translations if current_app.config.get("WTF_I18N_ENABLED", True) else None


class SubForm(Form):
    """A row inside a FormField/FieldList, with the same bounds."""

    class Meta(BoundedMeta, TranslatedMeta, DefaultMeta):
        pass
