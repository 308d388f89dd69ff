"""Fixtures for the income and report tests: refunds and a worked scenario, built on the
shared `create_sale` factory (tests/factories.py)."""

import pytest

from marketplace.extensions import db


@pytest.fixture
def refund(app):
    """refund(fulfilment, amount_fen, succeeded=True) -> Refund of the money the sale was paid."""
    from marketplace.payments.models import (
        Payment,
        PaymentProvider,
        PaymentStatus,
        Refund,
        RefundStatus,
    )

    def refund(fulfilment, amount_fen, succeeded=True):
        # The money the sale was paid with: cash at pickup, or the order's Stripe payment.
        payment = db.session.scalars(
            db.select(Payment)
            .where(
                Payment.order_id == fulfilment.order_id,
                Payment.status == PaymentStatus.succeeded,
                db.or_(Payment.fulfilment_id == fulfilment.id, Payment.fulfilment_id.is_(None)),
            )
            .order_by(Payment.id)
        ).first()
        if payment is None:  # not paid yet: the cash it will be paid with
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
    app,
    create_village,
    create_household,
    create_cooperative,
    create_product,
    create_lot,
    create_sale,
):
    """Two cooperatives in two counties, five households in four villages, four sales
    recognised this year, one not yet delivered and one recognised in 2020.

    Yongjing cooperative (80 % to producers): lily 2,999 fen (ovop), apple 4,500 fen.
    Hezheng cooperative (70 %): pear 1,800 fen. Household h1 (Yongjing) also sells pears
    to the Hezheng cooperative; h5 sells nothing.
    """
    from types import SimpleNamespace

    from marketplace.clock import local_today
    from marketplace.households.models import PovertyLine

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
        create_sale((lily, [(lily_a, 5), (lily_b, 3)])),
        create_sale((apple, [(apples, 4)]), (lily, [(lily_b, 2)])),
        create_sale((pear, [(pears, 10)])),
    ]
    pending = create_sale((lily, [(lily_a, 1)]), payment="stripe", until="paid")
    from datetime import datetime

    old = create_sale((apple, [(apples, 1)]), at=datetime(2020, 6, 1))
    return SimpleNamespace(**locals())
