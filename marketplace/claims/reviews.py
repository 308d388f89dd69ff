"""Buyers' reviews: a rating 1-5 and an optional comment per order line, only by the buyer
who received it, editable for 30 days; administrators hide a review (it stays stored)."""

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from ..clock import utcnow
from ..errors import Conflict, DomainError, Forbidden, NotFound
from ..extensions import db
from ..orders.models import FulfilmentStatus, OrderLine
from ..transaction import verb
from .models import Review

EDITABLE_DAYS = 30
MAX_COMMENT = 1000
LATEST = 5


def received(user, line: OrderLine) -> bool:
    """True if `user` bought the line and its fulfilment was delivered to them."""
    return (
        getattr(user, "is_authenticated", False)
        and line.order.buyer_id == user.id
        and line.fulfilment.status == FulfilmentStatus.delivered
        and line.line_fen > 0  # a free resend is rated on the line it replaced
    )


def review_of(line: OrderLine) -> Review | None:
    return db.session.scalar(db.select(Review).where(Review.order_line_id == line.id))


def editable(review: Review, now=None) -> bool:
    return (now or utcnow()) <= review.created_at + timedelta(days=EDITABLE_DAYS)


@verb
def review_line(line: OrderLine, by, rating, comment: str | None = None, now=None):
    """Rate a received line; a second call edits the review while it is editable.

    Returns (review, created). Someone who did not receive the line is refused: 404 for
    another buyer's line, 409 before delivery.
    """
    now = now or utcnow()
    if not getattr(by, "is_authenticated", False) or line.order.buyer_id != by.id:
        raise NotFound(_l("There is no such order line."))
    if not received(by, line):
        raise Conflict(_l("You can review a product once you have received it."))
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise DomainError(_l("Give a rating from 1 to 5."), field="rating")
    comment = (comment or "").strip()[:MAX_COMMENT] or None
    review = review_of(line)
    if review is None:
        review = Review(
            order_line_id=line.id,
            product_id=line.product_id,
            cooperative_id=line.fulfilment.cooperative_id,
            buyer_id=by.id,
            rating=rating,
            comment=comment,
            created_at=now,
            updated_at=now,
        )
        db.session.add(review)
        db.session.flush()
        return review, True
    if not editable(review, now):
        raise Conflict(_l("A review can be changed for 30 days only."))
    review.rating, review.comment, review.updated_at = rating, comment, now
    db.session.flush()
    return review, False


@verb
def set_hidden(review: Review, by, hidden: bool = True, now=None) -> Review:
    """An administrator hides (or shows again) a review; it is never deleted."""
    if not getattr(by, "is_admin", False):
        raise Forbidden(_l("Only administrators can hide reviews."))
    review.hidden_at = (now or utcnow()) if hidden else None
    review.hidden_by_id = by.id if hidden else None
    db.session.flush()
    return review


@dataclass
class Rating:
    average: float | None
    count: int


def _visible(stmt):
    return stmt.where(Review.hidden_at.is_(None))


def rating(product_id: int | None = None, cooperative_id: int | None = None) -> Rating:
    """Average (one decimal) and count of the visible reviews of a product or cooperative."""
    stmt = _visible(db.select(db.func.avg(Review.rating), db.func.count(Review.id)))
    if product_id is not None:
        stmt = stmt.where(Review.product_id == product_id)
    if cooperative_id is not None:
        stmt = stmt.where(Review.cooperative_id == cooperative_id)
    average, count = db.session.execute(stmt).one()
    return Rating(round(float(average), 1) if count else None, int(count))


def latest(product_id: int | None = None, cooperative_id: int | None = None, limit=LATEST):
    stmt = _visible(db.select(Review)).order_by(Review.created_at.desc(), Review.id.desc())
    if product_id is not None:
        stmt = stmt.where(Review.product_id == product_id)
    if cooperative_id is not None:
        stmt = stmt.where(Review.cooperative_id == cooperative_id)
    return list(db.session.scalars(stmt.limit(limit)))


def all_reviews(limit: int = 200) -> list[Review]:
    """Every review, hidden ones too, newest first (the administrators' list)."""
    stmt = db.select(Review).order_by(Review.id.desc()).limit(limit)
    return list(db.session.scalars(stmt))
