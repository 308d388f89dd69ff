"""The demo has sample freight templates for every cooperative and express orders to
several provinces placed through the real verbs."""

from marketplace.catalog.freight import FreightTemplate
from marketplace.extensions import db
from marketplace.orders.models import Delivery, Order, OrderStatus


def test_seed_demo_gives_express_orders_to_several_provinces(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "demo express orders" in result.output
    templates = db.session.scalars(db.select(FreightTemplate)).all()
    assert templates and all(t.is_sample for t in templates)
    express = db.session.scalars(db.select(Order).where(Order.delivery == Delivery.express)).all()
    assert len(express) >= 6, result.output
    assert len({o.ship_province_code for o in express}) >= 4
    assert all(o.shipping_fen > 0 and o.pickup_station_id is None for o in express)
    assert {o.status for o in express} >= {OrderStatus.pending_payment, OrderStatus.confirmed}
    for order in express:
        for fulfilment in order.fulfilments:
            assert fulfilment.parcel.route[-1] is not None
