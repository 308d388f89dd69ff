"""Sensitive registry fields are masked for everyone but administrators, and cooperative
managers only see the households of their own cooperatives' townships."""

import pytest

from marketplace.households import services


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("622923198001010014", "6229********0014"),
        ("6229231980010100", "6229********0100"),
        ("", ""),
        (None, ""),
    ],
)
def test_id_card_numbers_keep_only_the_first_and_last_four(value, masked):
    assert services.mask_id_card(value) == masked


def test_phone_numbers_keep_the_prefix_and_last_four():
    assert services.mask_phone("13909301234") == "139****1234"
    assert services.mask_phone(None) == ""


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("马玉花", "马*花"),
        ("马花", "马*"),
        ("欧阳小明", "欧**明"),
        ("马玉花（示例）", "马*花（示例）"),
    ],
)
def test_names_keep_the_first_and_last_character(name, masked):
    assert services.mask_name(name) == masked


@pytest.fixture
def township_households(create_village, create_household):
    chenjing = create_village(township_code="622923106")
    elsewhere = create_village(township_code="622927101")
    mine = create_household(
        village=chenjing, head_name="马玉花", id_card_no="622923198001010014", phone="13909301234"
    )
    other = create_household(village=elsewhere, head_name="韩得胜")
    return chenjing, mine, other


def test_present_household_is_full_for_admins_and_masked_for_others(
    create_user, township_households
):
    _, household, _ = township_households
    admin = create_user(roles=["admin"])
    manager = create_user(roles=["cooperative_manager"])
    full = services.present_household(household, admin)
    masked = services.present_household(household, manager)
    assert (full.head_name, full.id_card_no, full.phone) == (
        "马玉花",
        "622923198001010014",
        "13909301234",
    )
    assert (masked.head_name, masked.id_card_no, masked.phone) == (
        "马*花",
        "6229********0014",
        "139****1234",
    )


def test_manager_sees_own_township_households_by_number_and_masked_name(
    client, auth, create_user, create_cooperative, township_households
):
    chenjing, mine, other = township_households
    manager = create_user(email="m@example.com", roles=["cooperative_manager"])
    create_cooperative(village=chenjing, managers=[manager])
    auth.login("m@example.com")
    html = client.get("/households").get_data(as_text=True)
    assert mine.household_no in html and "马*花" in html
    assert "马玉花" not in html
    assert "622923198001010014" not in html and "13909301234" not in html
    assert other.household_no not in html


def test_manager_cannot_find_a_full_name_by_searching(
    client, auth, create_user, create_cooperative, township_households
):
    chenjing, mine, _ = township_households
    create_cooperative(
        village=chenjing,
        managers=[create_user(email="m@example.com", roles=["cooperative_manager"])],
    )
    auth.login("m@example.com")
    assert mine.household_no not in client.get("/households?q=马玉花").get_data(as_text=True)
    assert mine.household_no in client.get(f"/households?q={mine.household_no}").get_data(
        as_text=True
    )


def test_admin_sees_every_household_in_full(client, auth, create_user, township_households):
    _, mine, other = township_households
    create_user(email="admin@example.com", roles=["admin"])
    auth.login("admin@example.com")
    html = client.get("/households").get_data(as_text=True)
    assert "马玉花" in html and "622923198001010014" in html and "13909301234" in html
    assert other.household_no in html


def test_buyers_and_station_operators_may_not_list_households(client, auth, create_user):
    create_user(email="buyer@example.com")
    create_user(email="op@example.com", roles=["station_operator"])
    auth.login("buyer@example.com")
    assert client.get("/households").status_code == 403
    auth.logout()
    auth.login("op@example.com")
    assert client.get("/households").status_code == 403


def test_only_admins_edit_households(client, auth, create_user, township_households):
    _, mine, _ = township_households
    create_user(email="m@example.com", roles=["cooperative_manager"])
    auth.login("m@example.com")
    assert client.get(f"/households/{mine.id}/edit").status_code == 403
    assert client.get("/households/import").status_code == 403
