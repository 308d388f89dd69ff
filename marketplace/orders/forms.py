"""Forms of the order pages: cart quantities, checkout, cancel, packing, browse filters."""

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..catalog.stock import MAX_QUANTITY
from ..inputs import BaseForm
from .labels import PAYMENT_METHOD
from .models import Delivery, PaymentMethod

WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


def parse_quantity(raw) -> int:
    """A quantity typed by a person: a whole number from 1 to MAX_QUANTITY (ValueError else)."""
    # NFKC turns the full-width digits of Chinese keyboards (２) into ASCII ones.
    text = unicodedata.normalize("NFKC", str(raw if raw is not None else "")).strip()
    if not WHOLE_NUMBER.fullmatch(text):
        raise ValueError(_l("Enter the quantity as a whole number, e.g. 2."))
    # Very long numbers are only compared with the limits, never converted in full.
    quantity = int(text) if len(text) <= 12 else (-1 if text[0] == "-" else MAX_QUANTITY + 1)
    if quantity < 1:
        raise ValueError(_l("The quantity must be at least 1."))
    if quantity > MAX_QUANTITY:
        raise ValueError(
            _l("At most %(max)d of one product can be ordered at a time.", max=MAX_QUANTITY)
        )
    return quantity


class QuantityField(StringField):
    """A quantity box that keeps what was typed and offers a number keypad on phones."""

    def __init__(self, label=None, **kwargs):
        render_kw = {"inputmode": "numeric", "pattern": "[0-9]*", "autocomplete": "off"}
        super().__init__(label, render_kw=render_kw | kwargs.pop("render_kw", {}), **kwargs)

    def pre_validate(self, form):
        try:
            self.quantity = parse_quantity(self.data)
        except ValueError as exc:
            raise ValidationError(str(exc.args[0])) from None


class CartLineForm(BaseForm):
    """Add a product to the cart, or change its quantity there."""

    product_id = IntegerField(validators=[InputRequired()])
    quantity = QuantityField(_l("Quantity"), default="1")
    next = HiddenField()


class RemoveFromCartForm(BaseForm):
    product_id = IntegerField(validators=[InputRequired()])


def _chosen_id(value) -> int | None:
    """A select's value as an id; the empty "choose" option is None (InputRequired says why)."""
    return int(value) if str(value if value is not None else "").strip() else None


class PointField(SelectField):
    """A village point: nothing chosen is InputRequired's message; an id that is not an
    open village point gets one that says so."""

    def pre_validate(self, form):
        if self.data is None:
            return
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(_l("Choose one of the village points in the list.")) from None


class CheckoutForm(BaseForm):
    delivery = RadioField(
        _l("How you receive the order"),
        choices=[
            (Delivery.pickup.value, _l("Pick up at a village point")),
            (Delivery.express.value, _l("Deliver to my address")),
        ],
        default=Delivery.pickup.value,
        # Not given (an older page, or no online payment): pickup, as before.
        validate_choice=False,
        validators=[Optional()],
    )
    pickup_station_id = PointField(
        _l("Pickup point"),
        coerce=_chosen_id,
        validators=[InputRequired(message=_l("Choose a village point to pick the order up."))],
        description=_l("The village point where you collect the parcels and show the code."),
    )
    address_id = SelectField(
        _l("Deliver to"), coerce=int, validate_choice=False, validators=[Optional()]
    )
    quote = SubmitField(_l("Show the delivery fee"))
    payment_method = RadioField(
        _l("Payment"),
        default=PaymentMethod.cash_at_pickup.value,
        validators=[InputRequired(message=_l("Choose a way to pay."))],
    )
    submit = SubmitField(_l("Place the order"))

    def __init__(
        self, *args, pickup_groups=(), online_payment=False, addresses=(), locale="zh", **kwargs
    ):
        super().__init__(*args, **kwargs)
        # Grouped choices render as <optgroup>s: county · township, then its village points.
        self.pickup_station_id.choices = {
            label: [(station.id, name) for station, name in stations]
            for label, stations in pickup_groups
        }
        methods = [PaymentMethod.cash_at_pickup]
        if online_payment:
            methods.append(PaymentMethod.stripe)
        self.payment_method.choices = [(m.value, PAYMENT_METHOD[m]) for m in methods]
        self.address_id.choices = [(a.id, a.one_line(locale)) for a in addresses]
        if not online_payment:
            # Delivery to an address is paid online only.
            self.delivery.choices = self.delivery.choices[:1]

    @property
    def express(self) -> bool:
        return self.delivery.data == Delivery.express.value

    def validate(self, extra_validators=None) -> bool:
        if self.express:
            # No pickup point for a delivery; an address from the book instead.
            self.pickup_station_id.validators = [Optional()]
        ok = super().validate(extra_validators)
        if self.delivery.data not in (None, "", *(v for v, _ in self.delivery.choices)):
            self.delivery.errors = [_l("Choose pickup or delivery.")]
            ok = False
        if self.express:
            if self.address_id.data not in {value for value, _ in self.address_id.choices}:
                self.address_id.errors = [_l("Choose an address to deliver to.")]
                ok = False
            if self.payment_method.data == PaymentMethod.cash_at_pickup.value:
                self.payment_method.errors = [
                    _l("Delivery to an address is paid online; cash is only for pickup.")
                ]
                ok = False
        return ok


class CancelOrderForm(BaseForm):
    reason = TextAreaField(
        _l("Why are you cancelling? (optional)"), validators=[Optional(), Length(max=300)]
    )
    submit = SubmitField(_l("Cancel this order"))


class MarkPackedForm(BaseForm):
    submit = SubmitField(_l("Mark packed"))


class BrowseForm(BaseForm):
    """The search and filters of the shop page (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=50)])
    county = SelectField(_l("County"), validators=[Optional()])
    township = SelectField(_l("Township"), validators=[Optional()])
    category = SelectField(_l("Category"), validators=[Optional()])
    ovop = BooleanField(_l("One village, one product"))
    sort = SelectField(
        _l("Sort by"),
        choices=[
            ("newest", _l("Newest")),
            ("price_asc", _l("Price: low to high")),
            ("price_desc", _l("Price: high to low")),
        ],
        default="newest",
        validators=[Optional()],
    )


class ConfirmReceiptForm(BaseForm):
    """The buyer's 确认收货 for parcels handed to an express carrier."""

    submit = SubmitField(_l("Confirm receipt"))
