"""How claims and reviews are named on the pages: labels and badge colours in one place."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

from ..payments.models import RefundStatus
from .models import ClaimDecision, ClaimReason, ClaimRemedy, ClaimStatus

STATUS_LABELS = {
    ClaimStatus.open: _lp("claim", "Waiting for the cooperative"),
    ClaimStatus.offered: _lp("claim", "Offer made"),
    ClaimStatus.rejected: _lp("claim", "Refused by the cooperative"),
    ClaimStatus.escalated: _lp("claim", "With the administrators"),
    ClaimStatus.disputed: _lp("claim", "Disputed: with the administrators"),
    ClaimStatus.accepted: _lp("claim", "Accepted"),
    ClaimStatus.closed: _lp("claim", "Closed"),
}
STATUS_BADGES = {
    ClaimStatus.open: "warning text-dark",
    ClaimStatus.offered: "info text-dark",
    ClaimStatus.rejected: "secondary",
    ClaimStatus.escalated: "danger",
    ClaimStatus.disputed: "danger",
    ClaimStatus.accepted: "success",
    ClaimStatus.closed: "secondary",
}
REASON_LABELS = {
    ClaimReason.damaged: _lp("claim", "Damaged"),
    ClaimReason.spoiled: _lp("claim", "Spoiled"),
    ClaimReason.missing: _lp("claim", "Missing"),
    ClaimReason.wrong_item: _lp("claim", "Wrong item"),
    ClaimReason.not_as_described: _lp("claim", "Not as described"),
    ClaimReason.other: _lp("claim", "Other"),
}
REMEDY_LABELS = {
    ClaimRemedy.refund: _lp("claim", "Refund of the affected units"),
    ClaimRemedy.resend: _lp("claim", "Send them again"),
}
DECISION_LABELS = {
    ClaimDecision.accept: _lp("claim", "Accept"),
    ClaimDecision.partial: _lp("claim", "Offer less"),
    ClaimDecision.reject: _lp("claim", "Refuse"),
}
ROLE_LABELS = {
    "buyer": _lp("claim", "Buyer"),
    "cooperative": _lp("claim", "Cooperative"),
    "admin": _lp("claim", "Administrator"),
    "system": _lp("claim", "System"),
}
SYSTEM_ESCALATED = _l("Not answered in time: the administrators will decide.")
REFUND_LABELS = {
    RefundStatus.pending: _l("Refund in progress"),
    RefundStatus.succeeded: _l("Refunded"),
    RefundStatus.failed: _l("Refund failed"),
}
