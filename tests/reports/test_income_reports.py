"""Household income, area roll-up and monthly trend reports: the figures of the scenario
in conftest checked by hand, and every report agreeing with the ledger to the fen."""

from datetime import date

import pytest

from marketplace.clock import local_today
from marketplace.extensions import db
from marketplace.households.models import IncomeEntry
from marketplace.orders.actions import refund_recorded
from marketplace.regions.models import Region
from marketplace.regions.services import get_by_code
from marketplace.reports.queries import areas, households, trend
from marketplace.reports.services import Filters

# Per household this year (see the scenario's docstring and the worked example):
# h1 7,198 (lily) + 2,520 (2/10 of 12,600 pears)  = 9,718
# h2 6,597 (lily) + 1,200 (5/20 of 4,798 lily, tie -> first) = 7,797
# h3 5,398 + 7,200 (half of 14,400 apples) + 3,598 = 16,196
# h4 10,080 (8/10 of 12,600 pears)
# households 43,791; the other supplier 7,200; the 2020 sale is outside the period.
EXPECTED = {"h1": 9718, "h2": 7797, "h3": 16196, "h4": 10080}


@pytest.fixture
def request_context(app):
    with app.test_request_context():
        yield


def ledger_sum(since=None, code_prefix=None) -> int:
    """Household income in the ledger, summed independently of the report code."""
    stmt = db.select(db.func.coalesce(db.func.sum(IncomeEntry.amount_fen), 0)).where(
        IncomeEntry.household_id.is_not(None)
    )
    if since:
        stmt = stmt.where(IncomeEntry.recognised_at >= since)
    if code_prefix:
        stmt = stmt.join(Region, Region.id == IncomeEntry.village_id).where(
            Region.code.like(code_prefix + "%")
        )
    return db.session.scalar(stmt)


def this_year(**kw) -> Filters:
    return Filters(start=date(local_today().year, 1, 1), end=local_today(), locale="en", **kw)


