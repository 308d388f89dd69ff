"""Generate the prefecture into the session's transaction (the caller commits once)."""

import random
import time

import click
import sqlalchemy as sa

from ..extensions import db
from ..households.rollup import add_ledger_from
from ..logistics.network import touch_network
from . import history as h
from .bulk import BulkWriter, next_id
from .config import ScaleConfig
from .ledger import INCOME_COLUMNS, Ids, income_rows
from .network import build_network
from .registry import build_registry
from .supply import build_supply
from .trade import simulate

# Every table the generator writes, parents before children (foreign keys may be checked).
TABLES = (
    "regions", "stations", "links", "users", "user_roles", "households", "categories",
    "cooperatives", "cooperative_managers", "station_operators", "products", "supply_lots",
    "lot_contributions", "orders", "fulfilments", "order_lines", "line_allocations", "parcels",
    "payments", "refunds", "cash_movements", "status_events", "income_entries",
)  # fmt: skip
# Generation needs these empty: it numbers their rows itself.
MUST_BE_EMPTY = ("stations", "households", "cooperatives", "products", "supply_lots", "orders")


class Refused(click.ClickException):
    """The database already holds other trade data the generator would collide with."""


def _count(table: str) -> int:
    return db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))


def generate(cfg: ScaleConfig, bar=None) -> str:
    """Write the whole prefecture; a no-op when it is already there. Returns a summary."""
    counts = {table: _count(table) for table in MUST_BE_EMPTY}
    if counts["orders"] and counts["households"] and counts["stations"]:
        return f"prefecture data already present ({counts['orders']:,} orders); nothing done"
    if any(counts.values()):
        found = ", ".join(f"{n:,} {t}" for t, n in counts.items() if n)
        raise Refused(f"prefecture scale needs a database without trade data; found {found}")
    began = time.monotonic()

    def stage(label: str) -> None:
        if bar is not None:
            bar.label = f"{label:<16}"
            bar.update(0)

    rng = random.Random(cfg.seed)
    writer = BulkWriter(TABLES, cfg.check_foreign_keys, bar.update if bar else None)
    stage("stations")
    net = build_network(writer, rng, cfg.villages)
    stage("households")
    reg = build_registry(writer, rng, cfg, net)
    stage("simulating")
    trade = simulate(cfg, rng, net, reg)
    supply = build_supply(cfg, rng, net, reg, trade)
    ids = Ids(
        *(next_id(t) for t in ("orders", "fulfilments", "order_lines", "line_allocations")),
        *(next_id(t) for t in ("supply_lots", "lot_contributions", "payments", "refunds")),
        *(next_id(t) for t in ("income_entries", "parcels", "cash_movements", "status_events")),
    )
    start, payment_of = cfg.start, {}
    steps = (
        ("supply_lots", h.LOT_COLUMNS, h.lot_rows(reg, supply, ids, rng)),
        ("lot_contributions", h.CONTRIBUTION_COLUMNS, h.contribution_rows(supply, ids)),
        ("orders", h.ORDER_COLUMNS, h.order_rows(reg, trade, ids, start)),
        ("fulfilments", h.FULFILMENT_COLUMNS, h.fulfilment_rows(reg, trade, ids, start)),
        ("order_lines", h.LINE_COLUMNS, h.line_rows(reg, trade, ids)),
        ("line_allocations", h.ALLOCATION_COLUMNS, h.allocation_rows(trade, supply, ids, start)),
        ("parcels", h.PARCEL_COLUMNS, h.parcel_rows(reg, net, trade, ids, start, rng)),
        ("payments", h.PAYMENT_COLUMNS, h.payment_rows(reg, trade, ids, start, payment_of)),
        ("refunds", h.REFUND_COLUMNS, h.refund_rows(trade, ids, start, payment_of)),
        ("cash_movements", h.CASH_COLUMNS, h.cash_rows(reg, trade, ids, start)),
        ("status_events", h.EVENT_COLUMNS, h.event_rows(trade, ids, start)),
        ("income_entries", INCOME_COLUMNS, income_rows(reg, trade, supply, ids, start)),
    )
    for table, columns, rows in steps:  # generators: each table is produced as it is written
        stage(table)
        writer.write(table, columns, rows)
    stage("income rollup")
    add_ledger_from(ids.income)  # one INSERT ... SELECT over the ledger just loaded
    stage("indexes")
    writer.finish()
    touch_network()  # stations and links were loaded by COPY, past the ORM's flush hook
    written = writer.rows_written
    notes = "; ".join(writer.notes)
    return (
        f"{sum(written.values()):,} rows in {time.monotonic() - began:.0f} s: "
        + ", ".join(f"{written[t]:,} {t}" for t in TABLES if written.get(t))
        + (f" ({notes})" if notes else "")
    )


def expected_rows(cfg: ScaleConfig) -> int:
    """A rough total for the progress bar (the ledger dominates: ~13 entries per order)."""
    return cfg.households + cfg.contributions + cfg.buyers + 20 * cfg.orders + 9 * cfg.lines


def load_prefecture(orders: int | None = None, seed: int = 622900) -> str:
    """`seed-demo --scale prefecture`: generate with a progress bar on the terminal."""
    cfg = ScaleConfig.for_orders(orders or ScaleConfig.orders, seed=seed)
    with click.progressbar(length=expected_rows(cfg), label="prefecture", width=30) as bar:
        return generate(cfg, bar)
