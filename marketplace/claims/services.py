"""Claims: the buyer opens one on a delivered fulfilment, the cooperative answers, the
administrators decide what was escalated or disputed; money goes back through the refund
path the sale already has (`payments.refunds.refund_fulfilment`: Stripe, or cash on the
pickup point's till) and a resend is a new zero-price fulfilment (`orders.actions`).

Every verb locks the sale first (`orders.locks.lock_sale`) and moves the claim with a
conditional UPDATE of its `version`: of two decisions sent at once, exactly one counts.
Nothing here commits.
"""

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from ..catalog.services import can_manage, managed_cooperatives
from ..clock import utcnow
from ..errors import Conflict, DomainError, Forbidden, NotFound
from ..extensions import db
from ..money import format_fen
from ..orders import actions as sale
from ..orders.locks import lock_sale
from ..orders.models import Fulfilment, FulfilmentStatus, OrderLine
from ..payments import refunds
from ..status import record_initial_status, transition
from ..transaction import verb
from . import rules
from .models import (
    Claim,
    ClaimDecision,
    ClaimLine,
    ClaimMessage,
    ClaimReason,
    ClaimRemedy,
    ClaimStatus,
)

S = ClaimStatus
TRANSITIONS = {
    S.open: {S.accepted, S.offered, S.rejected, S.escalated},
    S.offered: {S.accepted, S.disputed},
    S.rejected: {S.disputed},
    S.escalated: {S.accepted, S.closed},
    S.disputed: {S.accepted, S.closed},
    S.accepted: set(),
    S.closed: set(),
}
RESEND_REASONS = {ClaimReason.missing, ClaimReason.wrong_item}
MAX_DESCRIPTION = 2000
MAX_NOTE = 1000


class ClaimRefused(Conflict):
    """409 with a code the API answers as `error`: claim_window_closed, claim_open,
    not_delivered."""

    def __init__(self, code: str, message):
        super().__init__(message)
        self.code = code


# --- who may see and do what ------------------------------------------------------------


def is_buyer(user, claim: Claim) -> bool:
    return getattr(user, "is_authenticated", False) and claim.buyer_id == user.id


def can_view(user, claim: Claim) -> bool:
    return is_buyer(user, claim) or can_manage(user, claim.cooperative)


def visible_claim(user, claim_id: int) -> Claim:
    """The claim if `user` may see it (its buyer, the cooperative's managers, admins);
    NotFound otherwise, so another buyer cannot tell that it exists."""
    claim = db.session.get(Claim, claim_id)
    if claim is None or not can_view(user, claim):
        raise NotFound(_l("There is no such claim."))
    return claim


def deciding_role(user, claim: Claim) -> str | None:
    """'cooperative' or 'admin' if `user` may decide the claim now, else None."""
    if claim.status == S.open and can_manage(user, claim.cooperative):
        return "admin" if user.is_admin else "cooperative"
    if claim.status in rules.FOR_ADMINS and getattr(user, "is_admin", False):
        return "admin"
    return None


def buyer_fulfilment(user, fulfilment_id: int) -> Fulfilment:
    """A fulfilment of the user's own orders (NotFound otherwise)."""
    fulfilment = db.session.get(Fulfilment, fulfilment_id)
    if fulfilment is None or not getattr(user, "is_authenticated", False):
        raise NotFound(_l("There is no such parcel."))
    if fulfilment.order.buyer_id != user.id:
        raise NotFound(_l("There is no such parcel."))
    return fulfilment


def active_claim(fulfilment: Fulfilment) -> Claim | None:
    return db.session.scalar(db.select(Claim).where(Claim.active_fulfilment_id == fulfilment.id))


def claims_of_fulfilment(fulfilment: Fulfilment) -> list[Claim]:
    stmt = db.select(Claim).where(Claim.fulfilment_id == fulfilment.id).order_by(Claim.id)
    return list(db.session.scalars(stmt))


def claim_refunds(claim: Claim) -> list:
    """The refunds a claim made (at most one today), oldest first."""
    return [claim.refund] if claim.refund is not None else []


def can_open(user, fulfilment: Fulfilment, now: datetime | None = None) -> bool:
    """True if the buyer could open a claim on this fulfilment now (the button shows)."""
    try:
        _check_can_open(fulfilment, now or utcnow())
    except ClaimRefused:
        return False
    return getattr(user, "is_authenticated", False) and fulfilment.order.buyer_id == user.id


def check_can_open(fulfilment: Fulfilment, now: datetime | None = None) -> None:
    """ClaimRefused (with its reason) if no claim of this fulfilment can be opened now."""
    _check_can_open(fulfilment, now or utcnow())


