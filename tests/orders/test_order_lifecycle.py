"""After checkout: cancel and expiry return stock to the same lots, late payments re-take it,
online payments confirm, cooperative managers pack."""

import pytest

from marketplace.catalog.models import SupplyLot
from marketplace.errors import Conflict, Forbidden, IllegalTransition
from marketplace.extensions import db
from marketplace.logistics.models import ParcelStatus
from marketplace.orders import actions, status
from marketplace.orders.actions import (
    cancel_order,
    mark_packed,
    payment_expired,
    payment_settled,
    place_order,
)
from marketplace.orders.models import CancelReason, FulfilmentStatus, OrderStatus, PaymentMethod
from marketplace.status import events_for

CASH, ONLINE = PaymentMethod.cash_at_pickup, PaymentMethod.stripe
pytestmark = pytest.mark.usefixtures("in_request")


def remaining(*lots):
    return [db.session.get(SupplyLot, lot.id, populate_existing=True).remaining for lot in lots]


def test_cancel_returns_every_unit_to_the_lot_it_came_from(shop):
    first = place_order(shop.buyer, [(shop.lily.id, 7)], shop.pickup, CASH)  # 5 old + 2 new
    second = place_order(shop.buyer, [(shop.lily.id, 4)], shop.pickup, CASH)  # 4 new
    db.session.commit()
    assert remaining(shop.lily_old, shop.lily_new) == [0, 14]

    cancel_order(first, by=shop.buyer, reason="changed my mind")
    db.session.commit()

    assert remaining(shop.lily_old, shop.lily_new) == [5, 16]
    assert all(a.released_at is not None for a in first.lines[0].allocations)
    assert all(a.released_at is None for a in second.lines[0].allocations)
    assert first.status == OrderStatus.cancelled
    assert first.fulfilments[0].status == FulfilmentStatus.cancelled
    assert first.fulfilments[0].parcel.status == ParcelStatus.cancelled
    last = events_for("order", first.id)[-1]
    assert (last.to_status, last.note, last.by_id) == (
        "cancelled",
        "changed my mind",
        shop.buyer.id,
    )


def test_an_order_can_be_cancelled_while_packed_but_not_once_on_its_way(shop):
    order = place_order(shop.buyer, [(shop.lily.id, 1), (shop.apple.id, 1)], shop.pickup, CASH)
    lily_part, apple_part = order.fulfilments
    mark_packed(lily_part, by=shop.lily_manager)
    assert actions.can_cancel(order)

    status.move_fulfilment(apple_part, FulfilmentStatus.packed)
    status.move_fulfilment(apple_part, FulfilmentStatus.in_transit)
    assert not actions.can_cancel(order)
    with pytest.raises(Conflict, match="no longer be cancelled"):
        cancel_order(order, by=shop.buyer)
    assert order.status == OrderStatus.confirmed and remaining(shop.lily_old) == [4]


def test_a_cancelled_order_cannot_be_cancelled_again(shop):
    order = place_order(shop.buyer, [(shop.lily.id, 1)], shop.pickup, CASH)
    cancel_order(order, by=shop.buyer)
    with pytest.raises(Conflict):
        cancel_order(order, by=shop.buyer)
    assert remaining(shop.lily_old) == [5]  # given back once, not twice


def test_expiry_cancels_an_unpaid_online_order_and_releases_its_stock(shop):
    order = place_order(shop.buyer, [(shop.dried.id, 4)], shop.pickup, ONLINE)
    assert remaining(shop.dried_lot) == [6]
    assert payment_expired(order) is True
    assert order.status == OrderStatus.cancelled and remaining(shop.dried_lot) == [10]
    assert status.was_cancelled_by_expiry(order)
    assert payment_expired(order) is False  # already cancelled: nothing happens
    assert remaining(shop.dried_lot) == [10]


def test_expiry_leaves_a_paid_or_cash_order_alone(shop):
    cash = place_order(shop.buyer, [(shop.dried.id, 1)], shop.pickup, CASH)
    assert payment_expired(cash) is False and cash.status == OrderStatus.confirmed


