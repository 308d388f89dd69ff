"""Issue 19 items 8 and 12: English pages show English names (copied at checkout), grades
in words, the flash in the page's language; My orders names the products."""

from marketplace.extensions import db
from marketplace.orders.actions import place_order
from marketplace.orders.models import PaymentMethod

CASH = PaymentMethod.cash_at_pickup


def test_order_lines_keep_both_names_and_my_orders_lists_them(client, auth, shop, in_request):
    order = place_order(shop.buyer, [(shop.lily.id, 2)], shop.pickup, CASH)
    db.session.commit()
    line = order.lines[0]
    assert (line.product_name, line.product_name_en) == ("兰州百合", "Lanzhou lily")
    # A later rename does not change the order.
    shop.lily.name_en = "Renamed lily"
    db.session.commit()
    auth.login("buyer@example.com")
    english = client.get("/orders").get_data(as_text=True)
    assert "Lanzhou lily × 2" in english and "Renamed" not in english
    chinese = client.get("/orders", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert "兰州百合 × 2" in chinese


def test_grades_are_words_in_english(client, shop):
    page = client.get(f"/trace/{shop.lily_old.code}").get_data(as_text=True)
    assert "First grade" in page or "Special grade" in page or "Second grade" in page
