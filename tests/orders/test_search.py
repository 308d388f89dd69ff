"""Finding products: partial names in both languages, region filters, category, sorting."""

from datetime import datetime

import pytest

from marketplace.extensions import db
from marketplace.orders.search import search_products


def names(page):
    return [p.name_zh for p in page.items]


@pytest.fixture
def far_pepper(create_village, create_cooperative, create_product, create_category):
    """Dahongpao pepper from Jishishan county (another county than the shop's Yongjing)."""
    village = create_village("622927101", name="花椒村")
    spice = create_category("spice", "调味品", "Spices")
    return create_product(
        create_cooperative(village=village),
        name_zh="大红袍花椒",
        name_en="Dahongpao Sichuan pepper",
        price_fen=6800,
        category=spice.id,
        ovop=True,
    )


def test_part_of_a_chinese_name_finds_the_product(shop):
    assert sorted(names(search_products(q="百合"))) == ["兰州百合", "百合干"]


def test_part_of_an_english_name_matches_in_any_case(shop):
    assert sorted(names(search_products(q="LILY"))) == ["兰州百合", "百合干"]
    assert names(search_products(q="bingtang")) == ["冰糖心苹果"]


def test_every_word_must_match(shop):
    assert names(search_products(q="百合 干")) == ["百合干"]


def test_wildcards_in_the_search_are_taken_literally(shop):
    assert search_products(q="%").total == 0
    assert search_products(q="_").total == 0


def test_only_active_products_are_shown(shop, create_product):
    create_product(shop.lily_coop, name_zh="百合草稿", status="draft")
    create_product(shop.lily_coop, name_zh="百合旧货", status="archived")
    assert "百合草稿" not in names(search_products(q="百合"))
    assert search_products().total == 3


def test_filters_by_county_township_and_village(shop, far_pepper):
    assert names(search_products(county_code="622927")) == ["大红袍花椒"]
    assert search_products(county_code="622923").total == 3
    assert names(search_products(township_code="622923100")) == ["兰州百合"]
    assert sorted(names(search_products(village_id=shop.apple_village.id))) == [
        "冰糖心苹果",
        "百合干",
    ]


def test_a_township_of_another_county_is_ignored(shop, far_pepper):
    assert search_products(county_code="622927", township_code="622923100").total == 1


def test_filters_by_category_and_one_village_one_product(shop, far_pepper):
    assert names(search_products(category_code="spice")) == ["大红袍花椒"]
    assert sorted(names(search_products(ovop=True))) == ["冰糖心苹果", "大红袍花椒"]


def test_sorts_by_price_and_by_newest(shop, far_pepper):
    assert names(search_products(sort="price_asc")) == [
        "冰糖心苹果",
        "兰州百合",
        "百合干",
        "大红袍花椒",
    ]
    assert names(search_products(sort="price_desc"))[0] == "大红袍花椒"
    shop.dried.created_at = datetime(2030, 1, 1)
    db.session.commit()
    assert names(search_products(sort="newest"))[0] == "百合干"
    assert names(search_products(sort="nonsense"))[0] == "百合干"


def test_results_come_in_pages(shop, far_pepper):
    first = search_products(sort="price_asc", per_page=3)
    second = search_products(sort="price_asc", per_page=3, page=2)
    assert (first.total, first.pages, len(first.items), names(second)) == (4, 2, 3, ["大红袍花椒"])


def test_shop_page_shows_cards_with_price_village_stock_and_add_button(client, shop):
    html = client.get("/shop?q=百合").get_data(as_text=True)
    assert "Lanzhou lily" in html and "Dried lily" in html and "Bingtangxin" not in html
    assert "¥30.00" in html and "¥45.50" in html and "Test village" in html
    assert "25 left" in html and "10 left" in html
    assert html.count('data-testid="add-to-cart"') == 2
    assert "orders-no-photo.svg" in html
    assert "2 products" in html


def test_shop_page_marks_sold_out_products_without_an_add_button(client, shop, create_product):
    create_product(shop.lily_coop, name_zh="百合粉", name_en="Lily flour")
    html = client.get("/shop?q=flour").get_data(as_text=True)
    assert "Sold out" in html and 'data-testid="add-to-cart"' not in html


def test_shop_page_filters_offer_counties_and_the_chosen_countys_townships(client, shop):
    html = client.get("/shop?county=622923").get_data(as_text=True)
    assert "Yongjing County" in html and "Liujiaxia Town" in html
    assert "Chuimatan" not in html  # a township of Jishishan
    assert client.get("/shop?county=x&township=%&page=-3&sort=zzz").status_code == 200


def test_shop_page_is_in_chinese_by_default(client, shop):
    html = client.get("/shop", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "加入购物车" in html and "兰州百合" in html and "共 3 件商品" in html
