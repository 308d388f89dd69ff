"""Locking a sale: the one order in which every path that changes a sale takes its locks.

The stations a sale's parcels wait at (id order), then the order, its fulfilments (id
order), its parcels (id order); payments and refunds after that. Cancel, scans, webhooks,
refunds and checkout all start here, so a cancel racing a scan or a payment waits for it
instead of deadlocking, and then sees what it did.
"""

from ..extensions import db
from ..logistics import services as logistics
from ..logistics.models import Parcel
from .models import Fulfilment, Order


def lock_sale(order_id: int, *, stations: bool = False) -> Order:
    """Lock an order, its fulfilments and its parcels, in that order, and re-read them.

    With `stations`, the stations its waiting parcels are at are locked first (cancelling
    re-plans their runs). Every path that changes a sale starts here.
    """
    if stations:
        waiting_at = db.session.scalars(
            db.select(Parcel.current_station_id)
            .join(Fulfilment, Fulfilment.id == Parcel.fulfilment_id)
            .where(Fulfilment.order_id == order_id, Parcel.current_station_id.is_not(None))
        ).all()
        logistics.lock_stations(waiting_at)
    fresh = {"populate_existing": True}
    order = db.session.execute(
        db.select(Order).where(Order.id == order_id).with_for_update().execution_options(**fresh)
    ).scalar_one()
    fulfilment_ids = db.session.scalars(
        db.select(Fulfilment.id)
        .where(Fulfilment.order_id == order_id)
        .order_by(Fulfilment.id)
        .with_for_update()
    ).all()
    db.session.execute(
        db.select(Fulfilment).where(Fulfilment.order_id == order_id).execution_options(**fresh)
    ).all()
    db.session.execute(
        db.select(Parcel)
        .where(Parcel.fulfilment_id.in_(fulfilment_ids))
        .order_by(Parcel.id)
        .with_for_update()
        .execution_options(**fresh)
    ).all()
    return order
