"""The cart: in the session for anonymous visitors ({product_id: quantity} under
session["cart"]), CartItem rows for logged-in users; merged into the account at login."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from ..catalog.models import Product, ProductStatus
from ..catalog.stock import MAX_QUANTITY, available_quantities
from ..errors import Conflict, DomainError
from ..extensions import db
from ..transaction import verb
from .labels import shown_name
from .models import CartItem

SESSION_CART_KEY = "cart"


class SessionCart:
    """An anonymous visitor's cart, kept in the (signed cookie) session."""

    def __init__(self, session):
        self._session = session

    def quantities(self) -> dict[int, int]:
        out = {}
        for product_id, quantity in (self._session.get(SESSION_CART_KEY) or {}).items():
            try:
                product_id, quantity = int(product_id), int(quantity)
            except (TypeError, ValueError):
                continue
            if quantity > 0:
                out[product_id] = quantity
        return out

    def set(self, product_id: int, quantity: int) -> None:
        cart = {str(k): v for k, v in self.quantities().items()}
        cart[str(product_id)] = quantity
        self._session[SESSION_CART_KEY] = cart  # a new dict, so the session is saved

    def remove(self, product_id: int) -> None:
        cart = {str(k): v for k, v in self.quantities().items() if k != product_id}
        self._session[SESSION_CART_KEY] = cart

    def clear(self) -> None:
        self._session.pop(SESSION_CART_KEY, None)


class AccountCart:
    """A logged-in user's cart: one CartItem row per product."""

    def __init__(self, user):
        self.user = user

    def _items(self) -> list[CartItem]:
        stmt = db.select(CartItem).where(CartItem.user_id == self.user.id).order_by(CartItem.id)
        return list(db.session.scalars(stmt))

    def quantities(self) -> dict[int, int]:
        return {item.product_id: item.quantity for item in self._items()}

    def set(self, product_id: int, quantity: int) -> None:
        item = next((i for i in self._items() if i.product_id == product_id), None)
        if item is None:
            db.session.add(CartItem(user_id=self.user.id, product_id=product_id, quantity=quantity))
        else:
            item.quantity = quantity
        db.session.flush()

    def remove(self, product_id: int) -> None:
        for item in self._items():
            if item.product_id == product_id:
                db.session.delete(item)
        db.session.flush()

    def clear(self) -> None:
        for item in self._items():
            db.session.delete(item)
        db.session.flush()


def open_cart(user, session):
    """The cart of this visitor: the account's if logged in, else the session's."""
    if user is not None and getattr(user, "is_authenticated", False):
        return AccountCart(user)
    return SessionCart(session)


@verb
def merge_session_cart(user, session) -> None:
    """Move an anonymous visitor's cart (session: {product_id: qty}) into the user's cart."""
    incoming = SessionCart(session).quantities()
    session.pop(SESSION_CART_KEY, None)
    account = AccountCart(user)
    mine = account.quantities()
    for product_id, quantity in incoming.items():
        if db.session.get(Product, product_id) is None:
            continue
        account.set(product_id, min(max(mine.get(product_id, 0), quantity), MAX_QUANTITY))


def check_quantity(product: Product, quantity: int, available: int) -> None:
    """Refuse a cart quantity that is not 1..MAX_QUANTITY or more than is in stock."""
    if not isinstance(quantity, int) or isinstance(quantity, bool):
        raise DomainError(_l("Enter the quantity as a whole number, e.g. 2."))
    if quantity < 1:
        raise DomainError(_l("The quantity must be at least 1."))
    if quantity > MAX_QUANTITY:
        raise DomainError(
            _l("At most %(max)d of one product can be ordered at a time.", max=MAX_QUANTITY)
        )
    if quantity > available:
        raise Conflict(
            _l(
                "Only %(available)d left of %(name)s.",
                available=available,
                name=shown_name(product),
            ),
            available=available,
        )


@verb
def add_to_cart(cart, product: Product, quantity: int) -> int:
    """Add units of an active product; returns the product's new quantity in the cart."""
    if product.status != ProductStatus.active:
        raise DomainError(_l("This product is not for sale at the moment."))
    current = cart.quantities().get(product.id, 0)
    new = current + quantity if isinstance(quantity, int) and quantity > 0 else quantity
    check_quantity(product, new, available_quantities([product.id])[product.id])
    cart.set(product.id, new)
    return new


@verb
def set_cart_quantity(cart, product: Product, quantity: int) -> None:
    """Change the quantity of a product already in the cart."""
    if product.id not in cart.quantities():
        raise DomainError(_l("This product is not in your cart."))
    check_quantity(product, quantity, available_quantities([product.id])[product.id])
    cart.set(product.id, quantity)


@verb
def remove_from_cart(cart, product_id: int) -> None:
    """Take a product out of the cart (nothing happens if it is not there)."""
    cart.remove(product_id)


@dataclass
class CartLine:
    product: Product
    quantity: int
    available: int

    @property
    def line_fen(self) -> int:
        return self.product.price_fen * self.quantity

    @property
    def for_sale(self) -> bool:
        return self.product.status == ProductStatus.active

    @property
    def ok(self) -> bool:
        return self.for_sale and self.quantity <= self.available


@dataclass
class CartSummary:
    """The cart's lines grouped by cooperative (one parcel each) and its total."""

    lines: list[CartLine] = field(default_factory=list)

    @property
    def total_fen(self) -> int:
        return sum(line.line_fen for line in self.lines)

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def ok(self) -> bool:
        return bool(self.lines) and all(line.ok for line in self.lines)

    def by_cooperative(self) -> list[tuple[object, list[CartLine]]]:
        groups: dict[int, tuple[object, list[CartLine]]] = {}
        for line in self.lines:
            coop = line.product.cooperative
            groups.setdefault(coop.id, (coop, []))[1].append(line)
        return [groups[key] for key in sorted(groups)]


def summarise_cart(cart) -> CartSummary:
    """The cart's products with quantities, stock still available and totals."""
    quantities = cart.quantities()
    if not quantities:
        return CartSummary()
    products = db.session.scalars(
        db.select(Product).where(Product.id.in_(quantities)).order_by(Product.id)
    ).all()
    available = available_quantities(quantities)
    return CartSummary([CartLine(p, quantities[p.id], available.get(p.id, 0)) for p in products])
