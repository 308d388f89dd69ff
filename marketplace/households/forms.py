"""Household registry forms: one household, a registry file to import, a poverty line."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..inputs import AMOUNT_TOO_LARGE, BaseForm
from ..money import AmountTooLarge, yuan_to_fen
from .services import HOUSEHOLD_TYPES, MAX_CAUSES, POVERTY_CAUSES, POVERTY_STATUSES


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _yuan_to_fen_or_none(field) -> int | None:
    text = (field.data or "").strip()
    if not text:
        return None
    try:
        fen = yuan_to_fen(text)
    except AmountTooLarge:
        raise ValidationError(AMOUNT_TOO_LARGE) from None
    except ValueError:
        raise ValidationError(_l("Enter an amount in yuan, e.g. 3200 or 3200.50.")) from None
    if fen < 0:
        raise ValidationError(_l("The amount cannot be negative."))
    return fen


class HouseholdForm(BaseForm):
    household_no = StringField(_l("Household number"), validators=[DataRequired(), Length(4, 30)])
    head_name = StringField(_l("Head of household"), validators=[DataRequired(), Length(max=50)])
    id_card_no = StringField(_l("ID-card number"), validators=[Optional(), Length(max=18)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=20)])
    village_id = SelectField(_l("Village"), coerce=int, validators=[DataRequired()])
    natural_village = StringField(_l("Natural village"), validators=[Optional(), Length(max=50)])
    members = IntegerField(
        _l("Household size"), validators=[DataRequired(), NumberRange(min=1, max=30)]
    )
    household_type = SelectField(_l("Household type"), choices=list(HOUSEHOLD_TYPES.items()))
    poverty_causes = MultiCheckboxField(
        _l("Main causes of poverty (at most two)"),
        choices=list(POVERTY_CAUSES.items()),
        validators=[Optional()],
    )
    status = SelectField(_l("Poverty status"), choices=list(POVERTY_STATUSES.items()))
    planned_exit_year = IntegerField(_l("Planned exit year"), validators=[Optional()])
    exit_year = IntegerField(_l("Exit year"), validators=[Optional()])
    net_income = StringField(
        _l("Net income per person (yuan per year)"),
        validators=[Optional()],
        render_kw={"inputmode": "decimal"},
    )
    income_year = IntegerField(_l("Year of that income"), validators=[Optional()])
    submit = SubmitField(_l("Save household"))

    def validate_poverty_causes(self, field):
        if len(field.data or []) > MAX_CAUSES:
            raise ValidationError(_l("Choose at most two causes."))

    def validate_net_income(self, field):
        field.fen = _yuan_to_fen_or_none(field)

    def values(self) -> dict:
        """The registry fields as households.services.save_household takes them."""
        return {
            "household_no": self.household_no.data,
            "head_name": self.head_name.data.strip(),
            "id_card_no": self.id_card_no.data,
            "phone": self.phone.data,
            "village_id": self.village_id.data,
            "natural_village": (self.natural_village.data or "").strip() or None,
            "members": self.members.data,
            "household_type": self.household_type.data,
            "poverty_causes": ",".join(self.poverty_causes.data or []) or None,
            "status": self.status.data,
            "planned_exit_year": self.planned_exit_year.data,
            "exit_year": self.exit_year.data,
            "net_income_per_person_fen": getattr(self.net_income, "fen", None),
            "income_year": self.income_year.data,
        }


class ImportForm(BaseForm):
    file = FileField(
        _l("Registry file (CSV or XLSX)"),
        validators=[FileRequired(_l("Choose a file to import."))],
        render_kw={"accept": ".csv,.xlsx"},
    )
    submit = SubmitField(_l("Check and import"))


class PovertyLineForm(BaseForm):
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(2000, 2100)])
    amount = StringField(
        _l("Poverty line per person (yuan per year)"),
        validators=[DataRequired()],
        render_kw={"inputmode": "decimal"},
    )
    note = StringField(_l("Note (source)"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Save poverty line"))

    def validate_amount(self, field):
        field.fen = _yuan_to_fen_or_none(field)
