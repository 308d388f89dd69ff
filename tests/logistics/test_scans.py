"""Parcels planned at checkout and scanned along their route; what each scan does."""

from datetime import datetime

import pytest

from marketplace.clock import to_utc
from marketplace.errors import Conflict, Forbidden
from marketplace.extensions import db
from marketplace.households.models import IncomeEntry
from marketplace.logistics.models import (
    CashKind,
    CashMovement,
    ParcelScan,
    ParcelStatus,
    ScanAction,
)
from marketplace.logistics.planner import NoColdChainRoute, NoRoute
from marketplace.logistics.scans import PickupRefused, record_scan
from marketplace.logistics.services import next_scan, plan_parcel, tracking
from marketplace.orders.models import FulfilmentStatus, OrderStatus
from marketplace.payments.models import Payment, PaymentProvider, PaymentStatus
from marketplace.status import events_for

MONDAY_6AM = to_utc(datetime(2026, 9, 7, 6, 0))
pytestmark = pytest.mark.usefixtures("english")


def walk(parcel, line, until=None, **handover):
    """Scan the parcel along A -> T1 -> C -> T2 -> B by each station's operator."""
    steps = [
        (line.a, "received", "A"), (line.a, "departed", "A"),
        (line.t1, "arrived", "T1"), (line.t1, "departed", "T1"),
        (line.c, "arrived", "C"), (line.c, "departed", "C"),
        (line.t2, "arrived", "T2"), (line.t2, "departed", "T2"),
        (line.b, "arrived", "B"), (line.b, "handed_over", "B"),
    ]  # fmt: skip
    for station, action, op in steps:
        if (station, action) == until:
            return
        extra = handover if action == "handed_over" else {}
        record_scan(parcel, station, action, line.ops[op], **extra)
        db.session.commit()


def test_checkout_plans_the_cheapest_route_with_codes_weight_and_eta(line, place_order):
    fulfilment = place_order(quantity=3, weight_g=500, now=MONDAY_6AM)
    parcel = fulfilment.parcel
    assert parcel.route == [line.a.id, line.t1.id, line.c.id, line.t2.id, line.b.id]
    assert len(parcel.route_links) == 4
    assert parcel.code.startswith("P") and len(parcel.code) == 10
    assert len(parcel.pickup_code) == 6 and parcel.pickup_code.isdigit()
    assert parcel.weight_g == 1500
    assert parcel.status == ParcelStatus.awaiting_handover
    # A 08:00 -> T1 09:00; T1 14:00 -> C 15:00; C 09:00 next day -> T2 10:00; 13:00 -> B 14:00.
    assert parcel.eta == to_utc(datetime(2026, 9, 8, 14, 0))
    assert [e.to_status for e in events_for("parcel", parcel.id)] == ["awaiting_handover"]


def test_perishable_goods_need_a_cold_chain_route(line, place_order, create_station, create_link):
    with pytest.raises(NoColdChainRoute) as error:
        place_order(perishable=True)  # T2 -> B is not cold chain
    assert "cold chain" in str(error.value.message)
    cold_point = create_station("village_point", line.village_b, name="乙村冷库点")
    create_link(line.t2, cold_point, cold_chain=True)
    fulfilment = place_order(perishable=True, pickup=cold_point)  # cold all the way
    assert fulfilment.parcel.cold_chain
    assert fulfilment.parcel.route == [line.a.id, line.t1.id, line.c.id, line.t2.id, cold_point.id]


def test_an_unreachable_pickup_point_is_refused_at_checkout(line, place_order, create_station):
    island = create_station("village_point", line.village_b, name="孤岛服务点")
    with pytest.raises(NoRoute) as error:
        place_order(pickup=island)
    assert isinstance(error.value, Conflict)
    assert "cannot reach" in str(error.value.message)


def test_a_cooperative_without_a_village_point_cannot_send(line, place_order):
    fulfilment = place_order()
    fulfilment.cooperative.home_station_id = None
    with pytest.raises(Conflict):
        plan_parcel(fulfilment, line.b)


