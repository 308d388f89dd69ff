"""Fixtures for the income and report tests: sales built row by row with the order models,
moved through the real fulfilment status machine, paid and recognised."""

import itertools

import pytest

from marketplace.accounts.models import User
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
def sell(app, create_station):
    """sell((product, [(lot, qty), ...], unit_price_fen=None), ..., delivered=True, paid=True,
    recognise=True, at=None) -> Fulfilment.

    Every line must be of one cooperative's products (one fulfilment). Lines are priced at
    the product's price unless a price is given.
    """
    made = {}

    def sell(*lines, delivered=True, paid=True, recognise=True, at=None):
        if "buyer" not in made:
            # A buyer who never logs in: no password hash to compute (scrypt is slow).
            made["buyer"] = User(
                email=f"buyer{next(_refs)}@example.com", name="买家", password_hash="!"
            )
            db.session.add(made["buyer"])
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


@pytest.fixture
def scenario(
    app, create_village, create_household, create_cooperative, create_product, create_lot, sell
):
    """Two cooperatives in two counties, five households in four villages, four sales
    recognised this year, one not yet delivered and one recognised in 2020.

    Yongjing cooperative (80 % to producers): lily 2,999 fen (ovop), apple 4,500 fen.
    Hezheng cooperative (70 %): pear 1,800 fen. Household h1 (Yongjing) also sells pears
    to the Hezheng cooperative; h5 sells nothing.
    """
    from types import SimpleNamespace

    from marketplace.households.models import PovertyLine
    from marketplace.reports.services import local_today

    year = local_today().year
    db.session.add(PovertyLine(year=year, amount_fen=400000))
    liujiaxia = create_village("622923100", name="刘家峡示例村")
    chenjing = create_village("622923106", name="陈井示例村")
    chengguan = create_village("622925100", name="城关示例村")
    h1 = create_household(
        liujiaxia, members=4, head_name="马小花", net_income_per_person_fen=398000
    )
    h2 = create_household(
        liujiaxia, members=5, head_name="韩德明", net_income_per_person_fen=390000
    )
    h3 = create_household(chenjing, members=3, head_name="王秀英")
    h4 = create_household(chengguan, members=2, head_name="马福", net_income_per_person_fen=500000)
    h5 = create_household(chenjing, members=6, head_name="李强")
    yongjing = create_cooperative(liujiaxia, producer_share_bp=8000, name_en="Yongjing Lily Co-op")
    hezheng = create_cooperative(chengguan, producer_share_bp=7000, name_en="Hezheng Pear Co-op")
    lily = create_product(yongjing, price_fen=2999, ovop=True, name_en="Lanzhou lily")
    apple = create_product(yongjing, price_fen=4500, name_en="Bingtangxin apple")
    pear = create_product(hezheng, price_fen=1800, ovop=True, name_en="Pite pear")
    lily_a = create_lot(lily, contributions=[(h1, 6), (h2, 4)])
    lily_b = create_lot(lily, contributions=[(h2, 5), (h3, 15)])
    apples = create_lot(apple, contributions=[(h3, 10), ("收购点", 10)])
    pears = create_lot(pear, contributions=[(h4, 8), (h1, 2)])
    sales = [
        sell((lily, [(lily_a, 5), (lily_b, 3)])),
        sell((apple, [(apples, 4)]), (lily, [(lily_b, 2)])),
        sell((pear, [(pears, 10)])),
    ]
    pending = sell((lily, [(lily_a, 1)]), delivered=False)
    from datetime import datetime

    old = sell((apple, [(apples, 1)]), at=datetime(2020, 6, 1))
    return SimpleNamespace(**locals())
