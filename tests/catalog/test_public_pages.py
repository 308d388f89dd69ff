"""What buyers see: the catalogue, one product with its origin and the households it
supports, and a lot's traceability page with the QR code that leads to it."""

import io

import qrcode
from PIL import Image

from marketplace.catalog import lots


def test_the_catalogue_lists_only_products_on_sale(client, coop_a, create_product):
    create_product(cooperative=coop_a.cooperative, name_en="Apples on sale")
    create_product(cooperative=coop_a.cooperative, name_en="Draft pears", status="draft")
    create_product(cooperative=coop_a.cooperative, name_en="Old walnuts", status="archived")
    html = client.get("/products", follow_redirects=True).get_data(as_text=True)
    assert "Apples on sale" in html
    assert "Draft pears" not in html and "Old walnuts" not in html


def test_the_catalogue_searches_by_name_and_category(
    client, coop_a, create_product, create_category
):
    nuts = create_category(code="nuts", name_zh="坚果", name_en="Nuts")
    create_product(cooperative=coop_a.cooperative, name_en="Thin-shell walnuts", category=nuts.id)
    create_product(cooperative=coop_a.cooperative, name_en="Bingtangxin apples")
    assert "Bingtangxin" not in client.get("/products?q=walnut", follow_redirects=True).get_data(
        as_text=True
    )
    by_category = client.get("/products?category=nuts", follow_redirects=True).get_data(
        as_text=True
    )
    assert "Thin-shell walnuts" in by_category and "Bingtangxin" not in by_category


def test_the_catalogue_offers_a_cart_button(client, coop_a, create_product, create_lot):
    create_lot(product=create_product(cooperative=coop_a.cooperative))
    assert "/cart/add" in client.get("/products", follow_redirects=True).get_data(as_text=True)


def test_product_page_shows_origin_price_and_households_supported(
    client, coop_a, create_product, create_lot, create_household
):
    product = create_product(cooperative=coop_a.cooperative, price_fen=6850)
    first, second = (create_household(village=coop_a.village) for _ in range(2))
    create_lot(product=product, contributions=[(first, 5), (second, 5), ("基地", 3)])
    create_lot(product=product, contributions=[(first, 4)])
    html = client.get(f"/products/{product.id}").get_data(as_text=True)
    assert "¥68.50" in html and "1 kg bag" in html
    assert "supports 2 registered poor households" in html
    for code in ("622900", "622923", "622923106", coop_a.village.code):
        assert f"/regions/{code}" in html
    assert "17 in stock" in html


def test_draft_products_are_hidden_from_the_public_but_not_their_manager(
    client, auth, coop_a, create_product
):
    product = create_product(cooperative=coop_a.cooperative, status="draft")
    assert client.get(f"/products/{product.id}").status_code == 404
    auth.login("a@example.com")
    assert client.get(f"/products/{product.id}").status_code == 200


def test_a_draft_products_lots_are_not_traced_but_by_its_managers(
    client, auth, coop_a, create_product, create_lot
):
    lot = create_lot(product=create_product(cooperative=coop_a.cooperative, status="draft"))
    for path in (f"/trace/{lot.code}", f"/trace/{lot.code}/qr.svg", f"/trace/{lot.code}/qr.png"):
        assert client.get(path).status_code == 404, path
    assert client.get(f"/products/{lot.product_id}").status_code == 404
    auth.login("a@example.com")
    assert client.get(f"/trace/{lot.code}").status_code == 200


def test_trace_page_counts_households_and_never_names_them(
    client, coop_a, create_product, create_lot, create_household
):
    product = create_product(cooperative=coop_a.cooperative, description_zh="百合的故事")
    people = [create_household(village=coop_a.village, head_name=f"马玉花{n}") for n in range(3)]
    lot = create_lot(product=product, contributions=[(p, 2) for p in people] + [("基地", 4)])
    html = client.get(f"/trace/{lot.code}").get_data(as_text=True)
    assert "3 registered poor households supplied this lot" in html
    assert "马玉花" not in html and people[0].household_no not in html
    assert "Yongjing County" in html and "Chenjing Town" in html and "一级" in html
    assert "25 Aug 2026" in html and "1 Sep 2026" in html
    assert "百合的故事" in html


def test_the_qr_code_encodes_the_trace_page_address(
    app, client, coop_a, create_product, create_lot
):
    lot = create_lot(product=create_product(cooperative=coop_a.cooperative))
    # A forged Host header never reaches the printed address (nor the day-long caches).
    evil = {"Host": "evil.example"}
    html = client.get(f"/trace/{lot.code}", headers=evil).get_data(as_text=True)
    url = f"{app.config['PUBLIC_BASE_URL']}/trace/{lot.code}"
    assert url == f"http://127.0.0.1:5000/trace/{lot.code}"
    assert url in html and "evil.example" not in html
    svg = client.get(f"/trace/{lot.code}/qr.svg", headers=evil)
    assert svg.mimetype == "image/svg+xml"
    assert svg.data == lots.qr_svg(url)
    png = client.get(f"/trace/{lot.code}/qr.png", headers=evil)
    assert png.mimetype == "image/png"
    assert qr_modules(png.data) == expected_modules(url)


def qr_modules(png: bytes, box: int = 10) -> list[list[bool]]:
    """Read the dark/light modules back from a QR picture (centre pixel of each box)."""
    image = Image.open(io.BytesIO(png)).convert("L")
    count = image.width // box
    return [
        [image.getpixel((c * box + box // 2, r * box + box // 2)) < 128 for c in range(count)]
        for r in range(count)
    ]


def expected_modules(url: str) -> list[list[bool]]:
    code = qrcode.QRCode(border=2)
    code.add_data(url)
    code.make(fit=True)
    return code.get_matrix()


def test_an_unknown_lot_code_is_404(client):
    assert client.get("/trace/YJ-20200101-9999").status_code == 404
    assert client.get("/trace/YJ-20200101-9999/qr.svg").status_code == 404


def test_photos_are_served_only_from_the_upload_folder(client):
    assert client.get("/media/products/..%2F..%2Fetc%2Fpasswd").status_code == 404
    assert client.get("/media/products/missing.jpg").status_code == 404
