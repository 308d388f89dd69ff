"""Supply lots: contributions add up to the lot, lots get county-and-day codes, are voided
only while unsold, and a product's stock is the remaining of its open lots."""

import re
from datetime import date, timedelta

import pytest

from marketplace.catalog import lots, services
from marketplace.catalog.lots import Contribution
from marketplace.catalog.models import SupplyLot
from marketplace.errors import Conflict, DomainError
from marketplace.extensions import db
from marketplace.status import events_for

DAY = date.today()
CODE = f"YJ-{DAY:%Y%m%d}-"
LOT_TAIL = "[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}"  # no 0/O, 1/I/L


@pytest.fixture
def lily(coop_a, create_product):
    return create_product(cooperative=coop_a.cooperative)


@pytest.fixture
def growers(coop_a, create_household, create_village):
    neighbour = create_village(township_code="622923106")  # same township, other village
    return [
        create_household(village=coop_a.village, household_no="YJ000001"),
        create_household(village=neighbour, household_no="YJ000002"),
    ]


def record(product, quantity=30, rows=None, **kw):
    rows = rows or [
        Contribution(quantity=20, household_no="YJ000001"),
        Contribution(quantity=10, supplier_name="合作社基地"),
    ]
    return lots.record_supply_lot(product, quantity, "一级", DAY, rows, **kw)


def test_a_lot_records_who_supplied_how_much(lily, growers, coop_a):
    lot = record(lily, by=coop_a.manager, harvested_on=DAY - timedelta(days=4))
    assert re.fullmatch(CODE + LOT_TAIL, lot.code)
    assert lot.remaining == lot.quantity == 30
    assert [(c.household_id, c.supplier_name, c.quantity) for c in lot.contributions] == [
        (growers[0].id, None, 20),
        (None, "合作社基地", 10),
    ]
    assert lots.household_count(lot) == 1


def test_lot_codes_are_per_county_and_day_with_an_unguessable_tail(lily, growers, client):
    codes = [record(lily).code for _ in range(20)]
    assert all(re.fullmatch(CODE + LOT_TAIL, code) for code in codes)
    assert len(set(codes)) == 20 and codes != sorted(codes)  # not counted up
    db.session.commit()
    # Typed in lower case, or an older sequential code: both still found.
    assert client.get(f"/trace/{codes[0].lower()}").status_code == 200
    old = db.session.get(SupplyLot, record(lily).id)
    old.code = CODE + "0001"
    db.session.commit()
    assert client.get(f"/trace/{CODE}0001").status_code == 200


def test_contributions_that_do_not_add_up_are_refused(lily, growers, english):
    with pytest.raises(DomainError, match="add up to 30, but the lot holds 31"):
        record(lily, quantity=31)
    assert db.session.scalar(db.select(db.func.count(SupplyLot.id))) == 0


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([Contribution(quantity=30, household_no="NOPE0001")], "No registered household"),
        ([Contribution(quantity=30)], "either a household number or"),
        ([Contribution(quantity=0, supplier_name="x")], "above zero"),
        (
            [
                Contribution(quantity=15, household_no="YJ000001"),
                Contribution(quantity=15, household_no="YJ000001"),
            ],
            "listed twice",
        ),
    ],
)
def test_bad_contribution_rows_are_refused(lily, growers, english, rows, message):
    with pytest.raises(DomainError, match=message):
        record(lily, rows=rows)


def test_households_of_another_township_cannot_supply_the_lot(
    lily, create_household, create_village, english
):
    far = create_household(village=create_village(township_code="622927101"))
    with pytest.raises(DomainError, match="not in this cooperative's township"):
        record(lily, rows=[Contribution(quantity=30, household_no=far.household_no)])


def test_available_quantity_is_the_remaining_of_open_lots(lily, growers, create_product, coop_a):
    first, _second, third = record(lily), record(lily), record(lily)
    first.remaining = 5
    lots.void_lot(third, reason="wrong product")
    other = create_product(cooperative=coop_a.cooperative)
    assert services.available_quantity(lily) == 5 + 30
    assert services.available_quantities([lily.id, other.id]) == {lily.id: 35, other.id: 0}
    assert services.supported_household_counts([lily.id, other.id]) == {lily.id: 1, other.id: 0}


