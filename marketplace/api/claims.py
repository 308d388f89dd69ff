"""Claims and reviews: the buyer claims part of a delivered fulfilment, adds photos; the
cooperative's managers (an open claim) and administrators (escalated or disputed) decide;
buyers review the order lines they received."""

from flask import request
from flask_babel import lazy_gettext as _l

from ..claims import photos, reviews, rules, services
from ..claims.models import ClaimDecision, ClaimReason, ClaimRemedy, ClaimStatus
from ..errors import DomainError, NotFound
from ..extensions import db
from ..orders.models import OrderLine
from .auth import current_api_user, token_required
from .errors import ApiError, Invalid
from .params import (
    MAX_INT,
    choice_arg,
    choice_field,
    int_field,
    json_body,
    list_field,
    only_fields,
    text_field,
)
from .serializers import iso_datetime
from .views import bp

MAX_LINES = 100


def claim_json(claim, viewer) -> dict:
    return {
        "id": claim.id,
        "status": str(claim.status),
        "fulfilment_id": claim.fulfilment_id,
        "order_id": claim.order_id,
        "cooperative_id": claim.cooperative_id,
        "reason": str(claim.reason),
        "remedy": str(claim.remedy),
        "description": claim.description,
        "lines": [
            {
                "order_line_id": cl.order_line_id,
                "quantity": cl.quantity,
                "unit_price_fen": cl.order_line.unit_price_fen,
            }
            for cl in claim.lines
        ],
        "refundable_fen": rules.refundable_for_claim(claim) if claim.status in rules.ACTIVE else 0,
        "offer_fen": claim.offer_fen,
        "refund_fen": claim.refund_fen,
        "opened_at": iso_datetime(claim.opened_at),
        "answered_at": iso_datetime(claim.answered_at),
        "decided_at": iso_datetime(claim.decided_at),
        "decided_by_id": claim.decided_by_id,
        "resend_fulfilment_id": claim.resend_fulfilment_id,
        "photos": len(claim.photos),
    }


def claim_detail_json(claim, viewer) -> dict:
    body = claim_json(claim, viewer)
    body["messages"] = [
        {
            "author_role": m.author_role,
            "body": m.body,
            "decision": str(m.decision) if m.decision else None,
            "amount_fen": m.amount_fen,
            "at": iso_datetime(m.at),
        }
        for m in claim.messages
    ]
    body["refunds"] = [
        {
            "id": r.id,
            "amount_fen": r.amount_fen,
            "status": str(r.status),
            "created_at": iso_datetime(r.created_at),
        }
        for r in services.claim_refunds(claim)
    ]
    return body


def _claim(claim_id: int):
    if claim_id > MAX_INT:
        raise ApiError(404)
    try:
        return services.visible_claim(current_api_user(), claim_id)
    except NotFound:
        raise ApiError(404) from None


def _lines(body: dict) -> list[tuple[int, int]]:
    lines = []
    for index, line in enumerate(list_field(body, "lines", MAX_LINES)):
        try:
            only_fields(line, ("order_line_id", "quantity"))
            lines.append(
                (
                    int_field(line, "order_line_id", minimum=1),
                    int_field(line, "quantity", minimum=1, maximum=999),
                )
            )
        except Invalid as exc:
            fields = exc.extra["fields"].items()
            raise Invalid({f"lines[{index}].{k}": v for k, v in fields}) from None
    return lines


def _field_error(exc: DomainError):
    field = exc.details.get("field")
    if exc.status_code == 400 and field:
        raise Invalid({field: exc.message}) from None
    raise exc