def test_household_report_lists_each_household_with_its_income_to_the_fen(
    scenario, request_context
):
    table = households.build(this_year(sort="household_no", descending=False))
    rows = list(table.rows())
    s = scenario
    assert [r["household_no"] for r in rows] == [
        s.h1.household_no,
        s.h2.household_no,
        s.h3.household_no,
        s.h4.household_no,
    ]
    assert [r["income"] for r in rows] == [9718, 7797, 16196, 10080]
    assert [r["per_person"] for r in rows] == [9718 // 4, 7797 // 5, 16196 // 3, 10080 // 2]
    # h1: 398,000 x 4 + 9,718 = 1,601,718 >= 400,000 x 4; h2: 1,957,797 < 2,000,000;
    # h3 has no registered income; h4: 1,010,080 >= 800,000.
    assert [r["reaches"] for r in rows] == [True, False, None, True]
    assert [r["name"] for r in rows] == ["马*花", "韩*明", "王*英", "马*"]
    assert [r["village"] for r in rows] == [s.liujiaxia.name_en] * 2 + [
        s.chenjing.name_en,
        s.chengguan.name_en,
    ]
    assert table.totals["income"] == 43791
    assert table.totals["members"] == 14
    assert table.totals["per_person"] == 43791 // 14
    assert table.totals["_reached"] == 4 and table.row_count == 4


def test_household_report_sorts_by_income_largest_first_by_default(scenario, request_context):
    rows = list(households.build(this_year()).rows())
    assert [r["income"] for r in rows] == sorted(EXPECTED.values(), reverse=True)
    ascending = list(households.build(this_year(sort="income", descending=False)).rows())
    assert [r["income"] for r in ascending] == sorted(EXPECTED.values())


def test_household_report_filters_by_township_and_village(scenario, request_context):
    township = get_by_code("622923106")  # 陈井镇: only h3 (h5 sold nothing)
    rows = list(households.build(this_year(area=township)).rows())
    assert [(r["household_no"], r["income"]) for r in rows] == [(scenario.h3.household_no, 16196)]
    village = scenario.liujiaxia
    table = households.build(this_year(area=village))
    assert table.totals["income"] == 9718 + 7797


def test_household_report_period_excludes_other_years(scenario, request_context):
    table = households.build(Filters(start=date(2020, 1, 1), end=date(2020, 12, 31), locale="en"))
    rows = list(table.rows())
    assert [(r["household_no"], r["income"]) for r in rows] == [(scenario.h3.household_no, 1800)]


def test_area_rollup_per_county_by_hand(scenario, request_context):
    table = areas.build(this_year())
    rows = {r["area"]: r for r in table.rows()}
    assert len(rows) == 8  # every county, with or without sales
    yongjing, hezheng = rows["Yongjing County"], rows["Hezheng County"]
    assert (yongjing["households"], yongjing["income"]) == (3, 9718 + 7797 + 16196)
    assert yongjing["sales"] == 23992 + 18000 + 5998
    assert yongjing["to_poor"] == 19193 + 7200 + 4798
    assert yongjing["share"] == 31191 * 10000 // 47990  # 64.99 %
    assert (hezheng["households"], hezheng["income"], hezheng["sales"]) == (1, 10080, 18000)
    assert hezheng["to_poor"] == 12600 and hezheng["share"] == 7000
    assert rows["Kangle County"]["income"] == 0
    assert table.totals["per_household"] == 43791 // 4


def test_area_rollup_drills_down_to_townships_and_villages(scenario, request_context):
    county = get_by_code("622923")
    townships = {r["area"]: r for r in areas.build(this_year(area=county)).rows()}
    assert townships["Liujiaxia Town"]["income"] == 9718 + 7797
    assert townships["Chenjing Town"]["income"] == 16196
    villages = list(areas.build(this_year(area=get_by_code("622923100"))).rows())
    assert [(r["area"], r["households"]) for r in villages] == [(scenario.liujiaxia.name_en, 2)]


@pytest.mark.parametrize("with_refund", [False, True])
def test_household_report_area_rollup_trend_and_ledger_agree_to_the_fen(
    scenario, refund, request_context, with_refund
):
    if with_refund:
        refund_recorded(refund(scenario.sales[1], 6000))
        db.session.commit()
    start = this_year().start_utc
    ledger = ledger_sum(since=start)
    if not with_refund:
        assert ledger == sum(EXPECTED.values())

    report_1 = households.build(this_year())
    report_2 = areas.build(this_year())
    report_3 = trend.build(this_year())
    assert report_1.totals["income"] == report_2.totals["income"] == ledger
    assert report_3.totals["income"] == ledger
    assert sum(r["income"] for r in report_1.rows()) == ledger
    assert sum(r["income"] for r in report_2.rows()) == ledger
    assert sum(r["income"] for r in report_3.rows()) == ledger
    assert report_1.totals["_reached"] == report_2.totals["households"] == 4
    assert sum(r["sales"] for r in report_3.rows()) == report_2.totals["sales"] == 65990

    yongjing = get_by_code("622923")
    in_county = ledger_sum(since=start, code_prefix="622923")
    assert households.build(this_year(area=yongjing)).totals["income"] == in_county
    assert areas.build(this_year(area=yongjing)).totals["income"] == in_county


def test_trend_has_a_row_for_every_month_with_zeros_filled(scenario, request_context):
    today = local_today()
    table = trend.build(this_year())
    rows = list(table.rows())
    assert len(rows) == today.month
    assert rows[-1]["month"] == f"{today.year}-{today.month:02d}"
    assert rows[-1]["income"] == 43791 and rows[-1]["households"] == 4
    assert all(r["income"] == 0 for r in rows[:-1])
    assert table.chart and len(table.chart["bars"]) == 2 * today.month


def test_trend_months_follow_china_time_not_utc(
    app,
    create_household,
    create_product,
    create_cooperative,
    create_lot,
    create_sale,
    request_context,
):
    from datetime import datetime

    household = create_household()
    product = create_product(create_cooperative(producer_share_bp=10000), price_fen=100)
    lot = create_lot(product, contributions=[(household, 10)])
    # 2025-01-31 20:00 UTC is 1 February 04:00 in Linxia.
    create_sale((product, [(lot, 1)]), at=datetime(2025, 1, 31, 20, 0))
    rows = list(trend.build(Filters(start=date(2025, 1, 1), end=date(2025, 2, 28))).rows())
    assert [(r["month"], r["income"]) for r in rows] == [("2025-01", 0), ("2025-02", 100)]


def test_demo_loader_recognises_delivered_paid_sales_once(scenario, create_sale):
    from marketplace.orders.models import FulfilmentStatus
    from marketplace.orders.status import move_fulfilment
    from marketplace.reports import demo

    create_sale.advance(scenario.pending, until="ready")
    # Delivered as the demo data writes its history: paid, recognised by nobody.
    move_fulfilment(scenario.pending, FulfilmentStatus.delivered)
    assert demo.load() == "1 delivered sales recognised"
    assert demo.load() == "0 delivered sales recognised"
    assert ledger_sum(since=this_year().start_utc) == 43791 + 2399  # 1 lily from lot A: 80 %
