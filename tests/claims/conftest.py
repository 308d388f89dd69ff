"""Fixtures of claims: a delivered sale of one product whose lot two households supplied."""

from datetime import timedelta

import pytest

from marketplace.clock import utcnow
from marketplace.extensions import db


@pytest.fixture
def buyer(create_user):
    return create_user(email="buyer@example.com", name="Ma Lan")


@pytest.fixture
def manager(create_user):
    return create_user(email="manager@example.com", roles=["cooperative_manager"])


@pytest.fixture
def admin(create_user):
    return create_user(email="admin@example.com", roles=["admin"])


@pytest.fixture
def delivered(app, buyer, manager, create_sale, create_product, create_lot, create_household):
    """A cash sale of 4 bags at ¥33.33, delivered an hour ago; income recognised."""

    def make(quantity=4, price_fen=3333, payment="cash", at=None, perishable=False, until=None):
        product = create_product(price_fen=price_fen, perishable=perishable)
        product.cooperative.managers.append(manager)
        lot = create_lot(
            product,
            quantity=12,
            contributions=[(create_household(), 7), (create_household(), 5)],
        )
        fulfilment = create_sale(
            (product, [(lot, quantity)]),
            buyer=buyer,
            payment=payment,
            at=at or utcnow() - timedelta(hours=1),
            **({"until": until} if until else {}),
        )
        db.session.commit()
        return fulfilment

    return make