@bp.post("/fulfilments/<int:fulfilment_id>/claims")
@token_required
def open_claim(fulfilment_id: int):
    """The buyer claims units of a delivered fulfilment. 201; 409 with `error`
    claim_window_closed, claim_open or not_delivered."""
    user = current_api_user()
    if fulfilment_id > MAX_INT:
        raise ApiError(404)
    try:
        fulfilment = services.buyer_fulfilment(user, fulfilment_id)
    except NotFound:
        raise ApiError(404) from None
    body = json_body()
    only_fields(body, ("lines", "reason", "description", "remedy"))
    lines = _lines(body)
    reason = choice_field(body, "reason", [r.value for r in ClaimReason])
    remedy = choice_field(body, "remedy", [r.value for r in ClaimRemedy], required=False)
    description = text_field(body, "description", services.MAX_DESCRIPTION, required=False)
    try:
        claim = services.open_claim(
            fulfilment, user, lines, reason, description or "", remedy or "refund"
        )
    except DomainError as exc:
        _field_error(exc)
    return claim_detail_json(claim, user), 201


@bp.post("/claims/<int:claim_id>/photos")
@token_required
def add_claim_photos(claim_id: int):
    """The buyer adds photos (multipart field `photos`, at most 3 a claim). 201."""
    claim = _claim(claim_id)
    files = request.files.getlist("photos")
    uploads = [(f.filename or "", f.read(photos.MAX_PHOTO_BYTES + 1)) for f in files[:4]]
    if not uploads:
        raise Invalid({"photos": _l("Choose a photo.")})
    try:
        photos.add_photos(claim, current_api_user(), uploads)
    except NotFound:
        raise ApiError(404) from None
    except DomainError as exc:
        if exc.status_code == 400:
            raise Invalid({"photos": exc.message}) from None
        raise
    return claim_detail_json(claim, current_api_user()), 201


@bp.post("/claims/<int:claim_id>/decision")
@token_required
def decide_claim(claim_id: int):
    """Accept, offer less (partial) or reject: the cooperative's managers while the claim
    is open, administrators while it is escalated or disputed. 400 above refundable."""
    claim = _claim(claim_id)
    body = json_body()
    only_fields(body, ("decision", "refund_fen", "note"))
    decision = choice_field(body, "decision", [d.value for d in ClaimDecision])
    amount = int_field(body, "refund_fen", required=False, minimum=0)
    note = text_field(body, "note", services.MAX_NOTE, required=False) or ""
    try:
        claim = services.decide(claim, decision, current_api_user(), refund_fen=amount, note=note)
    except DomainError as exc:
        _field_error(exc)
    return claim_detail_json(claim, current_api_user())


@bp.get("/claims/<int:claim_id>")
@token_required
def get_claim(claim_id: int):
    """One claim with its messages and refunds (its buyer, the managers, admins)."""
    return claim_detail_json(_claim(claim_id), current_api_user())


@bp.get("/claims")
@token_required
def list_claims():
    """A manager's cooperatives' claims, every claim for an administrator, a buyer's own."""
    status = choice_arg("status", [s.value for s in ClaimStatus])
    user = current_api_user()
    return {"items": [claim_json(c, user) for c in services.claims_for(user, status)]}


def review_json(review) -> dict:
    return {
        "id": review.id,
        "order_line_id": review.order_line_id,
        "product_id": review.product_id,
        "rating": review.rating,
        "comment": review.comment,
        "created_at": iso_datetime(review.created_at),
        "updated_at": iso_datetime(review.updated_at),
        "hidden": review.hidden_at is not None,
    }


@bp.post("/order-lines/<int:line_id>/review")
@token_required
def review_line(line_id: int):
    """The buyer who received the line rates it 1-5 (201; 200 when an edit); another
    buyer's line is 404, a line not yet delivered 409."""
    line = db.session.get(OrderLine, line_id) if line_id <= MAX_INT else None
    if line is None:
        raise ApiError(404)
    body = json_body()
    only_fields(body, ("rating", "comment"))
    rating = int_field(body, "rating", minimum=1, maximum=5)
    comment = text_field(body, "comment", reviews.MAX_COMMENT, required=False)
    try:
        review, created = reviews.review_line(line, current_api_user(), rating, comment)
    except NotFound:
        raise ApiError(404) from None
    except DomainError as exc:
        _field_error(exc)
    return review_json(review), 201 if created else 200
