"""Order pages: the buyer's orders and cancel; the cooperative's packing list and slips."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.models import Role
from ..accounts.permissions import role_required
from ..caching import no_store
from ..catalog.services import can_manage, managed_cooperatives
from ..errors import DomainError
from ..extensions import db
from ..inputs import query_int
from ..money import format_fen
from ..payments.refunds import cancellation_refund_fen
from . import actions, pages, queries
from .forms import CancelOrderForm, ConfirmReceiptForm, MarkPackedForm
from .models import Fulfilment, FulfilmentStatus
from .views import bp


@bp.get("/orders")
@login_required
def my_orders():
    orders = queries.orders_of(current_user, page=query_int("page", 1))
    return render_template("orders/my_orders.html", orders=orders)


def _order_or_404(key: str):
    order = queries.visible_order(current_user, key)
    if order is None:
        abort(404)
    return order


@bp.get("/orders/<key>")
@login_required
@no_store  # pickup codes
def order_detail(key: str):
    order = _order_or_404(key)
    buyer_side = queries.is_buyer_side(current_user, order)
    form = CancelOrderForm() if buyer_side and actions.can_cancel(order) else None
    confirm = (
        ConfirmReceiptForm()
        if order.buyer_id == current_user.id and actions.can_confirm_receipt(order)
        else None
    )
    return render_template(
        "orders/order_detail.html", page=pages.order_page(order, current_user, form, confirm)
    )


@bp.post("/orders/<key>/confirm-receipt")
@login_required
def confirm_receipt(key: str):
    """确认收货: the buyer received the parcels handed to express carriers."""
    order = _order_or_404(key)
    if order.buyer_id != current_user.id:
        abort(404)
    if ConfirmReceiptForm().validate():
        try:
            confirmed = actions.confirm_receipt(order, by=current_user)
        except DomainError as exc:
            flash(str(exc.message), "danger")
        else:
            if confirmed:
                flash(_("Thank you: receipt confirmed."), "success")
    return redirect(url_for("orders.order_detail", key=order.reference))


@bp.post("/orders/<key>/cancel")
@login_required
def cancel(key: str):
    order = _order_or_404(key)
    if not queries.is_buyer_side(current_user, order):
        abort(403)
    form = CancelOrderForm()
    if form.validate():
        try:
            actions.cancel_order(order, by=current_user, reason=form.reason.data or None)
        except DomainError as exc:
            flash(str(exc.message), "danger")
        else:
            refunded = cancellation_refund_fen(order)
            if refunded:
                message = _(
                    # Checkout also takes Alipay and WeChat Pay: not "your card".
                    "Your order %(ref)s is cancelled. The payment of %(amount)s will be "
                    "refunded the way you paid within a few days.",
                    ref=order.reference,
                    amount=format_fen(refunded),
                )
            else:
                message = _("Your order %(ref)s is cancelled.", ref=order.reference)
            flash(message, "info")
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(message, "danger")
    return redirect(url_for("orders.order_detail", key=order.reference))


@bp.get("/packing")
@role_required(Role.cooperative_manager)
def packing_list():
    cooperatives = managed_cooperatives(current_user)
    return render_template(
        "orders/packing_list.html",
        cooperatives=cooperatives,
        to_pack=queries.fulfilments_for_packing(cooperatives, FulfilmentStatus.to_pack),
        packed=queries.fulfilments_for_packing(cooperatives, FulfilmentStatus.packed),
        form=MarkPackedForm(),
    )


def _own_fulfilment_or_403(fulfilment_id: int) -> Fulfilment:
    fulfilment = db.session.get(Fulfilment, fulfilment_id) or abort(404)
    if not can_manage(current_user, fulfilment.cooperative):
        abort(403)
    return fulfilment


@bp.post("/packing/<int:fulfilment_id>/packed")
@role_required(Role.cooperative_manager)
def mark_packed(fulfilment_id: int):
    fulfilment = _own_fulfilment_or_403(fulfilment_id)
    if MarkPackedForm().validate():
        try:
            actions.mark_packed(fulfilment, by=current_user)
        except DomainError as exc:
            flash(str(exc.message), "danger")
        else:
            flash(
                _(
                    "Order %(ref)s is packed. Hand it to your village point.",
                    ref=fulfilment.order.reference,
                ),
                "success",
            )
    return redirect(url_for("orders.packing_list"))


@bp.get("/packing/<int:fulfilment_id>/slip")
@role_required(Role.cooperative_manager)
def packing_slip(fulfilment_id: int):
    fulfilment = _own_fulfilment_or_403(fulfilment_id)
    return render_template("orders/packing_slip.html", fulfilment=fulfilment)
