"""Input an audit saw answer 500 gets a 400, a 404 or a form error in the user's language."""

import pytest

from marketplace.money import yuan_to_fen

HUGE = "99999999999999999999"


def test_shop_takes_any_village_argument(client, create_product):
    create_product()
    assert client.get("/shop?village=abc").status_code == 200
    assert client.get("/shop?village=3").status_code == 200
    page = client.get(f"/shop?village={HUGE}", headers={"Accept-Language": "zh"})
    assert page.status_code == 400 and "必须是" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    "url", ["/shop?q=%00", "/trace/%00", "/regions/%00", "/households?q=a%00", "/shop?%00=1"]
)
def test_a_nul_byte_in_the_request_is_a_400_with_the_reason(client, url):
    page = client.get(url, headers={"Accept-Language": "zh"})
    assert page.status_code == 400
    assert "不允许的字符" in page.get_data(as_text=True)


def test_a_nul_byte_in_a_form_is_a_400(client, create_user):
    create_user(email="buyer@example.com")
    answer = client.post("/login", data={"login": "buyer\x00@example.com", "password": "x"})
    assert answer.status_code == 400 and b"not allowed" in answer.data


def test_the_api_keeps_its_json_errors(client):
    answer = client.get("/api/v1/products?q=%00")
    assert answer.status_code == 400 and answer.get_json()["fields"]["q"]
    answer = client.get(f"/api/v1/products/{HUGE}")
    assert answer.status_code == 404 and answer.get_json()["error"] == "not_found"


def test_ids_and_pages_out_of_range(client, auth, create_user):
    create_user(email="buyer@example.com")
    assert client.get(f"/products/{HUGE}").status_code == 404
    assert client.get("/products/2147483648").status_code == 404
    assert client.get("/products/%C2%B2").status_code == 404
    page = client.get(f"/shop?page={HUGE}")
    assert page.status_code == 400 and b"must be a whole number" in page.data
    assert client.get("/shop?page=-1").status_code == 200  # as page 1
    auth.login()
    assert client.get("/orders/%C2%B2").status_code == 404
    assert client.get(f"/orders/{HUGE}").status_code == 404
    assert client.get(f"/orders?page={HUGE}").status_code == 400


def test_far_dates(client, auth, create_user, create_station):
    operator = create_user(email="op@example.com", roles=["station_operator"])
    station = create_station(operators=[operator])
    admin = create_user(email="admin@example.com", roles=["admin"])
    auth.login(operator.email)
    for day in ("0001-01-01", "9999-12-31"):
        assert client.get(f"/stations/{station.id}/cash?day={day}").status_code == 200
    auth.logout()
    auth.login(admin.email)
    for start in ("9999-12-31", "0001-01-01"):
        page = client.get(f"/reports/statement?start={start}&end=9999-12-31")
        assert page.status_code == 200 and b"Enter a date between" in page.data


@pytest.mark.parametrize("text", ["1e30", "9" * 29, "100000000.01", "-1e30"])
def test_money_has_a_maximum(text):
    with pytest.raises(ValueError, match="more than"):  # money.AmountTooLarge
        yuan_to_fen(text)
    assert yuan_to_fen("100000000") == 10_000_000_000


def test_amount_and_number_fields_answer_with_a_form_error(
    client, auth, create_user, create_station, create_cooperative, create_product
):
    admin = create_user(email="admin@example.com", roles=["admin"])
    manager = create_user(email="m@example.com", roles=["cooperative_manager"])
    cooperative = create_cooperative(managers=[manager])
    product = create_product(cooperative)
    station = create_station()
    auth.login(manager.email)
    page = client.post(
        f"/manage/cooperatives/{cooperative.id}/lots/new",
        data={"product_id": product.id, "quantity": "2147483648"},
        headers={"Accept-Language": "zh"},
    )
    assert page.status_code == 200 and "请输入更小的数字" in page.get_data(as_text=True)
    page = client.post(
        f"/manage/products/{product.id}/edit", data={"name_zh": "百合", "price": "1e30"}
    )
    assert page.status_code == 200 and b"The amount is too large" in page.data
    auth.logout()
    auth.login(admin.email)
    page = client.post(f"/admin/stations/{station.id}", data={"capacity_per_day": str(2**40)})
    assert page.status_code == 200 and b"Enter a smaller number" in page.data
    page = client.post(
        f"/admin/stations/{station.id}/links/new",
        data={"cost_per_run_fen": "9" * 29, "cost_per_kg_fen": "1e30"},
    )
    assert page.status_code == 200 and page.data.count(b"The amount is too large") == 2


def test_cart_add_with_a_huge_product_id(client):
    answer = client.post("/cart/add", data={"product_id": HUGE, "quantity": "1"})
    assert answer.status_code < 500
    answer = client.post("/cart/add", data={"product_id": "2147483648", "quantity": "1"})
    assert answer.status_code < 500


def test_over_long_text_is_a_form_error(client):
    page = client.post("/login", data={"login": "x" * 10_000, "password": "x"})
    assert page.status_code == 200
    assert client.get("/shop?q=" + "x" * 10_000).status_code == 200
