"""How big the generated prefecture is: the full-size figures of issue 9, or a scaled-down copy."""

from dataclasses import dataclass, replace
from datetime import datetime

FULL_ORDERS = 1_000_000


@dataclass(frozen=True)
class ScaleConfig:
    """Row counts and the random seed; the same config always generates the same data."""

    seed: int = 622900
    villages: int = 1_090
    households: int = 40_000
    cooperatives: int = 300
    products: int = 2_000
    lots: int = 20_000
    contributions: int = 300_000
    orders: int = FULL_ORDERS
    lines: int = 1_500_000
    buyers: int = 100_000
    # Two full years of trade, fixed (not "now") so a seed always gives the same history.
    start: datetime = datetime(2024, 11, 1)
    end: datetime = datetime(2026, 11, 1)
    # Foreign keys are checked row by row unless a PostgreSQL superuser may switch the checks
    # off for the load (session_replication_role); tests keep them on to prove the data sound.
    check_foreign_keys: bool = False

    @classmethod
    def for_orders(cls, orders: int = FULL_ORDERS, seed: int = 622900, **overrides):
        """The prefecture scaled to `orders` orders, every other count in proportion."""
        f = orders / FULL_ORDERS
        cooperatives = max(4, round(300 * f))
        products = max(2 * cooperatives, round(2_000 * f))
        lots = max(products, round(20_000 * f))
        config = cls(
            seed=seed,
            households=max(300, round(40_000 * f)),
            cooperatives=cooperatives,
            products=products,
            lots=lots,
            contributions=max(3 * lots, round(300_000 * f)),
            orders=orders,
            lines=max(orders, round(1.5 * orders)),
            buyers=max(20, orders // 10),
        )
        return replace(config, **overrides)

    @property
    def seconds(self) -> int:
        """Length of the traded period in seconds."""
        return int((self.end - self.start).total_seconds())