def test_a_late_payment_takes_the_stock_again_when_it_is_all_there(shop):
    order = place_order(shop.buyer, [(shop.lily.id, 6)], shop.pickup, ONLINE)
    payment_expired(order)
    db.session.commit()

    assert payment_settled(order) is True
    assert order.status == OrderStatus.confirmed and order.cancel_reason is None
    assert order.fulfilments[0].status == FulfilmentStatus.to_pack
    assert order.fulfilments[0].parcel.status == ParcelStatus.awaiting_handover
    live = [(a.lot_id, a.quantity) for a in order.lines[0].allocations if a.released_at is None]
    assert live == [(shop.lily_old.id, 5), (shop.lily_new.id, 1)]
    revived = [e.to_status for e in events_for("order", order.id)]
    assert revived[-3:] == ["cancelled", "pending_payment", "confirmed"]


def test_a_late_payment_changes_nothing_when_the_stock_is_gone(shop, snapshot):
    order = place_order(shop.buyer, [(shop.dried.id, 8)], shop.pickup, ONLINE)
    payment_expired(order)
    place_order(shop.buyer, [(shop.dried.id, 5)], shop.pickup, CASH)  # someone else buys
    db.session.commit()
    before = snapshot()

    assert payment_settled(order) is False
    assert order.status == OrderStatus.cancelled
    assert snapshot() == before


def test_only_an_order_cancelled_by_expiry_can_be_reallocated(shop):
    order = place_order(shop.buyer, [(shop.dried.id, 1)], shop.pickup, ONLINE)
    cancel_order(order, by=shop.buyer)
    assert payment_settled(order) is False
    with pytest.raises(IllegalTransition):
        status.revive(order)


def test_a_buyers_free_text_reason_never_makes_an_order_revivable(shop):
    order = place_order(shop.buyer, [(shop.dried.id, 2)], shop.pickup, ONLINE)
    # The very note the first version read the expiry from.
    cancel_order(order, by=shop.buyer, reason="payment session expired")
    db.session.commit()

    assert order.cancel_reason == CancelReason.buyer
    assert not status.was_cancelled_by_expiry(order)
    assert payment_settled(order) is False
    assert order.status == OrderStatus.cancelled and remaining(shop.dried_lot) == [10]


def test_expiry_is_recorded_as_its_own_reason_code(shop):
    order = place_order(shop.buyer, [(shop.dried.id, 2)], shop.pickup, ONLINE)
    payment_expired(order)
    assert order.cancel_reason == CancelReason.payment_expired
    assert events_for("order", order.id)[-1].note is None


def test_confirming_an_online_payment_sends_the_fulfilments_to_packing(shop):
    order = place_order(shop.buyer, [(shop.lily.id, 1), (shop.apple.id, 2)], shop.pickup, ONLINE)
    assert payment_settled(order) is True
    db.session.commit()
    assert order.status == OrderStatus.confirmed
    for fulfilment in order.fulfilments:
        assert fulfilment.status == FulfilmentStatus.to_pack
        assert fulfilment.paid_at is not None and fulfilment.amount_due_fen == 0
        assert fulfilment.income_recognised_at is None  # not delivered yet
    events = len(events_for("order", order.id))
    assert payment_settled(order) is False  # a second confirmation is refused, not repeated
    assert len(events_for("order", order.id)) == events


def test_income_is_recognised_when_a_delivered_fulfilment_is_paid(shop, monkeypatch):
    calls = []
    monkeypatch.setattr(actions, "recognise_income_if_due", calls.append)
    order = place_order(shop.buyer, [(shop.lily.id, 1), (shop.apple.id, 1)], shop.pickup, ONLINE)
    payment_settled(order)
    assert calls == order.fulfilments


def test_a_manager_packs_only_their_own_cooperatives_fulfilment(shop):
    order = place_order(shop.buyer, [(shop.lily.id, 1)], shop.pickup, CASH)
    [fulfilment] = order.fulfilments
    with pytest.raises(Forbidden):
        mark_packed(fulfilment, by=shop.apple_manager)
    assert fulfilment.status == FulfilmentStatus.to_pack
    mark_packed(fulfilment, by=shop.lily_manager)
    assert fulfilment.status == FulfilmentStatus.packed
    assert events_for("fulfilment", fulfilment.id)[-1].by_id == shop.lily_manager.id


def test_an_unpaid_online_fulfilment_cannot_be_packed(shop):
    order = place_order(shop.buyer, [(shop.lily.id, 1)], shop.pickup, ONLINE)
    with pytest.raises(IllegalTransition):
        mark_packed(order.fulfilments[0], by=shop.lily_manager)
