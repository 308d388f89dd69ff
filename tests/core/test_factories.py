"""The shared factories build a consistent little world."""

from marketplace.catalog.models import SupplyLot
from marketplace.extensions import db


def test_a_lot_with_household_contributions(create_lot, create_household, create_station):
    a, b = create_household(), create_household(members=2)
    lot = create_lot(contributions=[(a, 30), (b, 20), ("邻村收购点", 10)])
    stored = db.session.get(SupplyLot, lot.id)
    assert stored.quantity == stored.remaining == 60
    assert [c.quantity for c in stored.contributions] == [30, 20, 10]
    assert create_station(kind="county_center").kind == "county_center"
