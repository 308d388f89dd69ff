"""The small shop most orders tests (and the orders browser journey) start from."""

from datetime import date
from types import SimpleNamespace


def build_shop(fixture):
    """Lily cooperative (兰州百合, two lots) and apple cooperative (百合干 and 冰糖心苹果).

    `fixture` is pytest's `request.getfixturevalue`, to reach the factories.
    """
    create_user, create_village, create_station = map(
        fixture, ("create_user", "create_village", "create_station")
    )
    create_cooperative, create_product, create_lot, create_category = map(
        fixture, ("create_cooperative", "create_product", "create_lot", "create_category")
    )
    lily_village = create_village("622923100", name="百合村")
    apple_village = create_village("622923101", name="苹果村")
    lily_point = create_station(region=lily_village, name="百合村服务点")
    apple_point = create_station(region=apple_village, name="苹果村服务点")
    # A daily cold-chain run between the two village points (both ways).
    fixture("create_link")(lily_point, apple_point, both_ways=True)
    lily_manager = create_user(email="lily@example.com", roles=["cooperative_manager"])
    apple_manager = create_user(email="apple@example.com", roles=["cooperative_manager"])
    lily_coop = create_cooperative(
        village=lily_village, home_station=lily_point, managers=[lily_manager], name_zh="百合社"
    )
    apple_coop = create_cooperative(
        village=apple_village, home_station=apple_point, managers=[apple_manager]
    )
    veg = create_category("vegetable", "蔬菜", "Vegetables")
    lily = create_product(
        lily_coop, price_fen=3000, name_zh="兰州百合", name_en="Lanzhou lily", category=veg.id
    )
    dried = create_product(
        apple_coop, price_fen=4550, name_zh="百合干", name_en="Dried lily", category=veg.id
    )
    apple = create_product(
        apple_coop, price_fen=1200, name_zh="冰糖心苹果", name_en="Bingtangxin apple", ovop=True
    )
    # The newer lot has the lower id: FIFO must still take the older one first.
    lily_new = create_lot(lily, quantity=20, received_on=date(2026, 10, 1))
    lily_old = create_lot(lily, quantity=5, received_on=date(2026, 9, 1))
    dried_lot = create_lot(dried, quantity=10)
    apple_lot = create_lot(apple, quantity=50)
    buyer = create_user(email="buyer@example.com", name="马小花")
    return SimpleNamespace(
        lily_village=lily_village,
        apple_village=apple_village,
        lily_point=lily_point,
        apple_point=apple_point,
        lily_manager=lily_manager,
        apple_manager=apple_manager,
        lily_coop=lily_coop,
        apple_coop=apple_coop,
        lily=lily,
        dried=dried,
        apple=apple,
        lily_new=lily_new,
        lily_old=lily_old,
        dried_lot=dried_lot,
        apple_lot=apple_lot,
        buyer=buyer,
        pickup=apple_point,
    )
