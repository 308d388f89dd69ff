"""The shop, product and home pages are cached for everyone (marketplace/pagecache.py):
stock is never stale, a language gets its own page, nothing personal is shared."""

import re
import time

from marketplace import pagecache
from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.orders.actions import place_order

CASH = "cash_at_pickup"


def _card(html: str, product) -> str:
    match = re.search(rf'id="product-{product.id}".*?</article>', html, re.S)
    assert match, f"no card for product {product.id}"
    return match.group(0)


def test_a_sold_out_product_shows_sold_out_on_the_next_request(client, shop):
    url = "/shop?q=%E7%99%BE%E5%90%88"  # 百合
    client.get(url)  # renders and caches the page
    first = _card(client.get(url).get_data(as_text=True), shop.dried)
    assert "10 left" in first and 'data-testid="add-to-cart"' in first
    place_order(shop.buyer, [(shop.dried.id, 10)], shop.pickup, CASH)
    db.session.commit()
    sold = time.perf_counter()
    card = _card(client.get(url).get_data(as_text=True), shop.dried)
    seen = time.perf_counter() - sold
    # The units left are read on every request: sold out from the first request after
    # the commit (no window at all), while the rest of the page came from the cache.
    assert "Sold out" in card and "add-to-cart" not in card
    assert seen < 5
    product = client.get(f"/products/{shop.dried.id}").get_data(as_text=True)
    assert "Sold out" in product and "Add to cart" not in product


def test_the_page_is_cached_and_a_catalogue_write_renews_it(client, shop, monkeypatch):
    renders = []
    real = pagecache.render_blocks
    monkeypatch.setattr(
        pagecache, "render_blocks", lambda name, **ctx: renders.append(name) or real(name, **ctx)
    )
    for _ in range(3):
        assert "Lanzhou lily" in client.get("/shop").get_data(as_text=True)
        assert client.get(f"/products/{shop.lily.id}").status_code == 200
    assert renders == ["orders/browse.html", "catalog/product_detail.html"]
    product = db.session.get(Product, shop.lily.id)
    product.name_en = "Lanzhou sweet lily"
    db.session.commit()  # any ORM write to the catalogue moves its stamp
    assert "Lanzhou sweet lily" in client.get("/shop").get_data(as_text=True)
    assert "Lanzhou sweet lily" in client.get(f"/products/{shop.lily.id}").get_data(as_text=True)


def test_each_language_gets_its_own_page(client, shop):
    english = client.get("/shop").get_data(as_text=True)
    client.set_cookie("lang", "zh")
    chinese = client.get("/shop").get_data(as_text=True)
    assert "Lanzhou lily" in english and "兰州百合" in chinese
    assert "Lanzhou lily" not in chinese
    assert 'lang="zh-CN"' in client.get("/").get_data(as_text=True)


def test_nothing_personal_is_shared_between_visitors(app, shop, auth, client, create_user):
    create_user(email="other@example.com", name="李四")
    auth.login("buyer@example.com")
    mine = client.get("/shop").get_data(as_text=True)
    assert "马小花" in mine
    other = app.test_client()
    other.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    other.post("/login", data={"login": "other@example.com", "password": "linxia-demo"})
    theirs = other.get("/shop").get_data(as_text=True)
    assert "李四" in theirs and "马小花" not in theirs
    anonymous = app.test_client()
    anonymous.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = anonymous.get("/shop").get_data(as_text=True)
    assert "马小花" not in page and "李四" not in page and "Log in" in page
    tokens = {
        re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        for html in (mine, theirs, page)
    }
    assert len(tokens) == 3  # each visitor's own CSRF token, one per card form


def test_adding_from_the_shop_returns_to_the_card_which_says_so(client, shop):
    response = client.post(
        "/cart/add",
        data={"product_id": shop.apple.id, "quantity": "2", "next": "/shop?q=apple"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/shop?q=apple#product-{shop.apple.id}")
    page = client.get("/shop?q=apple").get_data(as_text=True)
    assert 'data-testid="added"' in _card(page, shop.apple)
    # A visitor's page is cached whole (header too), but not while a message waits.
    assert "Bingtangxin apple is in your cart (2)." in page
    # Said once: the next visit of the page shows no note.
    assert 'data-testid="added"' not in client.get("/shop?q=apple").get_data(as_text=True)


def test_a_page_seen_before_is_answered_304(client, shop):
    first = client.get("/")
    assert first.headers["Cache-Control"] == "private, no-cache" and first.headers["ETag"]
    again = client.get("/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
