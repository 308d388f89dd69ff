"""Forms of claims and reviews; amounts are typed in yuan."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from wtforms import (
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..inputs import AMOUNT_TOO_LARGE, BaseForm
from ..money import AmountTooLarge, yuan_to_fen
from .labels import DECISION_LABELS, REASON_LABELS, REMEDY_LABELS
from .services import MAX_DESCRIPTION, MAX_NOTE


class ClaimForm(BaseForm):
    """The buyer's claim; the units per line are read from `units-<line id>` fields."""

    reason = SelectField(
        _l("What is wrong"),
        choices=[(k.value, v) for k, v in REASON_LABELS.items()],
        validators=[DataRequired()],
    )
    remedy = RadioField(
        _l("What you ask for"),
        choices=[(k.value, v) for k, v in REMEDY_LABELS.items()],
        default="refund",
        validators=[DataRequired()],
    )
    description = TextAreaField(
        _l("Describe the problem"), validators=[Optional(), Length(max=MAX_DESCRIPTION)]
    )
    photos = MultipleFileField(_l("Photos (up to 3)"))
    submit = SubmitField(_l("Send the claim"))


class DecisionForm(BaseForm):
    decision = RadioField(
        _l("Decision"),
        choices=[(k.value, v) for k, v in DECISION_LABELS.items()],
        default="accept",
        validators=[DataRequired()],
    )
    amount = StringField(
        _l("Amount to refund (yuan)"),
        validators=[Optional()],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    note = TextAreaField(
        _l("Note to the buyer (needed to offer less or refuse)"),
        validators=[Optional(), Length(max=MAX_NOTE)],
    )
    submit = SubmitField(_lp("claim", "Decide"))

    amount_fen = None

    def validate_amount(self, field):
        if not (field.data or "").strip():
            return
        try:
            self.amount_fen = yuan_to_fen(field.data)
        except AmountTooLarge:
            raise ValidationError(AMOUNT_TOO_LARGE) from None
        except ValueError as exc:
            raise ValidationError(_l("Enter an amount in yuan, e.g. 12.50.")) from exc


class MessageForm(BaseForm):
    body = TextAreaField(_l("Message"), validators=[DataRequired(), Length(max=MAX_NOTE)])
    submit = SubmitField(_l("Send"))


class DisputeForm(BaseForm):
    note = TextAreaField(_l("Why you disagree"), validators=[DataRequired(), Length(max=MAX_NOTE)])
    submit = SubmitField(_l("Ask the administrators to decide"))


class AcceptOfferForm(BaseForm):
    submit = SubmitField(_l("Accept the offer"))


class PhotoForm(BaseForm):
    photos = MultipleFileField(_l("Add photos"), validators=[DataRequired()])
    submit = SubmitField(_l("Upload"))


class ReviewForm(BaseForm):
    rating = RadioField(
        _l("Rating"),
        choices=[(str(n), "★" * n) for n in range(5, 0, -1)],
        validators=[DataRequired()],
    )
    comment = TextAreaField(_l("Comment (optional)"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Save the review"))


class HideForm(BaseForm):
    submit = SubmitField(_l("Hide"))


class ShowForm(BaseForm):
    submit = SubmitField(_l("Show again"))