def test_a_lot_is_voided_only_while_nothing_of_it_is_sold(lily, growers, coop_a, english):
    sold = record(lily)
    sold.remaining = 29
    db.session.flush()
    with pytest.raises(Conflict, match="has been sold"):
        lots.void_lot(sold)
    unsold = record(lily)
    lots.void_lot(unsold, by=coop_a.manager, reason="counted twice")
    assert unsold.void and not sold.void
    (event,) = events_for("lot", unsold.id)
    assert (event.to_status, event.note, event.by_id) == (
        "void",
        "counted twice",
        coop_a.manager.id,
    )
    with pytest.raises(Conflict, match="void already"):
        lots.void_lot(unsold)


def test_a_correcting_lot_points_at_the_lot_it_corrects(lily, growers):
    original = record(lily)
    correction = record(lily, corrects=original, note="five bags were missed")
    assert correction.corrects_lot_id == original.id
    assert lots.corrections_of(original) == [correction]


def test_manager_records_a_lot_through_the_form(client, auth, lily, growers):
    auth.login("a@example.com")
    form = {
        "product_id": lily.id,
        "quantity": 30,
        "grade": "特级",
        "received_on": DAY.isoformat(),
        "harvested_on": (DAY - timedelta(days=2)).isoformat(),
        "contributions-0-household_no": "YJ000001",
        "contributions-0-quantity": 12,
        "contributions-1-household_no": "YJ000002",
        "contributions-1-quantity": 8,
        "contributions-2-supplier_name": "合作社基地",
        "contributions-2-quantity": 10,
    }
    response = client.post(f"/manage/cooperatives/{lily.cooperative_id}/lots/new", data=form)
    assert response.status_code == 302
    lot = db.session.scalar(db.select(SupplyLot))
    assert re.fullmatch(CODE + LOT_TAIL, lot.code) and lots.household_count(lot) == 2
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "YJ000001" in page and f"/trace/{lot.code}" in page


def test_the_lot_form_says_when_contributions_do_not_add_up(client, auth, lily, growers):
    auth.login("a@example.com")
    form = {
        "product_id": lily.id,
        "quantity": 40,
        "grade": "一级",
        "received_on": DAY.isoformat(),
        "contributions-0-household_no": "YJ000001",
        "contributions-0-quantity": 12,
    }
    page = client.post(f"/manage/cooperatives/{lily.cooperative_id}/lots/new", data=form)
    assert page.status_code == 200
    assert "add up to 12, but the lot holds 40" in page.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(SupplyLot.id))) == 0


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/manage/lots/{lot}"),
        ("post", "/manage/lots/{lot}/void"),
        ("get", "/manage/cooperatives/{cooperative}/lots/new"),
        ("post", "/manage/cooperatives/{cooperative}/lots/new"),
        ("get", "/manage/cooperatives/{own}/lots/new?corrects={lot}"),
    ],
)
def test_manager_of_a_gets_403_on_the_lots_of_cooperative_b(
    client, auth, coop_a, coop_b, create_product, create_lot, method, path
):
    lot = create_lot(product=create_product(cooperative=coop_b.cooperative))
    auth.login("a@example.com")
    url = path.format(lot=lot.id, cooperative=coop_b.cooperative.id, own=coop_a.cooperative.id)
    response = getattr(client, method)(url, data={"reason": "not mine"})
    assert response.status_code == 403
    db.session.expire_all()
    assert not db.session.get(SupplyLot, lot.id).void


def test_manager_voids_an_unsold_lot_from_its_page(client, auth, lily, growers):
    lot = record(lily)
    db.session.commit()
    auth.login("a@example.com")
    client.post(f"/manage/lots/{lot.id}/void", data={"reason": "wrong grade"})
    db.session.expire_all()
    assert db.session.get(SupplyLot, lot.id).void
