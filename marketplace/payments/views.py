"""Pages of the payments package: off to Stripe Checkout, the page buyers come back to,
Stripe's webhook, and refunds."""

import logging

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from .. import transaction
from ..accounts.permissions import admin_required
from ..errors import DomainError
from ..extensions import csrf, db
from ..money import fen_to_yuan, format_fen
from ..orders.models import Fulfilment, Order, OrderStatus, PaymentMethod
from ..transaction import after_commit, on_commit
from ..urls import external_url
from . import pages, services, stripe_gateway, webhooks
from .forms import RefundForm
from .models import Refund, RefundStatus

bp = Blueprint("payments", __name__, url_prefix="/payments")
log = logging.getLogger(__name__)


def _buyers_online_order(order_id: int) -> Order:
    order = db.session.get(Order, order_id)
    if order is None or order.buyer_id != current_user.id:
        abort(404)
    if order.payment_method != PaymentMethod.stripe:
        abort(404)  # cash orders are paid at the pickup point, never here
    return order


@bp.get("/orders/<int:order_id>/checkout")
@login_required
def checkout_page(order_id):
    """Old links to the checkout: the order's payment page with its Pay button. Opening a
    Checkout Session changes the order (and may expire it), so only the POST does it."""
    order = _buyers_online_order(order_id)
    if order.status != OrderStatus.pending_payment:
        return redirect(url_for(".checkout_return", order_id=order.id))
    return render_template(
        "payments/checkout_return.html", page=pages.checkout_return_page(order, left=True)
    )


@bp.post("/orders/<int:order_id>/checkout")
@login_required
def start_checkout(order_id):
    """Send the buyer to Stripe's hosted payment page for an unpaid online order."""
    order = _buyers_online_order(order_id)
    back = url_for(".checkout_return", order_id=order.id)
    if order.status != OrderStatus.pending_payment:
        return redirect(back)
    if not services.online_payment_available():
        flash(_("Online payment is not available at the moment."), "warning")
        return redirect(back)
    # Stripe fills in {CHECKOUT_SESSION_ID}; url_for would escape the braces.
    success_url = (
        external_url("payments.checkout_return", order_id=order.id)
        + "?session_id={CHECKOUT_SESSION_ID}"
    )
    cancel_url = external_url("payments.checkout_return", order_id=order.id, left=1)
    start = services.start_checkout(order, success_url, cancel_url, locale=g.locale_code)

    def go_to_stripe():
        # After the commit: no row lock is held while Stripe is asked for the session.
        opened = services.open_session(start)
        if opened.cancelled:
            flash(opened.cancelled, "danger")  # the order stays cancelled, stock on sale
            return redirect(back)
        return redirect(opened.checkout_url, code=303)

    return after_commit(go_to_stripe)


@bp.get("/orders/<int:order_id>/return")
@login_required
def checkout_return(order_id):
    """Where Stripe sends the buyer back; it only reads, the webhook confirms payment."""
    order = _buyers_online_order(order_id)
    left = request.args.get("left") == "1"
    return render_template(
        "payments/checkout_return.html", page=pages.checkout_return_page(order, left)
    )


@bp.post("/stripe/webhook")
@csrf.exempt
def stripe_webhook():
    """Stripe's events: verified, applied once, answered 200 (400 if the signature is bad)."""
    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET")
    if not secret:
        return jsonify(error="webhooks are not configured"), 400
    try:
        event = stripe_gateway.verify_webhook(
            request.get_data(), request.headers.get("Stripe-Signature"), secret
        )
    except stripe_gateway.InvalidWebhook as exc:
        log.warning("Refused a Stripe webhook: %s", exc)
        return jsonify(error="invalid signature"), 400
    try:
        outcome = webhooks.process_stripe_event(event)
    except IntegrityError:
        # A concurrent delivery of the same event wrote its row first (the flush waited
        # for it to commit): this one changes nothing.
        transaction.rollback()
        if webhooks.already_processed(event["id"]):
            return jsonify(received=True, outcome="already processed")
        raise
    return jsonify(received=True, outcome=outcome)


def _flash_refund(refund_id: int) -> None:
    refund = db.session.get(Refund, refund_id)
    amount = format_fen(refund.amount_fen)
    if refund.status == RefundStatus.pending:
        flash(_("Refund of %(amount)s sent; Stripe will confirm it.", amount=amount))
    elif refund.status == RefundStatus.failed:
        flash(
            _(
                "We could not reach the payment service; nothing was refunded. "
                "Please try again later."
            ),
            "danger",
        )
    else:
        flash(_("Refunded %(amount)s.", amount=amount), "success")


@bp.route("/fulfilments/<int:fulfilment_id>/refund", methods=["GET", "POST"])
@login_required
def refund_fulfilment(fulfilment_id):
    """Refund part or all of a parcel (administrators and the cooperative's managers)."""
    fulfilment = db.session.get(Fulfilment, fulfilment_id)
    if fulfilment is None:
        abort(404)
    if not services.can_refund(current_user, fulfilment):
        abort(403)
    form = RefundForm()
    if request.method == "GET":
        form.amount.data = str(fen_to_yuan(services.refundable_fen(fulfilment)))
    status = 200
    if form.validate_on_submit():
        try:
            refund = services.refund_fulfilment(
                fulfilment, form.amount_fen, form.reason.data, by=current_user
            )
        except DomainError as exc:
            flash(exc.message, "danger")
            status = exc.status_code
        else:
            # Registered after the refund's own sending: by then Stripe has answered.
            refund_id = refund.id
            on_commit(lambda: _flash_refund(refund_id))
            return redirect(url_for(".refund_fulfilment", fulfilment_id=fulfilment.id))
    elif request.method == "POST":
        status = 400
    return render_template(
        "payments/refund.html", page=pages.refund_page(fulfilment), form=form
    ), status


@bp.get("/attention")
@admin_required
def attention():
    """Payments whose amount or currency did not match: what arrived and its refund."""
    return render_template("payments/attention.html", lines=pages.attention_page())
