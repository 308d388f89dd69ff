"""Orders: cart, checkout, cancellation and the order and fulfilment status machines."""

from ..extensions import db
from .models import CartItem

SESSION_CART_KEY = "cart"


def merge_session_cart(user, session) -> None:
    """Move an anonymous visitor's cart (session: {product_id: qty}) into the user's cart."""
    cart = session.pop(SESSION_CART_KEY, None) or {}
    for product_id, quantity in cart.items():
        try:
            product_id, quantity = int(product_id), int(quantity)
        except (TypeError, ValueError):
            continue
        if quantity <= 0:
            continue
        item = db.session.scalar(
            db.select(CartItem).where(
                CartItem.user_id == user.id, CartItem.product_id == product_id
            )
        )
        if item is None:
            db.session.add(CartItem(user_id=user.id, product_id=product_id, quantity=quantity))
        else:
            item.quantity = max(item.quantity, quantity)
    db.session.flush()
