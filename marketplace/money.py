"""Money is an integer number of fen; this is the only place that formats or parses it."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sqlalchemy import BigInteger, cast, func

FEN_PER_YUAN = 100
# The largest amount anyone types (a price, a household's income, a refund): 100 million
# yuan. Beyond Decimal's 28 digits `quantize` raises InvalidOperation (a 500).
MAX_YUAN = Decimal(100_000_000)


class AmountTooLarge(ValueError):
    """More than MAX_YUAN; forms say so rather than "not an amount"."""


def format_fen(amount_fen: int | None, symbol: bool = True) -> str:
    """Render fen as yuan with two decimals, e.g. 123456 -> '¥1,234.56'."""
    if amount_fen is None:
        return ""
    sign = "-" if amount_fen < 0 else ""
    yuan, fen = divmod(abs(int(amount_fen)), FEN_PER_YUAN)
    text = f"{yuan:,}.{fen:02d}"
    return f"{sign}¥{text}" if symbol else f"{sign}{text}"


def yuan_to_fen(value) -> int:
    """Parse a yuan amount ('12.5', Decimal('12.50')) exactly into fen; rejects sub-fen amounts."""
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not an amount of money: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"not an amount of money: {value!r}")
    if abs(amount) > MAX_YUAN:
        raise AmountTooLarge(f"more than {MAX_YUAN} yuan: {value!r}")
    fen = amount * FEN_PER_YUAN
    if fen != fen.to_integral_value():
        raise ValueError(f"more precise than one fen: {value!r}")
    return int(fen.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def fen_to_yuan(amount_fen: int) -> Decimal:
    """Fen as an exact Decimal number of yuan (for form fields and exports)."""
    return (Decimal(int(amount_fen)) / FEN_PER_YUAN).quantize(Decimal("0.01"))


def split_largest_remainder(total: int, weights: list[int]) -> list[int]:
    """Split `total` fen over `weights` so the integer parts sum exactly to `total`.

    Each part is floor(total * w / sum(w)); the fen left over go one each to the
    largest fractional remainders (ties to the earlier weight).
    """
    if total < 0:
        raise ValueError("total must not be negative")
    if not weights:
        if total:
            raise ValueError("cannot split a non-zero total over no weights")
        return []
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    weight_sum = sum(weights)
    if weight_sum == 0:
        raise ValueError("weights must not all be zero")
    parts = [total * w // weight_sum for w in weights]
    remainders = [total * w % weight_sum for w in weights]
    left = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def sum_fen(expr):
    """SQL SUM of a fen column as a 64-bit integer, 0 when there are no rows.

    PostgreSQL sums BIGINT into NUMERIC, which the driver returns as a Decimal; money
    stays an int.
    """
    return cast(func.coalesce(func.sum(expr), 0), BigInteger)
