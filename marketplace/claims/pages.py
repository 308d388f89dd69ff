"""What the claim pages show, built by the views so templates only display; and the parts
claims and reviews add to other packages' pages (`extras.page_extras`)."""

from dataclasses import dataclass

from ..catalog.services import can_manage
from ..extras import Extra, page_extras
from ..money import fen_to_yuan
from ..orders.models import OrderLine, PaymentMethod
from . import reviews, rules, services
from .labels import (
    DECISION_LABELS,
    REASON_LABELS,
    REFUND_LABELS,
    REMEDY_LABELS,
    ROLE_LABELS,
    STATUS_BADGES,
    STATUS_LABELS,
    SYSTEM_ESCALATED,
)
from .models import Claim, ClaimStatus


@dataclass(frozen=True)
class Badge:
    label: str
    css: str


def badge(claim: Claim) -> Badge:
    return Badge(str(STATUS_LABELS[claim.status]), STATUS_BADGES[claim.status])


@dataclass(frozen=True)
class MessageLine:
    who: str
    name: str | None
    body: str
    decision: str | None
    amount_fen: int | None
    at: object
    mine: bool


@dataclass(frozen=True)
class RefundLine:
    amount_fen: int
    status: str
    succeeded: bool
    at: object


@dataclass(frozen=True)
class ClaimView:
    claim: Claim
    badge: Badge
    reason: str
    remedy: str
    lines: list  # (OrderLine, units)
    messages: list[MessageLine]
    refunds: list[RefundLine]
    value_fen: int


def _messages(claim: Claim, viewer) -> list[MessageLine]:
    out = []
    for m in claim.messages:
        body = m.body or (str(SYSTEM_ESCALATED) if m.author_role == "system" else "")
        out.append(
            MessageLine(
                who=str(ROLE_LABELS.get(m.author_role, m.author_role)),
                name=m.author.name if m.author is not None and m.author_role != "buyer" else None,
                body=body,
                decision=str(DECISION_LABELS[m.decision]) if m.decision else None,
                amount_fen=m.amount_fen,
                at=m.at,
                mine=viewer is not None and m.author_id == getattr(viewer, "id", None),
            )
        )
    return out


def claim_view(claim: Claim, viewer) -> ClaimView:
    return ClaimView(
        claim=claim,
        badge=badge(claim),
        reason=str(REASON_LABELS[claim.reason]),
        remedy=str(REMEDY_LABELS[claim.remedy]),
        lines=[(cl.order_line, cl.quantity) for cl in claim.lines],
        messages=_messages(claim, viewer),
        refunds=[
            RefundLine(
                amount_fen=r.amount_fen,
                status=str(REFUND_LABELS[r.status]),
                succeeded=r.status == r.status.succeeded,
                at=r.created_at,
            )
            for r in services.claim_refunds(claim)
        ],
        value_fen=rules.claim_value_fen(claim),
    )


@dataclass(frozen=True)
class ClaimPage:
    view: ClaimView
    is_buyer: bool
    decide_form: object | None
    refundable_fen: int
    message_form: object | None
    photo_form: object | None
    accept_offer_form: object | None
    dispute_form: object | None
    offered: bool
    paid_in_cash: bool


