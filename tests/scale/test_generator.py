"""The prefecture generator at tiny scale: counts, status mix, reproducibility, refusals."""

import pytest
import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.logistics.models import Parcel
from marketplace.scale.generate import Refused, generate
from tests.conftest import _empty_database


def count(sql: str) -> int:
    return db.session.scalar(sa.text(sql))


def test_counts_match_the_configuration(tiny):
    assert count("SELECT count(*) FROM regions WHERE level = 'village'") == tiny.villages == 1090
    assert count("SELECT count(*) FROM households") == tiny.households
    assert count("SELECT count(*) FROM cooperatives") == tiny.cooperatives
    assert count("SELECT count(*) FROM products") == tiny.products
    assert count("SELECT count(*) FROM supply_lots") == tiny.lots
    assert count("SELECT count(*) FROM lot_contributions") == tiny.contributions
    assert count("SELECT count(*) FROM orders") == tiny.orders
    assert count("SELECT count(*) FROM order_lines") == tiny.lines


def test_the_station_network_covers_every_county_township_and_poverty_village(tiny):
    def stations(kind):
        return count(f"SELECT count(*) FROM stations WHERE kind = '{kind}'")

    assert stations("county_center") == 8
    assert stations("township_station") == 131
    poverty = count("SELECT count(*) FROM regions WHERE level = 'village' AND is_poverty_village")
    assert stations("village_point") == poverty > 400
    assert count("SELECT count(*) FROM links WHERE to_station_id IS NULL") == 8  # express
    # Every village point has a run to its township station and back.
    assert count("SELECT count(*) FROM links") == 2 * (poverty + 131 + 7) + 8


def test_households_have_one_to_eight_members_and_crowd_in_poverty_villages(tiny):
    assert count("SELECT min(members) FROM households") == 1
    assert count("SELECT max(members) FROM households") == 8
    in_poverty = count(
        "SELECT count(*) FROM households h JOIN regions v ON v.id = h.village_id "
        "WHERE v.is_poverty_village"
    )
    assert in_poverty > 0.7 * tiny.households


def test_each_order_has_one_fulfilment_and_one_parcel_per_cooperative(tiny):
    pairs = count(
        "SELECT count(*) FROM (SELECT DISTINCT o.order_id, f.cooperative_id "
        "FROM order_lines o JOIN fulfilments f ON f.id = o.fulfilment_id) AS x"
    )
    assert (
        pairs == count("SELECT count(*) FROM fulfilments") == count("SELECT count(*) FROM parcels")
    )
    mismatched = count(
        "SELECT count(*) FROM order_lines l JOIN fulfilments f ON f.id = l.fulfilment_id "
        "JOIN products p ON p.id = l.product_id WHERE p.cooperative_id <> f.cooperative_id "
        "OR l.order_id <> f.order_id"
    )
    assert mismatched == 0


def test_order_totals_add_up_from_lines_and_shipping(tiny):
    wrong = count(
        "SELECT count(*) FROM orders o WHERE o.total_fen <> o.goods_fen + o.shipping_fen "
        "OR o.goods_fen <> (SELECT sum(line_fen) FROM order_lines l WHERE l.order_id = o.id)"
    )
    assert wrong == 0


def test_the_status_mix_is_that_of_a_real_shop(generate_tiny):
    cfg = generate_tiny(orders=2000)
    rows = db.session.execute(sa.text("SELECT status, count(*) FROM orders GROUP BY status"))
    by_status = dict(rows.all())
    assert by_status["completed"] > 0.8 * cfg.orders
    assert 0.02 * cfg.orders < by_status["cancelled"] < 0.12 * cfg.orders
    assert count("SELECT count(*) FROM refunds") > 0
    assert count("SELECT count(*) FROM income_entries WHERE kind = 'reversal'") > 0
    unpaid_delivered = count(
        "SELECT count(*) FROM fulfilments WHERE status = 'delivered' AND paid_at IS NULL"
    )
    assert unpaid_delivered == 0


