"""Checkout through the API stays a handful of SQL statements per order (issue 18: at most
12). The one assertion on the cost of a path: it fails when someone adds a query, a lazy
load or a row-at-a-time insert to checkout."""

import re

import pytest
import sqlalchemy as sa

from marketplace.extensions import db

MAX_STATEMENTS = 12
TRANSACTION_CONTROL = re.compile(r"\s*(BEGIN|SAVEPOINT|RELEASE|ROLLBACK TO)\b", re.I)


class StatementLog:
    def __init__(self, engine):
        self.engine, self.statements = engine, []

    def __enter__(self):
        sa.event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    @property
    def work(self) -> list[str]:
        """The statements that read or write rows; transaction control (BEGIN IMMEDIATE on
        SQLite, the verb's SAVEPOINT and RELEASE) is listed but not counted."""
        return [s for s in self.statements if not TRANSACTION_CONTROL.match(s)]

    def report(self) -> str:
        return "\n".join(f"{i + 1}. {s[:200]}" for i, s in enumerate(self.statements))


def _checkout(client, headers, body) -> StatementLog:
    with StatementLog(db.engine) as log:
        response = client.post("/api/v1/orders", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return log


@pytest.fixture
def order_body(network, goods):
    def order_body(*products):
        return {
            "lines": [{"product_id": p.id, "quantity": 2} for p in products],
            "pickup_station_id": network.stations["pickup_point"].id,
            "payment_method": "cash_at_pickup",
        }

    return order_body


@pytest.fixture
def headers(network, bearer, client, order_body, goods, create_lot):
    create_lot(goods.lily, quantity=10)  # a second lot: the order takes from both
    headers = bearer(network.buyer)
    # A first order warms the per-process caches (the station network), as in production.
    assert client.post("/api/v1/orders", json=order_body(goods.lily), headers=headers).status_code
    return headers


def test_a_one_product_order_takes_at_most_12_statements(client, headers, order_body, goods):
    """The whole API request: token, pickup point, products, lots locked and taken, the
    order, fulfilment, line, allocations, parcel and events written, the answer read."""
    log = _checkout(
        client,
        headers,
        order_body(goods.lily) | {"lines": [{"product_id": goods.lily.id, "quantity": 12}]},
    )
    assert len(log.work) <= MAX_STATEMENTS, log.report()


def test_a_two_cooperative_order_costs_no_more_on_postgresql(client, headers, order_body, goods):
    """PostgreSQL inserts the fulfilments, lines and parcels of every cooperative in one
    statement per table; SQLite (no ordered RETURNING for several rows) one per row."""
    log = _checkout(client, headers, order_body(goods.lily, goods.apple))
    extra_rows = 0 if db.engine.dialect.name == "postgresql" else 3
    assert len(log.work) <= MAX_STATEMENTS + extra_rows, log.report()
