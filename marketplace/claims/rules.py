"""The questions a claim asks of the sale: when a fulfilment was delivered, how long the
buyer may claim, what of it can still be refunded. Each has one function here, so what
another issue changes (home delivery's confirm-receipt, shipping fees) is wired in once."""

from datetime import datetime, timedelta

from flask import current_app

from ..extensions import db
from ..orders.models import Fulfilment, FulfilmentStatus, OrderLine
from ..payments import refunds
from .models import Claim, ClaimLine, ClaimStatus

# A claim holds its fulfilment while one of these; the others are decided for good (or,
# rejected, wait for the buyer to dispute).
ACTIVE = {ClaimStatus.open, ClaimStatus.offered, ClaimStatus.escalated, ClaimStatus.disputed}
# Waiting for the cooperative, and for the administrators.
TO_ANSWER = {ClaimStatus.open}
FOR_ADMINS = {ClaimStatus.escalated, ClaimStatus.disputed}


def delivered_at(fulfilment: Fulfilment) -> datetime | None:
    """When the buyer got the fulfilment (handed over at the village point; the home
    delivery of issue 13 confirms receipt through the same status), or None."""
    if fulfilment.status != FulfilmentStatus.delivered:
        return None
    return fulfilment.delivered_at


def claim_days(line: OrderLine) -> int:
    """Days after delivery a line may be claimed: CLAIM_DAYS, CLAIM_PERISHABLE_DAYS for
    perishable goods (0: claims are closed at once)."""
    config = current_app.config
    if line.product is not None and line.product.perishable:
        return int(config.get("CLAIM_PERISHABLE_DAYS", 2))
    return int(config.get("CLAIM_DAYS", 7))


def window_closes_at(fulfilment: Fulfilment, line: OrderLine) -> datetime | None:
    at = delivered_at(fulfilment)
    return None if at is None else at + timedelta(days=claim_days(line))


def answer_hours() -> int:
    """Hours the cooperative has to answer before the claim goes to the administrators."""
    return int(current_app.config.get("CLAIM_ANSWER_HOURS", 48))


def refundable_shipping_fen(fulfilment: Fulfilment) -> int:
    """The shipping a claim of the whole fulfilment gives back: the fee the buyer paid for
    it (0 for a parcel to a village point); a partial claim gives back goods only."""
    return fulfilment.shipping_fen or 0


def claimed_before(line: OrderLine, exclude_claim_id: int | None = None) -> int:
    """Units of a line already refunded or resent by accepted claims."""
    stmt = (
        db.select(db.func.coalesce(db.func.sum(ClaimLine.quantity), 0))
        .join(Claim, Claim.id == ClaimLine.claim_id)
        .where(ClaimLine.order_line_id == line.id, Claim.status == ClaimStatus.accepted)
    )
    if exclude_claim_id is not None:
        stmt = stmt.where(Claim.id != exclude_claim_id)
    return int(db.session.scalar(stmt))


def claimable_units(line: OrderLine) -> int:
    return max(0, line.quantity - claimed_before(line))


def claim_value_fen(claim: Claim) -> int:
    """The price of the claimed units."""
    return sum(cl.quantity * cl.order_line.unit_price_fen for cl in claim.lines)


def claims_whole_fulfilment(claim: Claim) -> bool:
    """True if the claim covers every unit of its fulfilment (none refunded before)."""
    claimed = {cl.order_line_id: cl.quantity for cl in claim.lines}
    return all(
        claimed.get(line.id, 0) == line.quantity and claimed_before(line, claim.id) == 0
        for line in claim.fulfilment.lines
    )


def refundable_for_claim(claim: Claim) -> int:
    """The most a claim can refund: its units' price (and the shipping when the whole
    fulfilment is claimed), never more than is still refundable of the fulfilment."""
    value = claim_value_fen(claim)
    if claims_whole_fulfilment(claim):
        value += refundable_shipping_fen(claim.fulfilment)
    return max(0, min(value, refunds.refundable_fen(claim.fulfilment)))
