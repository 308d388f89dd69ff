"""The demo has express orders at every stage, made through the real verbs and scans."""

from collections import Counter

from marketplace.extensions import db
from marketplace.logistics.models import CarrierEvent, Parcel, ParcelStatus
from marketplace.orders.models import FulfilmentStatus


def test_seed_demo_makes_express_orders_at_every_stage(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "10 demo express orders at the carrier stages" in result.output, result.output
    express = [
        p for p in db.session.scalars(db.select(Parcel)) if len(p.route_links) == len(p.route)
    ]
    stages = Counter()
    for parcel in express:
        fulfilment = parcel.fulfilment
        if parcel.status == ParcelStatus.handed_to_carrier:
            stages[
                "delivered" if fulfilment.status == FulfilmentStatus.delivered else "carrier"
            ] += 1
            assert fulfilment.paid_at is not None
        elif parcel.leg_index == len(parcel.route) - 1:
            stages["county"] += 1
        else:
            stages["township"] += 1
    assert stages["township"] >= 2 and stages["county"] >= 2
    assert stages["carrier"] >= 2 and stages["delivered"] >= 4
    delivered = db.session.scalars(
        db.select(CarrierEvent).where(CarrierEvent.status == "delivered")
    ).all()
    assert len(delivered) >= 2
    again = runner.invoke(args=["seed-demo"])
    assert "demo carrier stages already there" in again.output
