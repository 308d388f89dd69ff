"""A parcel nobody collects travels back along a planned route, scanned at each station like
any other parcel, and its units return to their lot only when the origin point receives it."""

from datetime import timedelta

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.jobs import runner as jobs
from marketplace.logistics.itinerary import next_scan
from marketplace.logistics.models import ParcelStatus, ScanAction, Station
from marketplace.logistics.scans import record_scan
from marketplace.orders.models import FulfilmentStatus, OrderStatus
from tests.orders.shop import build_shop


def test_the_way_back_is_scanned_station_by_station(request, create_sale, create_user):
    shop = build_shop(request.getfixturevalue)
    operator = create_user(email="op@example.com", roles=["station_operator"])
    shop.lily_point.operators.append(operator)
    shop.apple_point.operators.append(operator)
    db.session.commit()
    fulfilment = create_sale(
        (shop.lily, [(shop.lily_old, 3)]), buyer=shop.buyer, pickup=shop.apple_point, until="ready"
    )
    parcel = fulfilment.parcel
    assert parcel.route == [shop.lily_point.id, shop.apple_point.id]
    db.session.refresh(shop.lily_old)
    assert shop.lily_old.remaining == 2

    jobs.run_due(now=utcnow() + timedelta(days=8))

    db.session.refresh(parcel)
    db.session.refresh(fulfilment)
    assert fulfilment.status == FulfilmentStatus.cancelled
    assert fulfilment.order.status == OrderStatus.cancelled
    assert parcel.route == [shop.apple_point.id, shop.lily_point.id]
    steps = []
    while (step := next_scan(parcel)) is not None:
        steps.append((step.station_id, step.action))
        station = db.session.get(Station, step.station_id)
        record_scan(parcel, station, step.action, operator)
        db.session.commit()
        db.session.refresh(parcel)
    assert steps == [
        (shop.apple_point.id, ScanAction.departed),
        (shop.lily_point.id, ScanAction.arrived),
    ]
    assert parcel.status == ParcelStatus.returned
    assert parcel.current_station_id == shop.lily_point.id
    db.session.refresh(shop.lily_old)
    assert shop.lily_old.remaining == 5
