"""The `claims-escalation` job: a claim its cooperative has not answered within
CLAIM_ANSWER_HOURS goes to the administrators (`services.escalate_due_claims`)."""

from flask_babel import lazy_gettext as _l

from .. import transaction
from ..jobs.registry import every, job
from . import services


@job("claims-escalation", label=_l("Escalate unanswered claims"), schedule=every(minutes=15))
def escalate_claims(run) -> dict:
    escalated = services.escalate_due_claims(run.now)
    transaction.commit()
    return {"escalated": escalated}
