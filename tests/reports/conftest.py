"""Fixtures for the income and report tests: sales built row by row with the order models,
moved through the real fulfilment status machine, paid and recognised."""

import itertools

import pytest

from marketplace.extensions import db
from marketplace.households.income import recognise_if_due
from marketplace.orders.models import (
    Fulfilment,
    FulfilmentStatus,
    LineAllocation,
    Order,
    OrderLine,
    OrderStatus,
    PaymentMethod,
)
from marketplace.orders.status import mark_paid, move_fulfilment
from marketplace.status import record_initial_status

_refs = itertools.count(1)
F = FulfilmentStatus


@pytest.fixture
def sell(app, create_user, create_station):
    """sell((product, [(lot, qty), ...], unit_price_fen=None), ..., delivered=True, paid=True,
    recognise=True, at=None) -> Fulfilment.

    Every line must be of one cooperative's products (one fulfilment). Lines are priced at
    the product's price unless a price is given.
    """
    made = {}

    def sell(*lines, delivered=True, paid=True, recognise=True, at=None):
        if "buyer" not in made:
            made["buyer"] = create_user(email=f"buyer{next(_refs)}@example.com")
            made["pickup"] = create_station()
        cooperative_id = lines[0][0].cooperative_id
        order = Order(
            reference=f"T{next(_refs):09d}",
            buyer_id=made["buyer"].id,
            pickup_station_id=made["pickup"].id,
            payment_method=PaymentMethod.cash_at_pickup,
            status=OrderStatus.confirmed,
        )
        db.session.add(order)
        db.session.flush()
        record_initial_status(order, "order")
        fulfilment = Fulfilment(
            order=order, cooperative_id=cooperative_id, status=F.pending_payment
        )
        db.session.add(fulfilment)
        db.session.flush()
        record_initial_status(fulfilment, "fulfilment")
        goods = 0
        for spec in lines:
            product, takes = spec[0], spec[1]
            price = spec[2] if len(spec) > 2 else product.price_fen
            assert product.cooperative_id == cooperative_id, "one cooperative per fulfilment"
            quantity = sum(q for _, q in takes)
            line = OrderLine(
                order=order,
                fulfilment=fulfilment,
                product_id=product.id,
                product_name=product.name_zh,
                unit=product.unit,
                unit_weight_g=product.unit_weight_g,
                quantity=quantity,
                unit_price_fen=price,
                line_fen=price * quantity,
            )
            db.session.add(line)
            for lot, qty in takes:
                lot.remaining -= qty
                db.session.add(LineAllocation(line=line, lot_id=lot.id, quantity=qty))
            goods += price * quantity
        fulfilment.goods_fen = order.goods_fen = order.total_fen = goods
        fulfilment.amount_due_fen = goods
        db.session.flush()
        for status in (F.to_pack, F.packed, F.ready_for_pickup):
            move_fulfilment(fulfilment, status)
        if delivered:
            move_fulfilment(fulfilment, F.delivered)
        if paid:
            mark_paid(fulfilment)
        if recognise:
            recognise_if_due(fulfilment, at=at)
        db.session.commit()
        return fulfilment

    return sell


@pytest.fixture
def refund(app):
    """refund(fulfilment, amount_fen, succeeded=True) -> Refund (cash payment + refund rows)."""
    from marketplace.payments.models import (
        Payment,
        PaymentProvider,
        PaymentStatus,
        Refund,
        RefundStatus,
    )

    def refund(fulfilment, amount_fen, succeeded=True):
        payment = Payment(
            order_id=fulfilment.order_id,
            fulfilment_id=fulfilment.id,
            provider=PaymentProvider.cash,
            status=PaymentStatus.succeeded,
            amount_fen=fulfilment.goods_fen,
        )
        db.session.add(payment)
        db.session.flush()
        row = Refund(
            payment_id=payment.id,
            fulfilment_id=fulfilment.id,
            amount_fen=amount_fen,
            reason="damaged in transit",
            status=RefundStatus.succeeded if succeeded else RefundStatus.pending,
        )
        db.session.add(row)
        db.session.flush()
        return row

    return refund