def test_a_cash_parcel_travels_the_whole_route_and_is_paid_at_pickup(line, place_order):
    fulfilment = place_order(quantity=2, price_fen=2500)
    parcel = fulfilment.parcel
    walk(parcel, line, until=(line.a, "departed"))
    assert fulfilment.status == FulfilmentStatus.packed
    assert parcel.status == ParcelStatus.at_station and parcel.current_station_id == line.a.id
    walk_from = [(line.a, "departed", "A"), (line.t1, "arrived", "T1")]
    for station, action, op in walk_from:
        record_scan(parcel, station, action, line.ops[op])
    assert fulfilment.status == FulfilmentStatus.in_transit
    assert parcel.leg_index == 1 and parcel.current_station_id == line.t1.id
    for station, action, op in [
        (line.t1, "departed", "T1"), (line.c, "arrived", "C"), (line.c, "departed", "C"),
        (line.t2, "arrived", "T2"), (line.t2, "departed", "T2"), (line.b, "arrived", "B"),
    ]:  # fmt: skip
        record_scan(parcel, station, action, line.ops[op])
    assert parcel.status == ParcelStatus.ready_for_pickup
    assert fulfilment.status == FulfilmentStatus.ready_for_pickup
    assert next_scan(parcel).action == ScanAction.handed_over

    record_scan(parcel, line.b, "handed_over", line.ops["B"], pickup_code=parcel.pickup_code,
                cash_received_fen=5000)  # fmt: skip
    db.session.commit()
    assert parcel.status == ParcelStatus.handed_over and parcel.current_station_id is None
    assert fulfilment.status == FulfilmentStatus.delivered and fulfilment.paid_at is not None
    assert fulfilment.amount_due_fen == 0
    assert fulfilment.order.status == OrderStatus.completed
    cash = db.session.scalars(db.select(CashMovement)).all()
    assert [(c.kind, c.amount_fen, c.station_id) for c in cash] == [
        (CashKind.collected, 5000, line.b.id)
    ]
    payment = db.session.scalars(db.select(Payment)).one()
    assert (payment.provider, payment.status, payment.amount_fen) == (
        PaymentProvider.cash, PaymentStatus.succeeded, 5000)  # fmt: skip
    assert payment.fulfilment_id == fulfilment.id and payment.order_id == fulfilment.order_id
    income = db.session.scalars(db.select(IncomeEntry)).all()
    assert sum(e.amount_fen for e in income) == 5000 * 8000 // 10000
    scans = db.session.scalars(db.select(ParcelScan).order_by(ParcelScan.id)).all()
    assert len(scans) == 10 and all(s.by_id for s in scans)
    assert [s.action for s in tracking(parcel).scans][-1] == ScanAction.handed_over


def test_a_wrong_pickup_code_is_refused_and_nothing_is_written(line, place_order):
    fulfilment = place_order()
    parcel = fulfilment.parcel
    walk(parcel, line, until=(line.b, "handed_over"))
    wrong = "000000" if parcel.pickup_code != "000000" else "111111"
    with pytest.raises(PickupRefused) as error:  # a Conflict, the wrong try counted
        record_scan(parcel, line.b, "handed_over", line.ops["B"], pickup_code=wrong,
                    cash_received_fen=fulfilment.amount_due_fen)  # fmt: skip
    assert error.value.status_code == 409 and "pickup code" in str(error.value.message)
    db.session.rollback()
    assert parcel.status == ParcelStatus.ready_for_pickup
    assert db.session.scalar(db.select(db.func.count()).select_from(CashMovement)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(ParcelScan)) == 9


@pytest.mark.parametrize("cash", [None, 4999, 5001])
def test_cash_must_match_the_amount_due_exactly(line, place_order, cash):
    fulfilment = place_order(quantity=2, price_fen=2500)
    parcel = fulfilment.parcel
    walk(parcel, line, until=(line.b, "handed_over"))
    with pytest.raises(Conflict) as error:
        record_scan(parcel, line.b, "handed_over", line.ops["B"],
                    pickup_code=parcel.pickup_code, cash_received_fen=cash)  # fmt: skip
    assert "¥50.00" in str(error.value.message)
    db.session.rollback()
    assert fulfilment.status == FulfilmentStatus.ready_for_pickup
    assert db.session.scalar(db.select(db.func.count()).select_from(Payment)) == 0


