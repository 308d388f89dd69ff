"""Village point pages: orders placed for villagers without a phone (代买) and the daily cash
sheet of a station's till."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..caching import no_store
from ..clock import local_date, utcnow
from ..errors import DomainError
from ..extensions import db
from ..inputs import parse_date
from ..money import format_fen
from ..orders import actions as sale
from ..orders.models import Order, PaymentMethod
from ..orders.queries import products_on_sale
from . import cash
from .forms import AssistedOrderForm, HandOnCashForm
from .models import StationKind
from .views import bp, operator_required, station_or_403


def _product_choices() -> list[tuple[int, str]]:
    locale = str(get_locale() or "zh")
    products = products_on_sale()
    return [(0, _("— choose —"))] + [
        (
            p.id,
            f"{p.display_name(locale)} · {p.cooperative.display_name(locale)} · "
            f"{format_fen(p.price_fen)}",
        )
        for p in products
    ]


@bp.route("/stations/<int:station_id>/assisted-order", methods=["GET", "POST"])
@operator_required
def assisted_order(station_id: int):
    """代买: the operator orders for a villager, who pays cash when picking up here."""
    station = station_or_403(station_id)
    if station.kind != StationKind.village_point:
        abort(404)
    form = AssistedOrderForm()
    choices = _product_choices()
    for row in form.items:
        row.form.product_id.choices = choices
    if form.validate_on_submit():
        # place_order takes (product id, quantity) pairs and checks the products itself.
        items = form.chosen_items()
        try:
            order = sale.place_order(
                current_user,
                items,
                station,
                PaymentMethod.cash_at_pickup,
                placed_by=current_user,
                recipient_name=form.recipient_name.data.strip(),
                recipient_phone=(form.recipient_phone.data or "").strip() or None,
            )
        except DomainError as exc:
            flash(exc.message, "danger")
        else:
            flash(_("Order %(reference)s placed.", reference=order.reference), "success")
            return redirect(url_for(".assisted_slip", station_id=station.id, order_id=order.id))
    return render_template("logistics/assisted_order.html", station=station, form=form)


@bp.get("/stations/<int:station_id>/assisted-order/<int:order_id>")
@operator_required
@no_store  # pickup codes
def assisted_slip(station_id: int, order_id: int):
    """A slip to print for the villager: order reference, pickup codes, cash due."""
    station = station_or_403(station_id)
    order = db.session.get(Order, order_id) or abort(404)
    if order.pickup_station_id != station.id or (
        order.placed_by_id != current_user.id and not current_user.is_admin
    ):
        abort(404)
    return render_template("logistics/assisted_slip.html", station=station, order=order)


@bp.get("/stations/<int:station_id>/cash")
@operator_required
def cash_sheet(station_id: int):
    station = station_or_403(station_id)
    try:
        day = parse_date(request.args.get("day", ""))
    except ValueError:
        day = local_date(utcnow())
    return render_template(
        "logistics/cash_sheet.html",
        sheet=cash.cash_sheet(station, day),
        balance_fen=cash.balance_fen(station),
        form=HandOnCashForm(),
    )


@bp.post("/stations/<int:station_id>/cash")
@operator_required
def hand_on_cash(station_id: int):
    station = station_or_403(station_id)
    form = HandOnCashForm()
    if form.validate_on_submit():
        try:
            movement = cash.hand_on_cash(
                station, form.amount.fen, current_user, note=form.note.data
            )
        except DomainError as exc:
            flash(exc.message, "danger")
        else:
            flash(
                _("%(amount)s handed on recorded.", amount=format_fen(movement.amount_fen)),
                "success",
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "danger")
    return redirect(url_for(".cash_sheet", station_id=station.id))
