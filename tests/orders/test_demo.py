"""Demo orders: made once for the demo buyer when the shop has stock, skipped otherwise."""

from marketplace.extensions import db
from marketplace.orders import demo
from marketplace.orders.models import FulfilmentStatus, Order, OrderStatus


def test_demo_orders_are_made_once(shop):
    assert demo.load() == "3 demo orders for buyer@example.com"
    db.session.commit()
    assert demo.load() == "demo orders already there"
    orders = db.session.scalars(db.select(Order).order_by(Order.id)).all()
    assert len(orders) == 3
    assert len(orders[0].fulfilments) == 2
    assert orders[1].fulfilments[0].status == FulfilmentStatus.packed
    assert orders[2].status == OrderStatus.cancelled


def test_demo_orders_are_skipped_without_village_points_or_buyer(app, create_user):
    assert demo.load() == "skipped: no demo buyer"
    create_user(email="buyer@example.com")
    assert demo.load() == "skipped: no village points yet"