def test_a_paid_parcel_is_handed_over_without_cash(line, place_order):
    fulfilment = place_order(cash=False)
    parcel = fulfilment.parcel
    walk(parcel, line, until=(line.b, "handed_over"))
    with pytest.raises(Conflict):
        record_scan(parcel, line.b, "handed_over", line.ops["B"],
                    pickup_code=parcel.pickup_code, cash_received_fen=5000)  # fmt: skip
    db.session.rollback()
    record_scan(parcel, line.b, "handed_over", line.ops["B"], pickup_code=parcel.pickup_code)
    assert fulfilment.status == FulfilmentStatus.delivered
    # The online payment is the only one: no cash payment was recorded at the hand-over.
    providers = db.session.scalars(db.select(Payment.provider)).all()
    assert [str(p) for p in providers] == ["stripe"]


def test_an_operator_of_station_a_cannot_scan_at_station_b(line, place_order):
    parcel = place_order().parcel
    with pytest.raises(Forbidden):
        record_scan(parcel, line.t1, "received", line.ops["A"])
    with pytest.raises(Forbidden):
        record_scan(parcel, line.a, "received", line.ops["B"])


def test_a_scan_at_the_wrong_station_or_out_of_order_is_refused(line, place_order):
    parcel = place_order().parcel
    with pytest.raises(Conflict) as wrong_station:
        record_scan(parcel, line.t1, "arrived", line.ops["T1"])
    assert "next scan" in str(wrong_station.value.message)
    with pytest.raises(Conflict) as out_of_order:
        record_scan(parcel, line.a, "departed", line.ops["A"])
    assert "Received" in str(out_of_order.value.message)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(ParcelScan)) == 0
    assert parcel.status == ParcelStatus.awaiting_handover


def test_an_unpaid_online_order_is_not_received(line, place_order):
    fulfilment = place_order(cash=False)
    fulfilment.status = FulfilmentStatus.pending_payment
    with pytest.raises(Conflict):
        record_scan(fulfilment.parcel, line.a, "received", line.ops["A"])


def test_a_one_station_route_is_received_then_handed_over(line, place_order):
    fulfilment = place_order(pickup=line.a, quantity=1)
    parcel = fulfilment.parcel
    assert parcel.route == [line.a.id] and parcel.route_links == []
    record_scan(parcel, line.a, "received", line.ops["A"])
    assert parcel.status == ParcelStatus.ready_for_pickup
    assert fulfilment.status == FulfilmentStatus.ready_for_pickup
    record_scan(parcel, line.a, "handed_over", line.ops["A"], pickup_code=parcel.pickup_code,
                cash_received_fen=2500)  # fmt: skip
    assert fulfilment.status == FulfilmentStatus.delivered


def test_an_express_parcel_is_handed_to_the_carrier_at_the_county_centre(line, place_order):
    from marketplace.logistics.models import Link

    express = Link(from_station_id=line.c.id, to_station_id=None, carrier="EMS",
                   cost_per_run_fen=500, transit_minutes=2880, weekdays="1234567")  # fmt: skip
    db.session.add(express)
    fulfilment = place_order(cash=False, pickup=line.c, express=True)
    parcel = fulfilment.parcel
    assert parcel.route == [line.a.id, line.t1.id, line.c.id]
    assert parcel.route_links[-1] == express.id
    for station, action, op in [
        (line.a, "received", "A"), (line.a, "departed", "A"), (line.t1, "arrived", "T1"),
        (line.t1, "departed", "T1"), (line.c, "arrived", "C"),
    ]:  # fmt: skip
        record_scan(parcel, station, action, line.ops[op])
    assert next_scan(parcel).action == ScanAction.handed_to_carrier
    record_scan(parcel, line.c, "handed_to_carrier", line.ops["C"], carrier="ems",
                tracking_no="EA123456789CN")  # fmt: skip
    assert (parcel.carrier, parcel.tracking_no) == ("ems", "EA123456789CN")
    assert parcel.status == ParcelStatus.handed_to_carrier
    assert fulfilment.status == FulfilmentStatus.in_transit
    assert tracking(parcel).carrier == "EMS"
