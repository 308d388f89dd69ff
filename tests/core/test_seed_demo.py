"""`flask seed-demo` loads a coherent Linxia demo, and running it again changes nothing."""

import sqlalchemy as sa

from marketplace.extensions import db

COUNTED = (
    "regions", "users", "stations", "links", "households", "cooperatives", "products",
    "supply_lots", "lot_contributions", "orders", "fulfilments", "parcels", "parcel_scans",
    "payments", "income_entries", "status_events",
)  # fmt: skip


def _counts() -> dict[str, int]:
    db.session.expire_all()
    return {
        t: db.session.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar_one() for t in COUNTED
    }


def test_seed_demo_twice_changes_nothing(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    after_first = _counts()
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert _counts() == after_first
    # Delivered demo sales reached registered households through the real income rules.
    assert after_first["income_entries"] > 0 and after_first["parcel_scans"] > 0
    assert "demo orders delivered through the network" in first.output
