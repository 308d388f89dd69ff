"""Logistics forms: stations and links (admin), CSV import, scans, hand-over, cash, 代买."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from flask_wtf.file import FileField, FileRequired
from markupsafe import Markup
from wtforms import (
    BooleanField,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TimeField,
)
from wtforms.fields import FieldList
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput

from ..inputs import AMOUNT_TOO_LARGE, BaseForm, SubForm
from ..money import AmountTooLarge, fen_to_yuan, yuan_to_fen
from ..orders.forms import QuantityField
from .labels import SCAN_BUTTON_LABELS, STATION_KIND_LABELS, WEEKDAY_LABELS
from .models import ScanAction

PHONE = r"^1[3-9]\d{9}$"


class CheckboxList:
    """Bootstrap check boxes side by side (the form macro's classes are for text inputs)."""

    def __call__(self, field, **kwargs):
        boxes = [
            Markup('<div class="form-check form-check-inline">{} {}</div>').format(
                option(class_="form-check-input"), option.label(class_="form-check-label")
            )
            for option in field
        ]
        return Markup('<div id="{}" class="py-1">{}</div>').format(field.id, Markup("").join(boxes))


class MultiCheckboxField(SelectMultipleField):
    widget = CheckboxList()
    option_widget = CheckboxInput()


class YuanField(StringField):
    """An amount typed in yuan ('12.50'); `fen` holds it as integer fen once valid."""

    fen: int | None = None

    def process_data(self, value):
        # Filled from fen (an edit form's initial data).
        self.data = "" if value is None else str(fen_to_yuan(value))

    def pre_validate(self, form):
        text = (self.data or "").strip()
        if not text:
            self.fen = None
            return
        try:
            self.fen = yuan_to_fen(text)
        except AmountTooLarge:
            raise ValidationError(AMOUNT_TOO_LARGE) from None
        except ValueError:
            raise ValidationError(_l("Enter an amount in yuan, e.g. 12.50.")) from None
        if self.fen < 0:
            raise ValidationError(_l("The amount must not be negative."))


class StationForm(BaseForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=20), Regexp(r"^[A-Za-z0-9_-]+$")],
        description=_l("Letters and digits, unique, e.g. VP622923100201."),
    )
    kind = SelectField(_l("Kind"), choices=[(k.value, v) for k, v in STATION_KIND_LABELS.items()])
    region_id = SelectField(_l("Region"), coerce=int, validators=[DataRequired()])
    name_zh = StringField(_l("Name (Chinese)"), validators=[DataRequired(), Length(max=100)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=100)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=200)])
    opening_hours = StringField(
        _l("Opening hours"),
        validators=[Optional(), Length(max=100)],
        description=_l("e.g. Mon–Sat 08:00–18:00"),
    )
    cold_chain = BooleanField(_l("Can keep goods cold"))
    capacity_per_day = IntegerField(
        _l("Parcels it can dispatch per day"), default=100, validators=[NumberRange(min=0)]
    )
    active = BooleanField(_l("Open"), default=True)
    operators = MultiCheckboxField(_l("Operators"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Save station"))


class LinkForm(BaseForm):
    from_station_id = SelectField(_lp("route", "From"), coerce=int)
    to_station_id = SelectField(
        _lp("route", "To"), coerce=int, description=_l("Or the hand-over to an express carrier.")
    )
    carrier = StringField(_l("Carrier"), validators=[Optional(), Length(max=50)])
    distance_km = IntegerField(_l("Distance (km)"), default=0, validators=[NumberRange(min=0)])
    cost_per_run_fen = YuanField(_l("Cost per run (yuan)"), validators=[DataRequired()])
    cost_per_kg_fen = YuanField(_l("Cost per kg (yuan)"), validators=[DataRequired()])
    transit_minutes = IntegerField(
        _l("Transit time (minutes)"), default=60, validators=[NumberRange(min=0)]
    )
    cold_chain = BooleanField(_l("Cold chain"))
    weekdays = MultiCheckboxField(
        _l("Runs on"),
        choices=list(WEEKDAY_LABELS.items()),
        validators=[DataRequired(message=_l("Choose at least one weekday."))],
    )
    departs_at = TimeField(_l("Departs at (Beijing time)"), validators=[DataRequired()])
    cost_is_assumption = BooleanField(_l("Costs are assumptions"), default=True)
    active = BooleanField(_l("Running"), default=True)
    submit = SubmitField(_l("Save link"))


class ImportForm(BaseForm):
    what = RadioField(
        _l("The file holds"),
        choices=[("stations", _l("Stations")), ("links", _l("Links"))],
        default="stations",
    )
    file = FileField(_l("CSV file"), validators=[FileRequired()])
    submit = SubmitField(_l("Import"))


class ScanForm(BaseForm):
    code = StringField(
        _l("Parcel code"),
        validators=[DataRequired(), Length(max=40)],
        render_kw={"autocomplete": "off", "autocapitalize": "characters"},
    )
    action = SelectField(
        _l("Scan"),
        choices=[
            (a.value, SCAN_BUTTON_LABELS[a])
            for a in (
                ScanAction.received,
                ScanAction.arrived,
                ScanAction.departed,
                ScanAction.handed_to_carrier,
            )
        ],
    )
    submit = SubmitField(_l("Record scan"))

    def start_on(self, action: str | None) -> None:
        """Put `action` (the next step the server would allow) first and choose it."""
        if action is None or action not in {value for value, _ in self.action.choices}:
            return
        self.action.choices = sorted(self.action.choices, key=lambda c: c[0] != action)
        if not self.action.raw_data:
            self.action.data = action


class HandoverForm(BaseForm):
    code = StringField(_l("Parcel code"), validators=[DataRequired(), Length(max=40)])
    pickup_code = StringField(
        _l("Pickup code from the buyer"),
        validators=[DataRequired(), Length(max=12)],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    cash_received = YuanField(
        _l("Cash received (yuan)"),
        description=_l("Only for cash orders: exactly the amount due."),
        render_kw={"inputmode": "decimal"},
    )
    submit = SubmitField(_l("Hand over"))


class HandOnCashForm(BaseForm):
    amount = YuanField(_l("Amount handed on (yuan)"), validators=[DataRequired()])
    note = StringField(
        _l("To whom"),
        validators=[Optional(), Length(max=200)],
        description=_l("e.g. the county centre's cashier"),
    )
    submit = SubmitField(_l("Record hand-on"))


class ItemQuantityField(QuantityField):
    """A 代买 row's quantity: may be left empty; typed, it is read like the cart's (full-width
    digits count, and each refusal says why), at most 99."""

    def pre_validate(self, form):
        self.quantity = None
        if str(self.data or "").strip():
            super().pre_validate(form)
            if self.quantity > 99:
                raise ValidationError(_l("At most 99 of one product for a villager."))


class ItemForm(SubForm):
    product_id = SelectField(_l("Product"), coerce=int, validate_choice=False)
    quantity = ItemQuantityField(_l("Quantity"), default="")


class AssistedOrderForm(BaseForm):
    recipient_name = StringField(_l("Villager's name"), validators=[DataRequired(), Length(max=50)])
    recipient_phone = StringField(
        _l("Villager's phone (if any)"),
        validators=[Optional(), Regexp(PHONE, message=_l("Enter an 11-digit mobile number."))],
    )
    items = FieldList(FormField(ItemForm), min_entries=3, max_entries=3)
    submit = SubmitField(_l("Place the order (cash on pickup)"))

    def chosen_items(self) -> list[tuple[int, int]]:
        """(product id, quantity) of the filled rows."""
        return [
            (row.form.product_id.data, row.form.quantity.quantity)
            for row in self.items
            if row.form.product_id.data and getattr(row.form.quantity, "quantity", None)
        ]

    def validate(self, extra_validators=None):
        """Each refusal goes under its own box: a quantity without a product, a product
        without a quantity, and no product at all under the first product box."""
        valid = super().validate(extra_validators)
        for row in self.items:
            product, quantity = row.form.product_id, row.form.quantity
            if str(quantity.data or "").strip() and not product.data:
                product.errors = [*product.errors, _l("Choose the product for this quantity.")]
                valid = False
            elif product.data and not str(quantity.data or "").strip():
                quantity.errors = [*quantity.errors, _l("Enter how many, e.g. 2.")]
                valid = False
        if valid and not self.chosen_items():
            first = self.items[0].form.product_id
            first.errors = [*first.errors, _l("Choose at least one product and its quantity.")]
            valid = False
        return valid


class CarrierHandoverForm(BaseForm):
    """A county centre hands an express parcel to a carrier: the tracking number is typed or
    scanned (a barcode scanner types it and presses Enter)."""

    code = StringField(
        _l("Parcel code"),
        validators=[DataRequired(), Length(max=40)],
        render_kw={"autocomplete": "off", "autocapitalize": "characters"},
    )
    carrier = SelectField(_l("Express carrier"), validators=[DataRequired()])
    tracking_no = StringField(
        _l("Tracking number"),
        validators=[DataRequired(), Length(max=40)],
        description=_l("Type it or scan the carrier's label: 8 to 32 letters and digits."),
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )
    submit = SubmitField(_l("Hand to the carrier"))


class TrackForm(BaseForm):
    """Following a parcel without an account: the last 4 digits of the buyer's phone."""

    phone_last4 = StringField(
        _l("Last 4 digits of the buyer's mobile number"),
        validators=[DataRequired(), Regexp(r"^\d{4}$", message=_l("Enter 4 digits."))],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
        render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 4},
    )
    submit = SubmitField(_l("Follow the parcel"))
