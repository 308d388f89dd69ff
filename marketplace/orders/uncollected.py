"""The `uncollected-parcels` job: parcels waiting at their pickup point for too long.

PICKUP_REMINDER_DAYS after a parcel became ready the buyer is reminded (inbox and SMS, with
the pickup code and the day it goes back); PICKUP_HOLD_DAYS after, the parcel goes back
(`actions.return_uncollected`). A parcel became ready at its last scan.
"""

from collections import Counter
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from .. import transaction
from ..clock import format_local
from ..extensions import db
from ..jobs.registry import every, job
from ..logistics.models import Parcel, ParcelScan, ParcelStatus
from . import actions
from .models import Fulfilment


def _ready_since():
    return (
        db.select(Parcel.id, Parcel.fulfilment_id, db.func.max(ParcelScan.at).label("since"))
        .join(ParcelScan, ParcelScan.parcel_id == Parcel.id)
        .where(Parcel.status == ParcelStatus.ready_for_pickup)
        .group_by(Parcel.id, Parcel.fulfilment_id)
    )


@job("uncollected-parcels", label=_l("Parcels nobody collects"), schedule=every(minutes=60))
def uncollected_parcels(run) -> dict:
    config = current_app.config
    now = run.now
    remind_after = timedelta(days=int(config.get("PICKUP_REMINDER_DAYS", 3)))
    hold = timedelta(days=int(config.get("PICKUP_HOLD_DAYS", 7)))
    waiting = db.session.execute(_ready_since()).all()
    transaction.commit()
    counts = Counter()
    for done, (parcel_id, fulfilment_id, since) in enumerate(waiting, 1):
        if since <= now - hold:
            fulfilment = db.session.get(Fulfilment, fulfilment_id)
            if actions.return_uncollected(fulfilment, at=now):
                counts["returned"] += 1
        elif since <= now - remind_after:
            parcel = db.session.get(Parcel, parcel_id)
            if parcel.reminded_at is None:
                parcel.reminded_at = now
                actions.tell_buyer(
                    parcel.fulfilment,
                    "pickup_reminder",
                    date=format_local(since + hold, "%m-%d"),
                )
                counts["reminded"] += 1
        transaction.commit()
        run.progress(done, len(waiting))
    return {"waiting": len(waiting), **counts}
