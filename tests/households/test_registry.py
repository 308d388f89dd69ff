"""One household at a time, and the poverty line of each year."""

import pytest

from marketplace.errors import Conflict, DomainError
from marketplace.extensions import db
from marketplace.households import services
from marketplace.households.models import Household, PovertyLine

from .conftest import id_card


def values_for(village, **overrides) -> dict:
    values = {
        "household_no": "YJ000001",
        "head_name": "马玉花",
        "id_card_no": id_card(1),
        "phone": "13909300001",
        "village_id": village.id,
        "members": 4,
        "household_type": "ordinary",
        "status": "not_exited",
    }
    values.update(overrides)
    return values


def test_id_card_check_digit_follows_iso_7064():
    # The published example number 11010519491231002X.
    assert services.id_card_check_digit("11010519491231002") == "X"
    assert services.id_card_problem("11010519491231002X") is None


def test_saving_checks_the_id_card_and_household_size(yongjing_village, english):
    with pytest.raises(DomainError, match="check digit"):
        services.save_household(None, values_for(yongjing_village, id_card_no="622923198001010010"))
    with pytest.raises(DomainError, match="household size"):
        services.save_household(None, values_for(yongjing_village, members=0))
    with pytest.raises(DomainError, match="at most two"):
        services.save_household(
            None, values_for(yongjing_village, poverty_causes="illness,land,water")
        )


def test_household_numbers_are_unique(yongjing_village, english):
    services.save_household(None, values_for(yongjing_village))
    with pytest.raises(Conflict):
        services.save_household(None, values_for(yongjing_village, id_card_no=id_card(2)))


def test_admin_adds_and_edits_a_household_through_the_form(
    client, auth, create_user, yongjing_village
):
    create_user(email="admin@example.com", roles=["admin"])
    auth.login("admin@example.com")
    form = {
        "household_no": "YJ000009",
        "head_name": "韩得胜",
        "id_card_no": id_card(9).lower(),
        "phone": "139 0930 0009",
        "village_id": yongjing_village.id,
        "members": 5,
        "household_type": "dibao",
        "poverty_causes": ["illness", "skills"],
        "status": "exited",
        "exit_year": 2019,
        "net_income": "4100.5",
        "income_year": 2019,
    }
    response = client.post("/households/new", data=form)
    assert response.status_code == 302
    household = db.session.scalar(db.select(Household))
    assert household.phone == "13909300009" and household.poverty_causes == "illness,skills"
    assert household.net_income_per_person_fen == 410050
    page = client.get(f"/households/{household.id}/edit").get_data(as_text=True)
    assert 'value="4100.50"' in page
    client.post(f"/households/{household.id}/edit", data=form | {"members": 6})
    db.session.expire_all()
    assert db.session.get(Household, household.id).members == 6


def test_exited_household_without_exit_year_is_refused_on_the_form(
    client, auth, create_user, yongjing_village
):
    create_user(email="admin@example.com", roles=["admin"])
    auth.login("admin@example.com")
    form = {
        "household_no": "YJ000010",
        "head_name": "韩得胜",
        "village_id": yongjing_village.id,
        "members": 3,
        "household_type": "ordinary",
        "status": "exited",
    }
    page = client.post("/households/new", data=form)
    assert page.status_code == 200
    assert "needs its exit year" in page.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Household.id))) == 0


def test_default_poverty_lines_are_seeded_once_and_never_overwrite_an_edit(app):
    assert services.ensure_default_poverty_lines() == 7
    assert services.poverty_line_fen(2014) == 280000
    assert services.poverty_line_fen(2020) == 400000
    services.set_poverty_line(2016, 300000, "official figure")
    assert services.ensure_default_poverty_lines() == 0
    assert services.poverty_line_fen(2016) == 300000


def test_admin_edits_the_poverty_line_of_a_year(client, auth, create_user):
    create_user(email="admin@example.com", roles=["admin"])
    auth.login("admin@example.com")
    response = client.post(
        "/poverty-lines", data={"year": 2021, "amount": "4,100", "note": "assumed"}
    )
    assert response.status_code == 302
    assert db.session.get(PovertyLine, 2021).amount_fen == 410000
    page = client.get("/poverty-lines").get_data(as_text=True)
    assert "¥4,100.00" in page


def test_only_admins_edit_poverty_lines(client, auth, create_user):
    create_user(email="m@example.com", roles=["cooperative_manager"])
    auth.login("m@example.com")
    assert client.get("/poverty-lines").status_code == 403
