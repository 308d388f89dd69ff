"""The address book pages work without JavaScript: the "choose" button reloads the form
with the next level's options; saving checks the chain and the phone."""

from marketplace.accounts.addresses import Address
from marketplace.extensions import db


def test_adding_an_address_level_by_level_without_javascript(client, auth, create_user):
    create_user(email="buyer@example.com")
    auth.login()
    page = client.get("/account/addresses/new")
    assert page.status_code == 200 and "甘肃省" in page.text
    form = {"recipient": "王芳", "phone": "139 1234 5678", "street": "东岗西路1号"}
    step = client.post("/account/addresses/new", data={**form, "province_code": "620000",
                                                         "choose": "1"})  # fmt: skip
    assert step.status_code == 200 and "兰州市" in step.text and "城关区" not in step.text
    step = client.post("/account/addresses/new", data={**form, "province_code": "620000",
                       "city_code": "620100", "choose": "1"})  # fmt: skip
    assert "城关区" in step.text
    # A district outside the city is refused beside the field.
    bad = client.post("/account/addresses/new", data={**form, "province_code": "620000",
                      "city_code": "620100", "district_code": "110105", "submit": "1"})  # fmt: skip
    assert bad.status_code == 200 and db.session.scalar(db.select(Address)) is None
    wrong_phone = client.post("/account/addresses/new", data={**form, "phone": "12345",
                              "province_code": "620000", "city_code": "620100",
                              "district_code": "620102", "submit": "1"})  # fmt: skip
    assert "mainland China mobile number" in wrong_phone.text
    lanzhou = {"province_code": "620000", "city_code": "620100", "district_code": "620102"}
    saved = client.post("/account/addresses/new", data={**form, **lanzhou, "submit": "1"})
    assert saved.status_code == 302
    address = db.session.scalar(db.select(Address))
    assert (address.phone, address.is_default) == ("13912345678", True)
    listing = client.get("/account/addresses")
    assert "139****5678" in listing.text and "13912345678" not in listing.text


def test_another_buyers_address_is_not_found(client, auth, create_user):
    from marketplace.accounts import addresses

    owner = create_user(email="owner@example.com")
    address = addresses.add_address(owner, {"recipient": "甲", "phone": "13812345678",
        "province_code": "110000", "city_code": "110100", "district_code": "110105",
        "street": "望京街1号"})  # fmt: skip
    db.session.commit()
    create_user(email="buyer@example.com")
    auth.login()
    assert client.get(f"/account/addresses/{address.id}/edit").status_code == 404
    assert client.post(f"/account/addresses/{address.id}/delete").status_code == 404
