"""The household-income report through the API: sums of the income ledger, to the fen."""

from datetime import datetime

import pytest

from marketplace.extensions import db


@pytest.fixture
def sales(
    create_village, create_cooperative, create_product, create_household, create_lot, create_sale
):
    """Lily sold in Yongjing in 2026 and once in Dongxiang, at the turn of the year."""
    yongjing = create_village("622923100")
    one = create_household(village=yongjing, members=4, household_no="YJ-1")
    two = create_household(village=yongjing, members=3, household_no="YJ-2")
    lily = create_product(
        cooperative=create_cooperative(village=yongjing, producer_share_bp=7500), price_fen=2500
    )
    lot = create_lot(lily, contributions=[(one, 30), (two, 20), ("马商贩", 50)])
    # 4 x 25.00 = 100.00; producers' 75% = 7500 fen: 2250 / 1500 / 3750 by 30:20:50.
    create_sale((lily, [(lot, 4)]), at=datetime(2026, 6, 1, 9))

    dongxiang = create_village("622926100")
    three = create_household(village=dongxiang, members=5, household_no="DX-1")
    potato = create_product(
        cooperative=create_cooperative(village=dongxiang, producer_share_bp=10000), price_fen=999
    )
    potato_lot = create_lot(potato, contributions=[(three, 10)])
    # 2027-01-01 01:00 in China: income of 2027, not 2026.
    create_sale((potato, [(potato_lot, 1)]), at=datetime(2026, 12, 31, 17))
    return {"one": one, "two": two, "three": three}


def _report(client, headers, query):
    response = client.get(f"/api/v1/reports/household-income?{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_income_per_household_to_the_fen(client, create_user, bearer, sales):
    body = _report(client, bearer(create_user(roles=["admin"])), "year=2026")
    assert body["total_fen"] == 2250 + 1500
    one, two = body["rows"]
    assert one == {
        "household_no": "YJ-1",
        "village": {
            "id": sales["one"].village.id,
            "name": sales["one"].village.name_en,
            "code": sales["one"].village.code,
        },
        "members": 4,
        "income_fen": 2250,
        "income_per_person_fen": 562,
    }
    assert (two["household_no"], two["income_fen"], two["income_per_person_fen"]) == (
        "YJ-2",
        1500,
        500,
    )


def test_years_are_chinese_calendar_years(client, create_user, bearer, sales):
    body = _report(client, bearer(create_user(roles=["admin"])), "year=2027")
    assert [(r["household_no"], r["income_fen"]) for r in body["rows"]] == [("DX-1", 999)]


def test_filter_by_county_and_village(client, create_user, bearer, sales):
    headers = bearer(create_user(roles=["admin"]))
    assert _report(client, headers, "year=2026&county_code=622926")["rows"] == []
    assert _report(client, headers, "year=2027&county_code=622926")["total_fen"] == 999
    village_id = sales["two"].village_id
    assert len(_report(client, headers, f"year=2026&village_id={village_id}")["rows"]) == 2
    assert _report(client, headers, "year=2026&village_id=999999")["rows"] == []


def test_only_administrators_read_it(client, create_user, bearer):
    path = "/api/v1/reports/household-income"
    assert client.get(path).status_code == 401
    manager = bearer(create_user(roles=["cooperative_manager"]))
    assert client.get(path, headers=manager).status_code == 403


def test_a_year_out_of_range_is_a_400(client, create_user, bearer):
    response = client.get(
        "/api/v1/reports/household-income?year=1999", headers=bearer(create_user(roles=["admin"]))
    )
    assert response.status_code == 400 and "year" in response.get_json()["fields"]


def test_reversals_are_subtracted(client, create_user, bearer, sales):
    from marketplace.households.models import IncomeEntry, IncomeKind
    from marketplace.households.rollup import add_entries

    sale = db.session.scalar(
        db.select(IncomeEntry).where(IncomeEntry.household_id == sales["one"].id)
    )
    reversal = IncomeEntry(
        household_id=sale.household_id,
        contribution_id=sale.contribution_id,
        village_id=sale.village_id,
        fulfilment_id=sale.fulfilment_id,
        order_line_id=sale.order_line_id,
        lot_id=sale.lot_id,
        amount_fen=-250,
        kind=IncomeKind.reversal,
        recognised_at=datetime(2026, 7, 1),
    )
    db.session.add(reversal)
    db.session.flush()
    add_entries([reversal])  # what every writer of the ledger does: keep the monthly rollup
    db.session.commit()
    body = _report(client, bearer(create_user(roles=["admin"])), "year=2026")
    assert body["rows"][0]["income_fen"] == 2000
    assert body["total_fen"] == 2000 + 1500
