"""Forms of the payments package."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from ..inputs import AMOUNT_TOO_LARGE, BaseForm
from ..money import AmountTooLarge, yuan_to_fen


class RefundForm(BaseForm):
    """Refund part or all of a fulfilment; the amount is typed in yuan."""

    amount = StringField(
        _l("Amount to refund (yuan)"),
        validators=[DataRequired()],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    reason = TextAreaField(
        _l("Reason (the buyer sees it)"), validators=[DataRequired(), Length(max=500)]
    )
    submit = SubmitField(_l("Refund"))

    def validate_amount(self, field):
        try:
            fen = yuan_to_fen(field.data)
        except AmountTooLarge:
            raise ValidationError(AMOUNT_TOO_LARGE) from None
        except ValueError as exc:
            raise ValidationError(_l("Enter an amount in yuan, e.g. 12.50.")) from exc
        if fen <= 0:
            raise ValidationError(_l("The refund must be more than zero."))
        self.amount_fen = fen