def claim_page(claim: Claim, viewer, forms: dict) -> ClaimPage:
    """`forms`: decision, message, photo, accept_offer, dispute (built by the view)."""
    is_buyer = services.is_buyer(viewer, claim)
    active = claim.status in rules.ACTIVE
    may_decide = services.deciding_role(viewer, claim) is not None
    refundable = rules.refundable_for_claim(claim) if may_decide else 0
    decide_form = forms["decision"] if may_decide else None
    if decide_form is not None and not decide_form.amount.data and refundable:
        decide_form.amount.data = str(fen_to_yuan(refundable))
    from .photos import MAX_CLAIM_PHOTOS

    return ClaimPage(
        view=claim_view(claim, viewer),
        is_buyer=is_buyer,
        decide_form=decide_form,
        refundable_fen=refundable,
        message_form=forms["message"] if active or claim.status == ClaimStatus.rejected else None,
        photo_form=(
            forms["photo"] if is_buyer and active and len(claim.photos) < MAX_CLAIM_PHOTOS else None
        ),
        accept_offer_form=forms["accept_offer"]
        if is_buyer and claim.status == ClaimStatus.offered
        else None,
        dispute_form=forms["dispute"]
        if is_buyer and claim.status in (ClaimStatus.offered, ClaimStatus.rejected)
        else None,
        offered=claim.status == ClaimStatus.offered,
        paid_in_cash=claim.order.payment_method == PaymentMethod.cash_at_pickup,
    )


@dataclass(frozen=True)
class OpenPage:
    fulfilment: object
    lines: list  # (OrderLine, claimable units, window closes at)
    form: object
    refusal: str | None  # why no claim can be opened now (the form is not shown)


def open_page(fulfilment, form) -> OpenPage:
    try:
        services.check_can_open(fulfilment)
        refusal = None
    except services.ClaimRefused as refused:
        refusal = str(refused.message)
    return OpenPage(
        refusal=refusal,
        fulfilment=fulfilment,
        lines=[
            (line, rules.claimable_units(line), rules.window_closes_at(fulfilment, line))
            for line in fulfilment.lines
        ],
        form=form,
    )


# --- parts of other pages ---------------------------------------------------------------


@dataclass(frozen=True)
class FulfilmentClaims:
    fulfilment: object
    claims: list[ClaimView]
    can_open: bool
    reviews: list  # (OrderLine, Review | None, can review)


@page_extras.connect
def _extras(place, subject=None, viewer=None):
    if place == "order.fulfilment":
        return _fulfilment_part(subject, viewer)
    if place == "catalog.product":
        return Extra("claims/_product_reviews.html", _reviews_part(product_id=subject.id))
    if place in ("catalog.manage", "catalog.manage_cooperative", "core.admin"):
        count = services.count_to_answer(viewer)
        return Extra("claims/_to_answer.html", count) if count or place != "core.admin" else None
    return None


def _fulfilment_part(fulfilment, viewer):
    claims = services.claims_of_fulfilment(fulfilment)
    is_buyer = getattr(viewer, "is_authenticated", False) and (
        fulfilment.order.buyer_id == viewer.id
    )
    if not claims and not (is_buyer and services.delivered(fulfilment)):
        return None
    visible = [c for c in claims if services.can_view(viewer, c)]
    line_reviews = []
    if is_buyer:
        for line in fulfilment.lines:
            line_reviews.append((line, reviews.review_of(line), reviews.received(viewer, line)))
    return Extra(
        "claims/_fulfilment_claims.html",
        FulfilmentClaims(
            fulfilment=fulfilment,
            claims=[claim_view(c, viewer) for c in visible],
            can_open=is_buyer and services.can_open(viewer, fulfilment),
            reviews=[r for r in line_reviews if r[2]],
        ),
    )


@dataclass(frozen=True)
class ReviewsPart:
    rating: reviews.Rating
    latest: list
    cooperative_id: int | None


def _reviews_part(product_id=None, cooperative_id=None) -> ReviewsPart:
    return ReviewsPart(
        rating=reviews.rating(product_id=product_id, cooperative_id=cooperative_id),
        latest=reviews.latest(product_id=product_id, cooperative_id=cooperative_id),
        cooperative_id=cooperative_id,
    )


def cooperative_reviews(cooperative_id: int) -> ReviewsPart:
    return _reviews_part(cooperative_id=cooperative_id)


def may_manage(viewer, claim: Claim) -> bool:
    return can_manage(viewer, claim.cooperative)


def line_of(line_id: int) -> OrderLine | None:
    return services.order_line(line_id)
