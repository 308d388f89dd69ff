"""Coverage, logistics, sales and cooperative statement reports, checked by hand on the
scenario in conftest (Yongjing lily/apple cooperative, Hezheng pear cooperative)."""

from datetime import date, datetime, timedelta

import pytest

from marketplace.clock import local_today, utcnow
from marketplace.extensions import db
from marketplace.logistics.models import Link, Manifest, ManifestParcel, ParcelScan
from marketplace.orders.actions import refund_recorded
from marketplace.regions.services import get_by_code
from marketplace.reports.queries import coverage, logistics, sales, statement
from marketplace.reports.services import Filters


@pytest.fixture(autouse=True)
def request_context(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def this_year(**kw) -> Filters:
    return Filters(start=date(local_today().year, 1, 1), end=local_today(), locale="en", **kw)


def test_coverage_counts_stations_cooperatives_products_and_covered_poverty_villages(
    scenario, create_station, create_product
):
    s = scenario
    create_station("county_center", get_by_code("622923"))
    create_station("township_station", get_by_code("622923106"))
    create_station("village_point", s.liujiaxia)
    create_station("village_point", s.chenjing, active=False)  # closed: covers nothing
    create_product(s.yongjing, status="draft")

    rows = {r["county"]: r for r in coverage.build(this_year()).rows()}
    yongjing, hezheng = rows["Yongjing County"], rows["Hezheng County"]
    # Each cooperative hands its parcels in at the village point of its village (the
    # scenario's sales are picked up there): Yongjing's in 刘家峡示例村, Hezheng's in 城关示例村.
    assert (yongjing["centres"], yongjing["townships"], yongjing["points"]) == (1, 1, 2)
    assert (yongjing["cooperatives"], yongjing["products"]) == (1, 2)
    assert yongjing["sales"] == 47990
    assert (yongjing["poverty_villages"], yongjing["covered"]) == (2, 1)
    assert yongjing["covered_share"] == 5000
    assert (hezheng["points"], hezheng["cooperatives"], hezheng["products"]) == (1, 1, 1)
    assert (hezheng["sales"], hezheng["poverty_villages"], hezheng["covered"]) == (18000, 1, 1)


def test_coverage_for_a_township_shows_its_county(scenario):
    table = coverage.build(this_year(area=get_by_code("622923106")))
    assert [r["county"] for r in table.rows()] == ["Yongjing County"]
    assert table.totals["sales"] == 47990


@pytest.fixture
def runs(scenario, create_station, create_sale):
    """A village point -> township station -> county centre; three parcels.

    p1 left 2 days before delivery, on time; p2 1 day before, ready 1 hour after the
    window it was promised; p3 not delivered.
    Run 1 (point -> township, 10 yuan) carries p1 and p2, run 2 (same link) p3, run 3
    (township -> county, 30 yuan) p1 and p2.
    """
    s = scenario
    point = create_station("village_point", s.liujiaxia)
    township = create_station("township_station", get_by_code("622923100"))
    county = create_station("county_center", get_by_code("622923"))
    up = Link(from_station_id=point.id, to_station_id=township.id, cost_per_run_fen=1000)
    down = Link(from_station_id=township.id, to_station_id=county.id, cost_per_run_fen=3000)
    db.session.add_all([up, down])
    late_sale = create_sale((s.apple, [(s.apples, 1)]))
    open_sale = create_sale((s.apple, [(s.apples, 1)]), payment="stripe", until="paid")
    now = utcnow()
    parcels = []
    for fulfilment, days, eta in [
        (s.sales[0], 2, timedelta(days=1)),
        (late_sale, 1, -timedelta(hours=1)),
        (open_sale, None, timedelta(days=1)),
    ]:
        if days is not None:
            fulfilment.delivered_at = now
        # The sale's own parcel, given a history on this network (scans, runs, ETA) that
        # the report's arithmetic can be checked against by hand.
        parcel = fulfilment.parcel
        # Ready at the pickup point now; the window promised at checkout ended at now + eta.
        parcel.route, parcel.eta, parcel.promised_by = [point.id, township.id], now, now + eta
        started = now - timedelta(days=days if days is not None else 1)
        db.session.add(
            ParcelScan(parcel_id=parcel.id, station_id=point.id, action="received", at=started)
        )
        parcels.append(parcel)
    today = local_today()
    at8 = datetime(today.year, today.month, today.day, 0)
    manifests = [
        Manifest(link_id=up.id, service_date=today, departs_at=at8, cost_fen=1000),
        Manifest(
            link_id=up.id, service_date=today, departs_at=at8 + timedelta(hours=6), cost_fen=1000
        ),
        Manifest(link_id=down.id, service_date=today, departs_at=at8, cost_fen=3000),
    ]
    db.session.add_all(manifests)
    db.session.flush()
    for manifest, carried in zip(manifests, [parcels[:2], parcels[2:], parcels[:2]], strict=True):
        for parcel in carried:
            db.session.add(ManifestParcel(manifest_id=manifest.id, parcel_id=parcel.id))
    db.session.commit()
    return point, township, county


def test_logistics_per_link(runs):
    table = logistics.build(this_year(by="link"))
    rows = {r["name"]: r for r in table.rows()}
    point, township, county = runs
    up = rows[f"{point.name_en} → {township.name_en}"]
    down = rows[f"{township.name_en} → {county.name_en}"]
    assert (up["parcels"], up["runs"], up["per_run"]) == (3, 2, 1.5)
    assert up["cost_per_parcel"] == 2000 // 3
    assert (up["days"], up["late"]) == (1.5, 1)  # p1 2 days, p2 1 day; p3 not delivered
    assert (down["parcels"], down["runs"], down["per_run"], down["cost_per_parcel"]) == (
        2,
        1,
        2.0,
        1500,
    )
    assert table.totals["runs"] == 3 and table.totals["parcels"] == 5
    assert table.totals["cost_per_parcel"] == 5000 // 5


def test_logistics_per_station(runs):
    rows = {r["name"]: r for r in logistics.build(this_year(by="station")).rows()}
    point, township, county = runs
    assert (rows[point.name_en]["parcels"], rows[point.name_en]["runs"]) == (3, 2)
    assert rows[point.name_en]["late"] == 1 and rows[point.name_en]["days"] == 1.5
    assert rows[township.name_en]["runs"] == 1 and rows[township.name_en]["parcels"] == 0
    assert rows[township.name_en]["cost_per_parcel"] == 1500
    assert county.name_en not in rows  # nothing departed from it or was scanned there


def test_sales_by_product_cooperative_county_and_ovop(scenario):
    by_product = {r["name"]: r for r in sales.build(this_year(by="product")).rows()}
    assert (by_product["Lanzhou lily"]["orders"], by_product["Lanzhou lily"]["units"]) == (2, 10)
    assert by_product["Lanzhou lily"]["sales"] == 23992 + 5998
    assert by_product["Lanzhou lily"]["income"] == 19193 + 4798
    assert by_product["Bingtangxin apple"]["income"] == 7200  # the other half: not a household
    assert by_product["Pite pear"]["cooperative"] == "Hezheng Pear Co-op"

    by_cooperative = {
        r["name"]: r["sales"] for r in sales.build(this_year(by="cooperative")).rows()
    }
    assert by_cooperative == {"Yongjing Lily Co-op": 47990, "Hezheng Pear Co-op": 18000}
    by_county = {r["name"]: r["sales"] for r in sales.build(this_year(by="county")).rows()}
    assert by_county == {"Yongjing County": 47990, "Hezheng County": 18000}
    ovop = {
        str(r["name"]): (r["sales"], r["income"]) for r in sales.build(this_year(by="ovop")).rows()
    }
    assert ovop == {
        "One village, one product": (29990 + 18000, 23991 + 12600),
        "Other products": (18000, 7200),
    }
    totals = sales.build(this_year()).totals
    assert (totals["orders"], totals["units"], totals["sales"], totals["income"]) == (
        3,
        24,
        65990,
        43791,
    )


def test_cooperative_statement_takes_the_platform_fee_per_line_and_refunds(scenario, refund):
    """Fee 5 % per line, rounded down: Yongjing 23,992 -> 1,199; 18,000 -> 900; 5,998 -> 299."""
    refund_recorded(refund(scenario.sales[1], 6000))
    db.session.commit()
    rows = {r["cooperative"]: r for r in statement.build(this_year(platform_fee_bp=500)).rows()}
    yongjing, hezheng = rows["Yongjing Lily Co-op"], rows["Hezheng Pear Co-op"]
    assert (yongjing["goods"], yongjing["fee"], yongjing["owed"]) == (47990, 2398, 45592)
    assert (yongjing["refunded"], yongjing["payable"]) == (6000, 39592)
    recognised = 14400 + 4798  # the refunded fulfilment's producers' share
    reversed_fen = recognised * 6000 // 23998
    assert yongjing["households"] + yongjing["others"] == 31191 + 7200 - reversed_fen
    assert (hezheng["goods"], hezheng["fee"], hezheng["owed"], hezheng["households"]) == (
        18000,
        900,
        17100,
        12600,
    )


def test_statement_split_lists_households_masked_and_other_suppliers(scenario):
    table = statement.build_split(this_year(), scenario.yongjing)
    rows = list(table.rows())
    assert [(r["supplier"], r["income"]) for r in rows] == [
        ("马*花", 7198),
        ("韩*明", 7797),
        ("王*英", 16196),
        ("收购点", 7200),
    ]
    assert table.totals["income"] == 31191 + 7200
