"""Catalog forms: cooperative, category, product (with photos), supply lot, confirmations."""

import io

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..clock import local_today
from ..inputs import AMOUNT_TOO_LARGE, BaseForm, SubForm
from ..money import AmountTooLarge, yuan_to_fen
from . import photos
from .lots import GRADES
from .services import UNITS


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class CooperativeForm(BaseForm):
    name_zh = StringField(_l("Name (Chinese)"), validators=[DataRequired(), Length(max=100)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=100)])
    village_id = SelectField(_l("Village"), coerce=int, validators=[DataRequired()])
    registration_no = StringField(
        _l("Registration number"),
        validators=[DataRequired(), Length(max=40)],
        description=_l("The unified social credit code on the cooperative's licence."),
    )
    description_zh = TextAreaField(_l("Description (Chinese)"), validators=[Optional()])
    description_en = TextAreaField(_l("Description (English)"), validators=[Optional()])
    phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=20)])
    home_station_id = SelectField(
        _l("Village point for hand-over"),
        coerce=_optional_int,
        validators=[Optional()],
        description=_l("Where the cooperative hands its parcels to the station network."),
    )
    producer_share_bp = IntegerField(
        _l("Producers' share (basis points)"),
        default=8000,
        validators=[DataRequired(), NumberRange(min=0, max=10000)],
        description=_l("Part of each sale's goods value paid on to the households; 8000 = 80%."),
    )
    managers = MultiCheckboxField(_l("Managers"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Save cooperative"))


class CategoryForm(BaseForm):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(),
            Regexp(r"^[a-z][a-z0-9_]{1,39}$", message=_l("Use a-z, 0-9, _.")),
        ],
    )
    name_zh = StringField(_l("Name (Chinese)"), validators=[DataRequired(), Length(max=50)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=50)])
    submit = SubmitField(_l("Add category"))


class ProductForm(BaseForm):
    name_zh = StringField(_l("Name (Chinese)"), validators=[DataRequired(), Length(max=100)])
    name_en = StringField(_l("Name (English, optional)"), validators=[Optional(), Length(max=100)])
    category_id = SelectField(_l("Category"), coerce=int, validators=[DataRequired()])
    unit = SelectField(_l("Sale unit"), validators=[DataRequired()])
    unit_weight_g = IntegerField(
        _l("Weight of one unit (g)"),
        validators=[Optional(), NumberRange(min=1, max=2_000_000)],
        description=_l("Leave empty to use the unit's usual weight."),
        render_kw={"inputmode": "numeric"},
    )
    price = StringField(
        _l("Price per unit (yuan)"),
        validators=[DataRequired()],
        # An example, not a value: a bare "25.00" in the box looked typed in already.
        render_kw={"inputmode": "decimal", "placeholder": _l("e.g. 25.00")},
    )
    description_zh = TextAreaField(
        _l("Description and story (Chinese)"), validators=[Optional()], render_kw={"rows": 4}
    )
    description_en = TextAreaField(
        _l("Description (English, optional)"), validators=[Optional()], render_kw={"rows": 3}
    )
    photos = MultipleFileField(
        _l("Photos"),
        description=_l(
            "Up to 5 JPEG, PNG or WebP pictures, at most 20 MB each (photos from a phone "
            "are fine: they are made smaller here)."
        ),
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
    )
    # Signed names of photos kept from a refused try (photos.keep_pending).
    pending_photos = HiddenField()
    ovop = BooleanField(_l("One village, one product (一村一品)"))
    perishable = BooleanField(_l("Perishable: needs cold chain"))
    freight_template_id = SelectField(
        _l("Freight template"),
        coerce=lambda v: int(v) if v not in (None, "", "None") else None,
        validate_choice=False,
        description=_l("How delivery to an address is priced; perishable goods need cold chain."),
    )
    submit = SubmitField(_l("Save product"))

    def __init__(self, *args, categories=(), locale="zh", templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.category_id.choices = [(c.id, c.display_name(locale)) for c in categories]
        self.unit.choices = [(u.code, u.label) for u in UNITS.values()]
        self.freight_template_id.choices = [("", _l("The cooperative's default"))] + [
            (t.id, f"{t.name}{' ❄' if t.cold_chain else ''}") for t in templates
        ]

    def validate_photos(self, field):
        """Count and size the files before anything decodes them (one form once held 230)."""
        files = [f for f in (field.data or []) if f and f.filename]
        if len(files) > photos.MAX_PHOTOS:
            raise ValidationError(
                _l("Choose at most %(max)s photos at a time.", max=photos.MAX_PHOTOS)
            )
        for upload in files:
            upload.stream.seek(0, io.SEEK_END)
            size = upload.stream.tell()
            upload.stream.seek(0)
            if error := photos.too_big(upload.filename, size):
                raise ValidationError(error.message)

    def validate_unit_weight_g(self, field):
        from .services import unit_weight_problem

        if problem := unit_weight_problem(self.unit.data, field.data):
            raise ValidationError(problem)

    def validate_price(self, field):
        try:
            field.price_fen = yuan_to_fen(field.data)
        except AmountTooLarge:
            raise ValidationError(AMOUNT_TOO_LARGE) from None
        except ValueError:
            raise ValidationError(_l("Enter the price in yuan, e.g. 25 or 25.50.")) from None
        if field.price_fen < 0:
            raise ValidationError(_l("The price cannot be negative."))

    def values(self) -> dict:
        """The product fields as the catalog service takes them."""
        return {
            "name_zh": self.name_zh.data,
            "name_en": self.name_en.data,
            "category_id": self.category_id.data,
            "unit": self.unit.data,
            "unit_weight_g": self.unit_weight_g.data,
            "price_fen": self.price.price_fen,
            "description_zh": self.description_zh.data,
            "description_en": self.description_en.data,
            "ovop": self.ovop.data,
            "perishable": self.perishable.data,
            "freight_template_id": self.freight_template_id.data,
        }


class ContributionRow(SubForm):
    household_no = StringField(
        _l("Household number"),
        validators=[Optional(), Length(max=30)],
        render_kw={"list": "household-numbers", "autocomplete": "off"},
    )
    supplier_name = StringField(_l("or other supplier"), validators=[Optional(), Length(max=100)])
    quantity = IntegerField(
        _l("Quantity"),
        validators=[Optional(), NumberRange(min=1)],
        render_kw={"inputmode": "numeric"},
    )

    def is_blank(self) -> bool:
        return not (self.household_no.data or self.supplier_name.data or self.quantity.data)


class LotForm(BaseForm):
    product_id = SelectField(_l("Product"), coerce=int, validators=[DataRequired()])
    quantity = IntegerField(
        _l("Quantity (sale units)"),
        validators=[DataRequired(), NumberRange(min=1)],
        render_kw={"inputmode": "numeric"},
    )
    grade = SelectField(_l("Grade"), choices=list(GRADES.items()), default="一级")
    harvested_on = DateField(_l("Harvested on"), validators=[Optional()])
    received_on = DateField(_l("Received on"), default=local_today, validators=[DataRequired()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])
    contributions = FieldList(FormField(ContributionRow), min_entries=4, max_entries=300)
    submit = SubmitField(_l("Record lot"))


class VoidLotForm(BaseForm):
    reason = StringField(_l("Why is the lot void?"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Mark lot void"))


class ConfirmForm(BaseForm):
    """An empty form: only its CSRF token, for buttons that change something."""