def totals() -> dict:
    """Figures that change if anything generated changes."""
    return {
        "income": count("SELECT sum(amount_fen) FROM income_entries"),
        "entries": count("SELECT count(*) FROM income_entries"),
        "sales": count("SELECT sum(total_fen) FROM orders"),
        "remaining": count("SELECT sum(remaining) FROM supply_lots"),
        "households": count("SELECT sum(members * id) FROM households"),
        "cancelled": count("SELECT count(*) FROM orders WHERE status = 'cancelled'"),
    }


def test_the_same_seed_generates_the_same_prefecture(generate_tiny):
    generate_tiny(seed=7)
    first = totals()
    _empty_database()
    generate_tiny(seed=7)
    assert totals() == first
    _empty_database()
    generate_tiny(seed=8)
    assert totals() != first


def index_names() -> set[str]:
    inspector = sa.inspect(db.session.connection())
    return {
        (table, index["name"])
        for table in inspector.get_table_names()
        for index in inspector.get_indexes(table)
    }


def test_the_indexes_dropped_for_the_load_are_all_rebuilt(generate_tiny):
    before = index_names()
    generate_tiny(orders=50)
    assert index_names() == before
    assert ("income_entries", "ix_income_entries_village_at_cover") in before


def test_running_it_again_changes_nothing(tiny):
    before = totals()
    summary = generate(tiny)
    assert "already present" in summary
    assert totals() == before


def test_it_refuses_a_database_that_holds_other_trade_data(app, create_station):
    create_station()
    from marketplace.scale.config import ScaleConfig

    with pytest.raises(Refused, match="1 stations"):
        generate(ScaleConfig.for_orders(50))


def test_seed_demo_at_prefecture_scale_runs_the_generator(runner):
    result = runner.invoke(args=["seed-demo", "--scale", "prefecture", "--orders", "300"])
    assert result.exit_code == 0, result.output
    assert "prefecture: " in result.output and "300 orders" in result.output
    assert count("SELECT count(*) FROM regions WHERE level = 'village'") == 1090
    assert count("SELECT count(*) FROM orders") == 300
    # The demo logins take part: the demo manager manages a generated cooperative.
    managed = count(
        "SELECT count(*) FROM cooperative_managers m JOIN users u ON u.id = m.user_id "
        "WHERE u.email = 'coop@example.com'"
    )
    assert managed == 1


def test_perishable_parcels_travel_only_on_cold_chain_links(tiny):
    cold_links = set(db.session.scalars(sa.text("SELECT id FROM links WHERE cold_chain")))
    parcels = db.session.execute(
        sa.select(Parcel.route_links).where(Parcel.cold_chain.is_(True))
    ).scalars()
    routes = list(parcels)
    assert routes, "the tiny prefecture sells perishable goods"
    assert all(set(links) <= cold_links for links in routes)
    # A village point keeps the cold chain exactly when its runs do.
    mismatched = count(
        "SELECT count(*) FROM links l JOIN stations s ON s.id = l.from_station_id "
        "WHERE s.kind = 'village_point' AND l.cold_chain <> s.cold_chain"
    )
    assert mismatched == 0


def test_the_monthly_income_rollup_equals_the_generated_ledger(tiny):
    by_month = """
        SELECT household_id, village_id, {month} AS month, SUM(amount_fen) AS fen
        FROM income_entries WHERE household_id IS NOT NULL GROUP BY 1, 2, 3
    """
    dialect = db.session.get_bind().dialect.name
    month = {
        "postgresql": "to_char(recognised_at + interval '8 hours', 'YYYY-MM')",
        "sqlite": "strftime('%Y-%m', recognised_at, '+8 hours')",
    }[dialect]
    ledger = set(db.session.execute(sa.text(by_month.format(month=month))).all())
    rollup = db.session.execute(
        sa.text("SELECT household_id, village_id, month, amount_fen FROM household_income_months")
    ).all()
    assert ledger and set(rollup) == ledger
