"""Pages of claims and reviews, and the `flask claims escalate-due` command.

Buyers open a claim from the order page (申请售后) and follow it on the claim page; the
cooperative's managers answer from their list; administrators decide escalated and
disputed claims and hide reviews."""

import re

import click
from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import transaction
from ..accounts.permissions import admin_required
from ..catalog.models import Cooperative
from ..clock import utcnow
from ..errors import DomainError, NotFound
from ..extensions import db
from ..inputs import MAX_DB_INT
from . import pages, photos, reviews, services
from .forms import (
    AcceptOfferForm,
    ClaimForm,
    DecisionForm,
    DisputeForm,
    HideForm,
    MessageForm,
    PhotoForm,
    ReviewForm,
    ShowForm,
)
from .labels import STATUS_LABELS
from .models import ClaimStatus, Review

bp = Blueprint("claims", __name__, url_prefix="/claims", cli_group="claims")


@bp.cli.command("escalate-due")
def escalate_due() -> None:
    """Send to the administrators the claims not answered within CLAIM_ANSWER_HOURS."""
    count = services.escalate_due_claims(utcnow())
    transaction.commit()
    click.echo(f"{count} claim(s) escalated")


def _uploads(field_name="photos") -> list[tuple[str, bytes]]:
    files = request.files.getlist(field_name)[: photos.MAX_CLAIM_PHOTOS + 1]
    return [
        (f.filename or "", f.read(photos.MAX_PHOTO_BYTES + 1)) for f in files if f and f.filename
    ]


def _claim(claim_id: int):
    try:
        return services.visible_claim(current_user, claim_id)
    except NotFound:
        abort(404)


# --- the buyer opens a claim ------------------------------------------------------------


@bp.route("/fulfilments/<int:fulfilment_id>/new", methods=["GET", "POST"])
@login_required
def open_claim(fulfilment_id: int):
    try:
        fulfilment = services.buyer_fulfilment(current_user, fulfilment_id)
    except NotFound:
        abort(404)
    form = ClaimForm()
    status = 200
    errors = {}
    if form.validate_on_submit():
        lines = []
        for line in fulfilment.lines:
            raw = (request.form.get(f"units-{line.id}") or "0").strip()
            if not re.fullmatch(r"[0-9]{1,3}", raw):
                errors[line.id] = _("Enter a number of units.")
                continue
            if int(raw):
                lines.append((line.id, int(raw)))
        if not errors:
            try:
                claim = services.open_claim(
                    fulfilment,
                    current_user,
                    lines,
                    form.reason.data,
                    form.description.data,
                    form.remedy.data,
                )
                uploads = _uploads()
                if uploads:
                    photos.add_photos(claim, current_user, uploads)
            except DomainError as exc:
                transaction.rollback()
                field = exc.details.get("field")
                if field == "photos":
                    form.photos.errors = [*form.photos.errors, exc.message]
                elif field in ("reason", "remedy", "description"):
                    getattr(form, field).errors = [exc.message]
                else:
                    flash(exc.message, "danger")
                status = exc.status_code
            else:
                flash(_("Your claim has been sent to the cooperative."), "success")
                return redirect(url_for(".claim_detail", claim_id=claim.id))
        else:
            status = 400
    elif request.method == "POST":
        status = 400
    return render_template(
        "claims/open.html", page=pages.open_page(fulfilment, form), errors=errors
    ), status


# --- one claim --------------------------------------------------------------------------


def _forms() -> dict:
    return {
        "decision": DecisionForm(prefix="decide"),
        "message": MessageForm(prefix="message"),
        "photo": PhotoForm(prefix="photo"),
        "accept_offer": AcceptOfferForm(prefix="offer"),
        "dispute": DisputeForm(prefix="dispute"),
    }


def _render(claim, forms=None, status=200):
    page = pages.claim_page(claim, current_user, forms or _forms())
    return render_template("claims/detail.html", page=page), status


@bp.get("/<int:claim_id>")
@login_required
def claim_detail(claim_id: int):
    return _render(_claim(claim_id))


def _act(claim, forms, form, action, done: str):
    """Run one action of the claim page: redirect on success, the page with errors else."""
    if not form.validate_on_submit():
        return _render(claim, forms, 400)
    try:
        action()
    except DomainError as exc:
        transaction.rollback()
        flash(exc.message, "danger")
        return _render(db.session.get(type(claim), claim.id), forms, exc.status_code)
    flash(done, "success")
    return redirect(url_for(".claim_detail", claim_id=claim.id))


@bp.post("/<int:claim_id>/decision")
@login_required
def decide(claim_id: int):
    claim = _claim(claim_id)
    forms = _forms()
    form = forms["decision"]
    return _act(
        claim,
        forms,
        form,
        lambda: services.decide(
            claim, form.decision.data, current_user, refund_fen=form.amount_fen, note=form.note.data
        ),
        _("Your decision has been recorded."),
    )


