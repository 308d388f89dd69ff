"""The monthly income rollup always equals the ledger it sums: after sales, refunds, a refund
recognised with its sale, and sales either side of a local (China) month boundary."""

from collections import defaultdict
from datetime import date, datetime

import pytest

from marketplace.clock import local_date, month_of
from marketplace.extensions import db
from marketplace.households.models import HouseholdIncomeMonth, IncomeEntry
from marketplace.households.rollup import add_ledger_from
from marketplace.orders.actions import refund_recorded
from marketplace.reports.queries import households
from marketplace.reports.services import Filters
from tests.reports.conftest import refund

SALE_FIXTURES = (refund,)


def ledger_by_month() -> dict[tuple[int, int, str], int]:
    sums = defaultdict(int)
    for e in db.session.scalars(db.select(IncomeEntry)):
        if e.household_id is not None:
            sums[(e.household_id, e.village_id, month_of(e.recognised_at))] += e.amount_fen
    return dict(sums)


def rollup() -> dict[tuple[int, int, str], int]:
    rows = db.session.scalars(db.select(HouseholdIncomeMonth))
    return {(r.household_id, r.village_id, r.month): r.amount_fen for r in rows}


def test_rollup_equals_the_ledger_after_sales_and_refunds(
    create_cooperative, create_product, create_household, create_lot, create_sale, refund
):
    lily = create_product(cooperative=create_cooperative(producer_share_bp=8000), price_fen=2999)
    h1, h2 = create_household(), create_household()
    lot = create_lot(product=lily, quantity=100, contributions=[(h1, 60), (h2, 40)])
    # 15:59 and 16:00 UTC on 31 May are 23:59 on 31 May and 00:00 on 1 June in China.
    may = create_sale((lily, [(lot, 3)]), at=datetime(2026, 5, 31, 15, 59))
    june = create_sale((lily, [(lot, 5)]), at=datetime(2026, 5, 31, 16, 0))
    create_sale((lily, [(lot, 2)]), at=datetime(2026, 6, 20))
    refund_recorded(refund(june, 2999 * 2))
    early = create_sale((lily, [(lot, 4)]), payment="stripe", until="paid")
    refund(early, 2999)  # refunded before recognition: reversed when recognised
    create_sale.advance(early)
    assert early.income_recognised_at is not None
    refund_recorded(refund(may, 2999 * 3))  # the whole of May's sale
    db.session.commit()

    assert rollup() == ledger_by_month()
    # May's sale stays in May (7,197 fen, 60 % to household 1); its refund reverses it in
    # the month the refund is recognised, like the ledger.
    assert rollup()[(h1.id, h1.village_id, "2026-05")] == 4318
    assert {month for _, _, month in rollup()} >= {"2026-05", "2026-06"}


def test_rebuilding_from_the_ledger_gives_the_same_rollup(
    create_cooperative, create_product, create_household, create_lot, create_sale, refund
):
    lily = create_product(cooperative=create_cooperative(producer_share_bp=7000), price_fen=1999)
    lot = create_lot(product=lily, quantity=50, contributions=[(create_household(), 50)])
    fulfilment = create_sale((lily, [(lot, 7)]), at=datetime(2026, 3, 2))
    refund_recorded(refund(fulfilment, 1999))
    kept = rollup()
    db.session.execute(db.delete(HouseholdIncomeMonth))
    add_ledger_from(0)
    assert rollup() == kept == ledger_by_month()


def ledger_between(start: date, end: date) -> int:
    """Household income recognised on local days start..end, summed in Python."""
    return sum(
        e.amount_fen
        for e in db.session.scalars(db.select(IncomeEntry))
        if e.household_id is not None and start <= local_date(e.recognised_at) <= end
    )


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 5, 1), date(2026, 6, 30)),  # whole months: the rollup alone
        (date(2026, 5, 31), date(2026, 6, 1)),  # no whole month: the ledger alone
        (date(2026, 4, 15), date(2026, 6, 10)),  # ledger, May from the rollup, ledger
        (date(2026, 6, 1), date(2026, 6, 19)),  # a whole-month start, a partial end
        (date(2026, 4, 16), date(2026, 6, 15)),  # rollup minus the days left out (with sales)
        (date(2026, 4, 28), date(2026, 6, 3)),  # barely-covered ends: ledger days
    ],
)
def test_reports_read_rollup_and_ledger_together_to_the_fen(
    app, create_cooperative, create_product, create_household, create_lot, create_sale, start, end
):
    lily = create_product(cooperative=create_cooperative(producer_share_bp=8000), price_fen=2999)
    lot = create_lot(product=lily, quantity=100, contributions=[(create_household(), 100)])
    for at in (
        datetime(2026, 4, 14, 17, 0),  # 15 April, local
        datetime(2026, 5, 31, 15, 59),  # 31 May 23:59, local
        datetime(2026, 5, 31, 16, 0),  # 1 June 00:00, local
        datetime(2026, 6, 10, 15, 59),
        datetime(2026, 6, 10, 16, 0),  # 11 June, local
        datetime(2026, 6, 20),
    ):
        create_sale((lily, [(lot, 1)]), at=at)
    with app.test_request_context():
        table = households.build(Filters(start=start, end=end, locale="en"))
    assert table.totals["income"] == ledger_between(start, end) > 0
