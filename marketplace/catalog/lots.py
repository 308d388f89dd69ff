"""Supply lots (入库批次): recording who handed in how much, lot codes, voiding an unsold lot,
correcting lots, and what the public traceability page and its QR code show."""

import io
import secrets
from dataclasses import dataclass
from datetime import date

import qrcode
import qrcode.image.svg
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..clock import local_today, utcnow
from ..errors import Conflict, DomainError, NotFound
from ..extensions import db
from ..households import services as households
from ..status import StatusEvent
from ..transaction import verb
from .models import LotContribution, Product, ProductStatus, SupplyLot

GRADES = {
    "特级": _l("Special grade (特级)"),
    "一级": _l("First grade (一级)"),
    "二级": _l("Second grade (二级)"),
    "A": _l("Grade A"),
    "B": _l("Grade B"),
    "C": _l("Grade C"),
}
# Short county letters at the start of every lot code (YJ-20261129-0001 is from Yongjing).
COUNTY_PREFIXES = {
    "622901": "LXS",
    "622921": "LXX",
    "622922": "KL",
    "622923": "YJ",
    "622924": "GH",
    "622925": "HZ",
    "622926": "DX",
    "622927": "JSS",
}


@dataclass(frozen=True)
class Contribution:
    """One row of a lot form: a registered household (by number) or another supplier."""

    quantity: int
    household_no: str | None = None
    supplier_name: str | None = None


def lot_code_prefix(product: Product, received_on: date) -> str:
    """'YJ-20261129-': county letters and the day the lot was received."""
    county_code = product.cooperative.village.code[:6]
    return f"{COUNTY_PREFIXES.get(county_code, 'LX')}-{received_on:%Y%m%d}-"


# No 0/O, 1/I/L: a code read off a label and typed in cannot be mistaken for another.
LOT_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LOT_CODE_RANDOM = 6  # 31**6, about 887 million per county and day


def next_lot_code(product: Product, received_on: date) -> str:
    """A new code of that county and day with a random tail ('YJ-20261129-K7QM3X'):
    sequential numbers let anyone walk every lot's trace page. Older codes (…-0001)
    keep working; a clash is retried by the caller."""
    tail = "".join(secrets.choice(LOT_CODE_ALPHABET) for _ in range(LOT_CODE_RANDOM))
    return lot_code_prefix(product, received_on) + tail


def _resolve(product: Product, rows: list[Contribution]) -> list[LotContribution]:
    township_id = product.cooperative.village.parent_id
    seen, out = set(), []
    for row in rows:
        if row.quantity is None or row.quantity <= 0:
            raise DomainError(_l("Each supplier's quantity must be a whole number above zero."))
        if bool(row.household_no) == bool(row.supplier_name):
            raise DomainError(
                _l("Give each row either a household number or another supplier's name.")
            )
        if row.supplier_name:
            out.append(
                LotContribution(supplier_name=row.supplier_name.strip(), quantity=row.quantity)
            )
            continue
        household = households.get_by_number(row.household_no)
        if household is None:
            raise DomainError(
                _l("No registered household has the number %(no)s.", no=row.household_no)
            )
        if household.village.parent_id != township_id:
            raise DomainError(
                _l("Household %(no)s is not in this cooperative's township.", no=row.household_no)
            )
        if household.id in seen:
            raise DomainError(_l("Household %(no)s is listed twice.", no=row.household_no))
        seen.add(household.id)
        out.append(LotContribution(household_id=household.id, quantity=row.quantity))
    return out