def _check_can_open(fulfilment: Fulfilment, now: datetime, lines=None) -> None:
    if rules.delivered_at(fulfilment) is None:
        raise ClaimRefused("not_delivered", _l("This parcel has not been delivered yet."))
    for line in lines or fulfilment.lines:
        closes = rules.window_closes_at(fulfilment, line)
        if closes is None or now > closes:
            raise ClaimRefused(
                "claim_window_closed",
                _l(
                    "The time to claim %(product)s has passed: claims are taken until "
                    "%(days)s days after delivery.",
                    product=line.product_name,
                    days=rules.claim_days(line),
                ),
            )
    if active_claim(fulfilment) is not None:
        raise ClaimRefused(
            "claim_open", _l("This parcel already has a claim waiting for an answer.")
        )


# --- the buyer --------------------------------------------------------------------------


def _note(text, limit=MAX_NOTE) -> str:
    return (text or "").strip()[:limit]


def _message(claim, by, role, body="", decision=None, amount=None, at=None) -> ClaimMessage:
    message = ClaimMessage(
        claim_id=claim.id,
        author_id=getattr(by, "id", by),
        author_role=role,
        body=body,
        decision=decision,
        amount_fen=amount,
        at=at or utcnow(),
    )
    db.session.add(message)
    claim.messages.append(message)
    return message


@verb
def open_claim(
    fulfilment: Fulfilment,
    buyer,
    lines: list[tuple[int, int]],
    reason: str,
    description: str,
    remedy: str = "refund",
    now: datetime | None = None,
) -> Claim:
    """The buyer claims `lines` [(order_line_id, units)] of a delivered fulfilment.

    Refused (409, ClaimRefused) before delivery, after the window, or while another claim
    of the fulfilment is waiting; 400 for lines not in it or more units than are left.
    """
    now = now or utcnow()
    if fulfilment.order.buyer_id != getattr(buyer, "id", None):
        raise NotFound(_l("There is no such parcel."))
    lock_sale(fulfilment.order_id)
    try:
        reason = ClaimReason(reason)
    except ValueError:
        raise DomainError(_l("Choose a reason."), field="reason") from None
    try:
        remedy = ClaimRemedy(remedy or "refund")
    except ValueError:
        raise DomainError(_l("Choose what you ask for."), field="remedy") from None
    if remedy == ClaimRemedy.resend and reason not in RESEND_REASONS:
        raise DomainError(
            _l("A resend can be asked only for a missing or wrong item."), field="remedy"
        )
    by_id = {line.id: line for line in fulfilment.lines}
    chosen: dict[int, int] = {}
    for line_id, units in lines:
        line = by_id.get(line_id)
        if line is None:
            raise DomainError(_l("That line is not in this parcel."), field="lines")
        chosen[line_id] = chosen.get(line_id, 0) + units
    chosen = {line_id: units for line_id, units in chosen.items() if units}
    if not chosen:
        raise DomainError(_l("Choose at least one item and how many units."), field="lines")
    _check_can_open(fulfilment, now, [by_id[i] for i in chosen])
    for line_id, units in chosen.items():
        line = by_id[line_id]
        left = rules.claimable_units(line)
        if units < 0 or units > left:
            raise DomainError(
                _l(
                    "You can claim at most %(units)s of %(product)s.",
                    units=left,
                    product=line.product_name,
                ),
                field="lines",
            )
    claim = Claim(
        fulfilment_id=fulfilment.id,
        active_fulfilment_id=fulfilment.id,
        order_id=fulfilment.order_id,
        cooperative_id=fulfilment.cooperative_id,
        buyer_id=buyer.id,
        reason=reason,
        remedy=remedy,
        description=_note(description, MAX_DESCRIPTION),
        status=S.open,
        opened_at=now,
        offer_fen=0,
        refund_fen=0,
        version=0,
    )
    db.session.add(claim)
    db.session.flush()
    for line_id, units in sorted(chosen.items()):
        claim.lines.append(ClaimLine(order_line_id=line_id, quantity=units))
    record_initial_status(claim, "claim", by=buyer, at=now)
    if claim.description:
        _message(claim, buyer, "buyer", claim.description, at=now)
    db.session.flush()
    return claim


