"""The freight template form (运费模板): prices in yuan, weights in grams, provinces chosen
from the national list; up to three region rules. Works without JavaScript."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    IntegerField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..inputs import BaseForm, SubForm
from ..money import AmountTooLarge, yuan_to_fen

MAX_RULES = 3
GRAMS = [DataRequired(), NumberRange(min=1, max=1_000_000)]


def _fen(field, required=True) -> int | None:
    raw = (field.data or "").strip()
    if not raw:
        if required:
            raise ValidationError(_l("This field is required."))
        return None
    try:
        fen = yuan_to_fen(raw)
    except (AmountTooLarge, ValueError):
        raise ValidationError(_l("Enter an amount in yuan, e.g. 8 or 8.50.")) from None
    if fen < 0:
        raise ValidationError(_l("The amount cannot be negative."))
    return fen


class RuleForm(SubForm):
    """Provinces with their own prices (a sub-form: the template form holds the CSRF token)."""

    provinces = SelectMultipleField(_l("Provinces"), validate_choice=False)
    first_weight_g = IntegerField(_l("First weight (g)"), validators=[Optional()])
    first_price = StringField(_l("First weight price (yuan)"))
    step_weight_g = IntegerField(_l("Each further (g)"), validators=[Optional()])
    step_price = StringField(_l("Price per further step (yuan)"))


class FreightTemplateForm(BaseForm):
    name = StringField(_l("Template name"), validators=[DataRequired(), Length(max=60)])
    cold_chain = BooleanField(_l("Cold chain (for perishable goods)"))
    is_default = BooleanField(_l("The cooperative's default template"))
    first_weight_g = IntegerField(_l("First weight (g)"), validators=GRAMS, default=1000)
    first_price = StringField(_l("First weight price (yuan)"), validators=[DataRequired()])
    step_weight_g = IntegerField(_l("Each further (g)"), validators=GRAMS, default=1000)
    step_price = StringField(_l("Price per further step (yuan)"), validators=[DataRequired()])
    rules = FieldList(FormField(RuleForm), min_entries=MAX_RULES, max_entries=MAX_RULES)
    free_over = StringField(
        _l("Free delivery from an order value of (yuan, optional)"),
        description=_l("The goods of one parcel at or above this amount ship free."),
    )
    free_provinces = SelectMultipleField(
        _l("Free delivery only to (none chosen: everywhere)"), validate_choice=False
    )
    not_delivered = SelectMultipleField(_l("Not delivered to"), validate_choice=False)
    submit = SubmitField(_l("Save template"))

    def __init__(self, *args, provinces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.province_codes = {code for code, _ in provinces}
        for field in (self.free_provinces, self.not_delivered):
            field.choices = list(provinces)
        for entry in self.rules:
            entry.form.provinces.choices = list(provinces)

    def _provinces(self, field) -> list[str]:
        chosen = [c for c in (field.data or []) if c]
        if any(c not in self.province_codes for c in chosen):
            field.errors.append(_l("Choose provinces from the list."))
            raise ValidationError("")
        return chosen

    def values(self) -> dict | None:
        """The template's checked values for `freight.save_template`, or None (errors set)."""
        ok = True
        data = {
            "name": self.name.data.strip(),
            "cold_chain": bool(self.cold_chain.data),
            "is_default": bool(self.is_default.data),
            "first_weight_g": self.first_weight_g.data,
            "step_weight_g": self.step_weight_g.data,
            "regions": [],
        }
        checks = [
            ("first_fen", self.first_price, True),
            ("step_fen", self.step_price, True),
            ("free_over_fen", self.free_over, False),
        ]
        for key, field, required in checks:
            try:
                data[key] = _fen(field, required)
            except ValidationError as exc:
                field.errors = [*field.errors, str(exc)]
                ok = False
        try:
            free = self._provinces(self.free_provinces)
            data["free_province_codes"] = free or None
            data["not_delivered_province_codes"] = self._provinces(self.not_delivered)
        except ValidationError:
            ok = False
        for entry in self.rules:
            rule = entry.form
            codes = [c for c in (rule.provinces.data or []) if c]
            if not codes:
                continue
            region = {"province_codes": codes}
            for key, field in (("first_weight_g", rule.first_weight_g),
                               ("step_weight_g", rule.step_weight_g)):  # fmt: skip
                if not field.data or not 1 <= field.data <= 1_000_000:
                    field.errors = [_l("Enter a weight in grams, at least 1.")]
                    ok = False
                region[key] = field.data
            for key, field in (("first_fen", rule.first_price), ("step_fen", rule.step_price)):
                try:
                    region[key] = _fen(field)
                except ValidationError as exc:
                    field.errors = [str(exc)]
                    ok = False
            if any(c not in self.province_codes for c in codes):
                rule.provinces.errors = [_l("Choose provinces from the list.")]
                ok = False
            data["regions"].append(region)
        return data if ok else None
