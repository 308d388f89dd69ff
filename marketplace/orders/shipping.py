"""What the cart, the checkout and the product page show of shipping before paying: the fee
per cooperative to a province (catalog.freight prices it; nothing here writes)."""

from dataclasses import dataclass, field

from ..accounts import addresses
from ..catalog import freight
from ..regions import divisions


@dataclass
class ShippingEstimate:
    province_code: str
    # {cooperative_id: fen, or None when that cooperative does not deliver there}
    by_cooperative: dict = field(default_factory=dict)

    @property
    def delivered(self) -> bool:
        return all(fee is not None for fee in self.by_cooperative.values())

    @property
    def total_fen(self) -> int:
        return sum(fee or 0 for fee in self.by_cooperative.values())


def estimate_cart(summary, province_code: str | None) -> ShippingEstimate | None:
    """The shipping of the cart's parcels to `province_code` (None without one)."""
    if not province_code or not summary.lines:
        return None
    lines = [(line.product, line.quantity) for line in summary.lines]
    quotes = freight.quote_lines(lines, province_code)
    return ShippingEstimate(province_code, {q.cooperative_id: q.shipping_fen for q in quotes})


def estimate_product(product, province_code: str | None, quantity: int = 1) -> int | None:
    """The fee of `quantity` of one product sent alone to a province; None if not delivered."""
    (quote,) = freight.quote_lines([(product, quantity)], province_code)
    return quote.shipping_fen


def province_choices(locale: str) -> list[tuple[str, str]]:
    """(code, name) of the 31 provincial units for the estimate forms."""
    return [(d.code, d.display_name(locale)) for d in divisions.children_of(None)]


def province_arg(value, user) -> str | None:
    """The province asked for (?ship_to=), else the signed-in buyer's default address's."""
    if isinstance(value, str) and value:
        division = divisions.get(value)
        return division.code if division is not None and division.level == "province" else None
    if user is not None and getattr(user, "is_authenticated", False):
        address = addresses.default_address(user)
        return address.province_code if address else None
    return None


def province_name(code: str | None, locale: str) -> str:
    division = divisions.get(code) if code else None
    return division.display_name(locale) if division else ""