@verb
def add_message(claim: Claim, by, body: str, now=None) -> ClaimMessage:
    """A message in the claim's thread, by its buyer or someone who may decide it."""
    body = _note(body)
    if not body:
        raise DomainError(_l("Write a message."), field="body")
    if is_buyer(by, claim):
        role = "buyer"
    elif can_manage(by, claim.cooperative):
        role = "admin" if by.is_admin else "cooperative"
    else:
        raise NotFound(_l("There is no such claim."))
    message = _message(claim, by, role, body, at=now)
    db.session.flush()
    return message


def _lock(claim: Claim) -> Claim:
    """Lock the claim's sale and read the claim again."""
    lock_sale(claim.order_id)
    return db.session.execute(
        db.select(Claim).where(Claim.id == claim.id).execution_options(populate_existing=True)
    ).scalar_one()


def _move(claim: Claim, to: ClaimStatus, by, note=None, at=None) -> None:
    """Move the claim if nobody moved it since it was read (conditional UPDATE)."""
    won = db.session.execute(
        db.update(Claim)
        .where(Claim.id == claim.id, Claim.version == claim.version, Claim.status == claim.status)
        .values(version=Claim.version + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if won != 1:
        raise Conflict(_l("This claim has just been decided by someone else."))
    claim.version += 1
    transition(claim, to, TRANSITIONS, "claim", by=by, note=note, at=at)
    if to not in rules.ACTIVE:
        claim.active_fulfilment_id = None


def _pay(claim: Claim, amount: int, by, note: str, at) -> None:
    reason = f"售后 Claim #{claim.id}" + (f": {note}" if note else "")
    refund = refunds.refund_fulfilment(
        claim.fulfilment, amount, reason[:500], by=by, keep_pending=True
    )
    claim.refund_id = refund.id
    claim.refund_fen = amount


def _resend(claim: Claim, by, note: str, at) -> None:
    resent = sale.resend_lines(
        claim.fulfilment,
        [(cl.order_line, cl.quantity) for cl in claim.lines],
        by=by,
        note=f"claim {claim.id}",
        now=at,
    )
    claim.resend_fulfilment_id = resent.id


def _amount(value, field="refund_fen") -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(_l("Enter an amount in fen."), field=field)
    return value


@verb
def decide(
    claim: Claim,
    decision: str,
    by,
    refund_fen: int | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Claim:
    """Accept (refund the claimed units, or resend them), offer less (`partial`) or reject.

    The cooperative's managers decide an open claim: a partial refund is an offer the buyer
    accepts or disputes, a rejection can be disputed. The administrators decide escalated
    and disputed claims, for good. `refund_fen` above what is refundable is refused (400).
    """
    now = now or utcnow()
    if not can_view(by, claim):
        raise NotFound(_l("There is no such claim."))
    claim = _lock(claim)
    role = deciding_role(by, claim)
    if role is None:
        if claim.status not in rules.ACTIVE:
            raise Conflict(_l("This claim has already been decided."))
        raise Forbidden(_l("You may not decide this claim now."))
    try:
        decision = ClaimDecision(decision)
    except ValueError:
        raise DomainError(_l("Choose a decision."), field="decision") from None
    note = _note(note)
    amount = _amount(refund_fen)
    left = rules.refundable_for_claim(claim)
    if decision != ClaimDecision.accept and not note:
        raise DomainError(_l("Give the buyer a reason."), field="note")
    resend = decision == ClaimDecision.accept and claim.remedy == ClaimRemedy.resend
    if decision == ClaimDecision.accept and amount is None and not resend:
        amount = left
    if decision == ClaimDecision.partial and amount is None:
        raise DomainError(_l("Enter the amount you offer."), field="refund_fen")
    if amount is not None and decision != ClaimDecision.reject:
        if amount > left:
            raise DomainError(
                _l("At most %(amount)s can be refunded for this claim.", amount=format_fen(left)),
                field="refund_fen",
            )
        if amount <= 0:
            raise DomainError(_l("The refund must be more than zero."), field="refund_fen")
    if claim.answered_at is None:
        claim.answered_at = now
    shown = amount if decision != ClaimDecision.reject else None
    _message(claim, by, role, note, decision=decision, amount=shown, at=now)
    if decision == ClaimDecision.reject:
        final = role == "admin"
        _move(claim, S.closed if final else S.rejected, by, note=note, at=now)
        if final:
            claim.decided_at, claim.decided_by_id = now, by.id
    elif decision == ClaimDecision.partial and role == "cooperative":
        claim.offer_fen = amount
        _move(claim, S.offered, by, note=note, at=now)
    else:
        _move(claim, S.accepted, by, note=note, at=now)
        claim.decided_at, claim.decided_by_id = now, by.id
        if resend and amount is None:
            _resend(claim, by, note, now)
        else:
            _pay(claim, amount, by, note, now)
    db.session.flush()
    return claim


@verb
def accept_offer(claim: Claim, by, now=None) -> Claim:
    """The buyer takes the cooperative's offer: it is refunded."""
    now = now or utcnow()
    if not is_buyer(by, claim):
        raise NotFound(_l("There is no such claim."))
    claim = _lock(claim)
    if claim.status != S.offered:
        raise Conflict(_l("There is no offer to accept."))
    amount = min(claim.offer_fen, rules.refundable_for_claim(claim))
    if amount <= 0:
        raise Conflict(_l("Nothing is left to refund for this parcel."))
    _message(claim, by, "buyer", "", decision=ClaimDecision.accept, amount=amount, at=now)
    _move(claim, S.accepted, by, at=now)
    claim.decided_at, claim.decided_by_id = now, by.id
    _pay(claim, amount, by, "", now)
    db.session.flush()
    return claim


@verb
def dispute(claim: Claim, by, note: str, now=None) -> Claim:
    """The buyer disputes an offer or a refusal: the administrators decide."""
    now = now or utcnow()
    if not is_buyer(by, claim):
        raise NotFound(_l("There is no such claim."))
    claim = _lock(claim)
    note = _note(note)
    if not note:
        raise DomainError(_l("Say why you disagree."), field="note")
    if claim.status not in (S.offered, S.rejected):
        raise Conflict(_l("This claim cannot be disputed now."))
    other = active_claim(claim.fulfilment)
    if other is not None and other.id != claim.id:
        raise ClaimRefused(
            "claim_open", _l("This parcel already has a claim waiting for an answer.")
        )
    _message(claim, by, "buyer", note, at=now)
    _move(claim, S.disputed, by, note=note, at=now)
    claim.active_fulfilment_id = claim.fulfilment_id
    db.session.flush()
    return claim


# --- escalation (the jobs runner calls escalate_due_claims) -----------------------------


@verb
def _escalate(claim_id: int, now: datetime) -> bool:
    claim = _lock(db.session.get(Claim, claim_id))
    if claim.status != S.open:
        return False
    _message(claim, None, "system", "", at=now)
    _move(claim, S.escalated, None, note="not answered in time", at=now)
    db.session.flush()
    return True


def due_for_escalation(now: datetime) -> list[int]:
    cutoff = now - timedelta(hours=rules.answer_hours())
    stmt = (
        db.select(Claim.id)
        .where(Claim.status == S.open, Claim.opened_at <= cutoff)
        .order_by(Claim.id)
    )
    return list(db.session.scalars(stmt))


def escalate_due_claims(now: datetime | None = None) -> int:
    """Send to the administrators every open claim not answered within CLAIM_ANSWER_HOURS.

    Returns how many were escalated. Flushes; the caller (command or jobs runner) commits.
    """
    now = now or utcnow()
    return sum(1 for claim_id in due_for_escalation(now) if _escalate(claim_id, now))


# --- lists ------------------------------------------------------------------------------


def claims_for(user, status: str | None = None, limit: int = 200) -> list[Claim]:
    """The claims a manager answers (their cooperatives'), all for an administrator,
    the buyer's own for anyone else; newest first."""
    stmt = db.select(Claim).order_by(Claim.id.desc()).limit(limit)
    if status:
        stmt = stmt.where(Claim.status == status)
    if getattr(user, "is_admin", False):
        return list(db.session.scalars(stmt))
    managed = [c.id for c in managed_cooperatives(user)]
    if managed:
        return list(db.session.scalars(stmt.where(Claim.cooperative_id.in_(managed))))
    return list(db.session.scalars(stmt.where(Claim.buyer_id == user.id)))


def count_to_answer(user) -> int:
    """Open claims of the cooperatives `user` manages (for an administrator: escalated and
    disputed ones)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    if user.is_admin:
        stmt = db.select(db.func.count(Claim.id)).where(Claim.status.in_(rules.FOR_ADMINS))
        return int(db.session.scalar(stmt))
    managed = [c.id for c in managed_cooperatives(user)]
    if not managed:
        return 0
    stmt = db.select(db.func.count(Claim.id)).where(
        Claim.status.in_(rules.TO_ANSWER), Claim.cooperative_id.in_(managed)
    )
    return int(db.session.scalar(stmt))


def order_line(line_id: int) -> OrderLine | None:
    return db.session.get(OrderLine, line_id)


def delivered(fulfilment: Fulfilment) -> bool:
    return fulfilment.status == FulfilmentStatus.delivered