@verb
def record_supply_lot(
    product: Product,
    quantity: int,
    grade: str,
    received_on: date,
    contributions: list[Contribution],
    harvested_on: date | None = None,
    by=None,
    corrects: SupplyLot | None = None,
    note: str | None = None,
) -> SupplyLot:
    """Record a lot whose contributions add up exactly to its quantity; returns it with its code."""
    if product.status == ProductStatus.archived:
        raise DomainError(_l("The product is archived; put it back on sale first."))
    if not isinstance(quantity, int) or quantity <= 0:
        raise DomainError(_l("The lot quantity must be a whole number above zero."))
    if grade not in GRADES:
        raise DomainError(_l("Choose a grade from the list."))
    if received_on > local_today():  # Beijing's day, not the server's
        raise DomainError(_l("The received date cannot be in the future."))
    if harvested_on and harvested_on > received_on:
        raise DomainError(_l("The harvest date must not be after the received date."))
    if corrects is not None and corrects.product_id != product.id:
        raise DomainError(_l("A correcting lot must be of the same product."))
    if not contributions:
        raise DomainError(_l("Say who supplied the lot."))
    rows = _resolve(product, contributions)
    total = sum(r.quantity for r in rows)
    if total != quantity:
        raise DomainError(
            _l(
                "The suppliers' quantities add up to %(total)s, but the lot holds %(quantity)s.",
                total=total,
                quantity=quantity,
            )
        )
    lot = SupplyLot(
        product_id=product.id,
        quantity=quantity,
        remaining=quantity,
        grade=grade,
        harvested_on=harvested_on,
        received_on=received_on,
        corrects_lot_id=corrects.id if corrects else None,
        note=(note or "").strip() or None,
        created_by_id=getattr(by, "id", by),
    )
    _insert_with_fresh_code(lot, product)
    for row in rows:
        row.lot_id = lot.id
        db.session.add(row)
    db.session.flush()
    return lot


def _insert_with_fresh_code(lot: SupplyLot, product: Product, attempts: int = 5) -> None:
    # Two managers of one county may record a lot at the same moment: retry on a clash.
    for _ in range(attempts):
        lot.code = next_lot_code(product, lot.received_on)
        try:
            with db.session.begin_nested():
                db.session.add(lot)
                db.session.flush()
            return
        except IntegrityError:
            continue
    raise Conflict(_l("Could not number the lot; please try again."))


@verb
def void_lot(lot: SupplyLot, by=None, reason: str | None = None) -> SupplyLot:
    """Mark a lot void; allowed only while none of it has been sold (or reserved)."""
    if lot.void:
        raise Conflict(_l("Lot %(code)s is void already.", code=lot.code))
    # Conditional update: a checkout taking units at the same moment makes this fail.
    result = db.session.execute(
        db.update(SupplyLot)
        .where(
            SupplyLot.id == lot.id,
            SupplyLot.void.is_(False),
            SupplyLot.remaining == SupplyLot.quantity,
        )
        .values(void=True)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(
            _l(
                "Part of lot %(code)s has been sold; record a correcting lot instead.",
                code=lot.code,
            )
        )
    db.session.add(
        StatusEvent(
            subject="lot",
            subject_id=lot.id,
            from_status="open",
            to_status="void",
            by_id=getattr(by, "id", by),
            note=(reason or "").strip()[:500] or None,
            at=utcnow(),
        )
    )
    db.session.flush()
    db.session.refresh(lot)
    return lot


def get_lot_by_code(code: str) -> SupplyLot:
    """The lot with this code, or NotFound."""
    lot = db.session.scalar(db.select(SupplyLot).where(SupplyLot.code == code.strip().upper()))
    if lot is None:
        raise NotFound(_l("There is no lot with the code %(code)s.", code=code))
    return lot


def household_count(lot: SupplyLot) -> int:
    """How many distinct registered households supplied this lot."""
    return len({c.household_id for c in lot.contributions if c.household_id})


def corrections_of(lot: SupplyLot) -> list[SupplyLot]:
    """Lots recorded to correct this one, oldest first."""
    stmt = db.select(SupplyLot).where(SupplyLot.corrects_lot_id == lot.id).order_by(SupplyLot.id)
    return list(db.session.scalars(stmt))


def lots_of_cooperative(cooperative, page: int = 1, per_page: int = 20):
    """One page of a cooperative's lots, newest first."""
    stmt = (
        db.select(SupplyLot)
        .join(SupplyLot.product)
        .where(Product.cooperative_id == cooperative.id)
        .order_by(SupplyLot.received_on.desc(), SupplyLot.id.desc())
    )
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def recent_lots(product: Product, limit: int = 5) -> list[SupplyLot]:
    """The newest lots of a product that are not void (for its public page)."""
    stmt = (
        db.select(SupplyLot)
        .where(SupplyLot.product_id == product.id, SupplyLot.void.is_(False))
        .order_by(SupplyLot.received_on.desc(), SupplyLot.id.desc())
    )
    return list(db.session.scalars(stmt.limit(limit)))


def qr_svg(url: str) -> bytes:
    """A QR code of `url` as SVG (sharp at any print size)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()


def qr_png(url: str) -> bytes:
    """A QR code of `url` as PNG (for label printers that want a bitmap)."""
    image = qrcode.make(url, box_size=10, border=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
