"""The shop page asks the database a fixed, small number of questions, however many
products it shows (no query per product card)."""

import pytest
from sqlalchemy import event

from marketplace.extensions import db


@pytest.fixture
def app_config(app_config):
    """Every request renders and reads: no page cache, no memo of stock (what is counted
    is the work of a page that is not cached yet)."""
    return app_config | {"PAGE_CACHE_SECONDS": 0, "CATALOG_FRESH_SECONDS": 0}


@pytest.fixture
def count_queries(app):
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield statements
    event.remove(db.engine, "before_cursor_execute", record)


def shop_queries(client, count_queries, path) -> int:
    client.get(path)  # the first view may load the session's user and settings
    count_queries.clear()
    assert client.get(path).status_code == 200
    return len(count_queries)


def test_the_shop_page_queries_do_not_grow_with_the_products_shown(
    client, count_queries, create_product, create_lot, create_cooperative
):
    cooperative = create_cooperative()
    create_lot(product=create_product(cooperative=cooperative, name_zh="兰州百合"))
    one = shop_queries(client, count_queries, "/shop?q=百合")
    for n in range(11):
        create_lot(product=create_product(name_zh=f"百合{n}"))
    db.session.commit()
    twelve = shop_queries(client, count_queries, "/shop?q=百合")
    assert twelve == one
    # regions, categories, products, photos, count, stock (plus the session's own reads)
    assert twelve <= 8