@bp.post("/<int:claim_id>/message")
@login_required
def message(claim_id: int):
    claim = _claim(claim_id)
    forms = _forms()
    form = forms["message"]
    return _act(
        claim,
        forms,
        form,
        lambda: services.add_message(claim, current_user, form.body.data),
        _("Message sent."),
    )


@bp.post("/<int:claim_id>/photos")
@login_required
def add_photos(claim_id: int):
    claim = _claim(claim_id)
    forms = _forms()
    form = forms["photo"]
    return _act(
        claim,
        forms,
        form,
        lambda: photos.add_photos(claim, current_user, _uploads("photo-photos")),
        _("Photos added."),
    )


@bp.post("/<int:claim_id>/accept-offer")
@login_required
def accept_offer(claim_id: int):
    claim = _claim(claim_id)
    forms = _forms()
    return _act(
        claim,
        forms,
        forms["accept_offer"],
        lambda: services.accept_offer(claim, current_user),
        _("You accepted the offer; the refund is on its way."),
    )


@bp.post("/<int:claim_id>/dispute")
@login_required
def dispute(claim_id: int):
    claim = _claim(claim_id)
    forms = _forms()
    form = forms["dispute"]
    return _act(
        claim,
        forms,
        form,
        lambda: services.dispute(claim, current_user, form.note.data),
        _("The administrators will decide your claim."),
    )


@bp.get("/<int:claim_id>/photos/<name>")
@login_required
def photo(claim_id: int, name: str):
    claim = _claim(claim_id)
    try:
        path = photos.photo_path(current_user, claim, name)
    except NotFound:
        abort(404)
    response = send_file(path, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- lists ------------------------------------------------------------------------------


@bp.get("/")
@login_required
def claim_list():
    """Managers: their cooperatives' claims; administrators: all (escalated and disputed
    first by default); buyers: their own."""
    status = request.args.get("status") or None
    if status not in {s.value for s in ClaimStatus}:
        status = None
    claims = services.claims_for(current_user, status)
    if status is None and current_user.is_admin:
        order = {ClaimStatus.escalated: 0, ClaimStatus.disputed: 0, ClaimStatus.open: 1}
        claims.sort(key=lambda c: (order.get(c.status, 2), -c.id))
    return render_template(
        "claims/list.html",
        claims=[pages.claim_view(c, current_user) for c in claims],
        statuses=[(s.value, STATUS_LABELS[s]) for s in ClaimStatus],
        status=status,
        is_admin=current_user.is_admin,
    )


# --- reviews ----------------------------------------------------------------------------


@bp.route("/order-lines/<int:line_id>/review", methods=["GET", "POST"])
@login_required
def review(line_id: int):
    line = pages.line_of(line_id)
    if line is None or line.order.buyer_id != current_user.id:
        abort(404)
    existing = reviews.review_of(line)
    form = ReviewForm(obj=None)
    if request.method == "GET" and existing is not None:
        form.rating.data = str(existing.rating)
        form.comment.data = existing.comment
    status = 200
    if form.validate_on_submit():
        try:
            reviews.review_line(line, current_user, int(form.rating.data), form.comment.data)
        except DomainError as exc:
            transaction.rollback()
            flash(exc.message, "danger")
            status = exc.status_code
        else:
            flash(_("Thank you for your review."), "success")
            return redirect(url_for("orders.order_detail", key=line.order.reference))
    elif request.method == "POST":
        status = 400
    editable = existing is None or reviews.editable(existing)
    return render_template(
        "claims/review.html", line=line, form=form, editable=editable, existing=existing
    ), status


@bp.get("/cooperatives/<int:cooperative_id>/reviews")
def cooperative_reviews(cooperative_id: int):
    cooperative = db.session.get(Cooperative, cooperative_id) or abort(404)
    return render_template(
        "claims/cooperative_reviews.html",
        cooperative=cooperative,
        data=pages.cooperative_reviews(cooperative.id),
    )


@bp.get("/reviews")
@admin_required
def review_list():
    return render_template(
        "claims/reviews_admin.html",
        reviews=reviews.all_reviews(),
        hide_form=HideForm(),
        show_form=ShowForm(),
    )


@bp.post("/reviews/<int:review_id>/hide")
@admin_required
def hide_review(review_id: int):
    review_row = db.session.get(Review, review_id) if review_id <= MAX_DB_INT else None
    if review_row is None:
        abort(404)
    hidden = request.form.get("show") is None
    form = HideForm() if hidden else ShowForm()
    if not form.validate_on_submit():
        abort(400)
    reviews.set_hidden(review_row, current_user, hidden=hidden)
    flash(_("The review is hidden.") if hidden else _("The review is shown again."), "success")
    return redirect(url_for(".review_list"))
