"""The `auto-confirm` job: express parcels count as received AUTO_CONFIRM_DAYS after their
hand-over to the carrier (the Taobao convention), unless the carrier or the buyer said so
first (`actions.auto_confirm_due`; each confirmation recognises the income once)."""

from flask_babel import lazy_gettext as _l

from .. import transaction
from ..jobs.registry import every, job
from . import actions


@job("auto-confirm", label=_l("Confirm express receipts"), schedule=every(minutes=60))
def auto_confirm(run) -> dict:
    confirmed = actions.auto_confirm_due(run.now)
    references = [f.order.reference for f in confirmed]
    transaction.commit()
    return {"confirmed": len(references), "orders": references[:50]}
