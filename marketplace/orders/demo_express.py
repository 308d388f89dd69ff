"""Demo express orders: buyers far from Gansu with address books, ordering lilies and
apples delivered to Beijing, Shanghai, Guangzhou, Chengdu and Xi'an through the real verbs
(`orders.demo.place_express_order`). Some are paid, one waits for payment; the carrier
stages come from the carrier demo."""

from datetime import timedelta

from ..accounts import addresses
from ..accounts.demo import DEMO_PASSWORD
from ..accounts.models import User
from ..accounts.services import find_user_by_login
from ..catalog import freight
from ..catalog.models import Product, ProductStatus
from ..clock import utcnow
from ..errors import DomainError
from ..extensions import db
from .demo import place_express_order
from .models import Delivery, Order

# (login, name, [(recipient, phone, province, city, district, street)]) - invented people.
BUYERS = (
    ("buyer@example.com", None, [
        ("马小花（示例）", "13900000001", "110000", "110100", "110105", "阜通东大街6号院3号楼"),
        ("马小花（示例）", "13900000001", "620000", "620100", "620102", "东岗西路638号"),
    ]),
    ("shanghai@example.com", "上海买家 Shanghai buyer (示例)", [
        ("王芳（示例）", "13900000002", "310000", "310100", "310115", "张江路88弄5号"),
    ]),
    ("guangzhou@example.com", "广州买家 Guangzhou buyer (示例)", [
        ("陈伟（示例）", "13900000003", "440000", "440100", "440106", "天河路385号"),
    ]),
    ("chengdu@example.com", "成都买家 Chengdu buyer (示例)", [
        ("李娜（示例）", "13900000004", "510000", "510100", "510107", "人民南路四段12号"),
        ("李娜（示例）", "13900000004", "610000", "610100", "610113", "科技路48号"),
    ]),
)  # fmt: skip


def _buyer(login: str, name: str | None) -> User | None:
    user = find_user_by_login(login)
    if user is None and name is not None:
        user = User(email=login, name=name)
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        db.session.flush()
    return user


def _products() -> list[Product]:
    """Active products whose cooperative has a freight template, one per cooperative."""
    chosen, seen = [], set()
    for product in db.session.scalars(
        db.select(Product).where(Product.status == ProductStatus.active).order_by(Product.id)
    ):
        if product.cooperative_id in seen or freight.template_for_product(product) is None:
            continue
        chosen.append(product)
        seen.add(product.cooperative_id)
    return chosen


def load(scale: str = "demo") -> str:
    """Address books and express orders, once (nothing if any express order exists)."""
    if db.session.scalar(db.select(Order.id).where(Order.delivery == Delivery.express).limit(1)):
        return "demo express orders already there"
    books = []
    for login, name, entries in BUYERS:
        user = _buyer(login, name)
        if user is None:
            continue
        book = addresses.addresses_of(user)
        if not book:
            for recipient, phone, province, city, district, street in entries:
                addresses.add_address(user, {
                    "recipient": recipient, "phone": phone, "province_code": province,
                    "city_code": city, "district_code": district, "street": street,
                })  # fmt: skip
            book = addresses.addresses_of(user)
        books.append((user, book))
    products = _products()
    if len(products) < 2 or not books:
        return "skipped: no products with freight templates"
    now = utcnow()
    placed = 0
    for n, (user, book) in enumerate(books * 2):
        address = book[n % len(book)]
        first, second = products[n % len(products)], products[(n + 1) % len(products)]
        items = [(first.id, 1), (second.id, 1 + n % 2)]
        try:
            place_express_order(
                user, items, address, paid=n != 0, now=now - timedelta(days=12 - n, hours=3)
            )
        except DomainError:
            continue  # not delivered there (cold chain) or out of stock: skip this one
        placed += 1
    return f"{placed} demo express orders"
