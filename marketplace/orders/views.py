"""Pages of the orders package: the shop, the cart and checkout. The buyer's and the
cooperative's order pages are in order_views.py, registered on the same blueprint."""

import re
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    get_template_attribute,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, user_logged_in

from .. import pagecache
from ..accounts import addresses
from ..catalog import freshness
from ..catalog.models import Product
from ..errors import DomainError
from ..extensions import db
from ..inputs import query_int
from ..logistics.models import Station
from ..payments.services import online_payment_available
from . import actions, labels, pickup, queries, search, shipping
from . import cart as carts
from .forms import BrowseForm, CartLineForm, CheckoutForm, RemoveFromCartForm
from .labels import shown_name
from .models import Delivery, PaymentMethod

bp = Blueprint("orders", __name__)
PER_PAGE = 12
STAND_IN = 987654321  # a number no page shows: replaced by each card's own
ADDED_KEY = "shop_added"  # the product just added from the shop: its card says so


@bp.context_processor
def order_words():
    return {
        "status_label": labels.status_label,
        "status_badge": labels.BADGE,
        "payment_label": labels.PAYMENT_METHOD,
    }


def _cart():
    return carts.open_cart(current_user, session)


@user_logged_in.connect
def _keep_visitors_cart(_app, user, **_extra):
    """On login, move what the visitor put in the cart into the account. A signal, so that
    accounts, which logs in, knows nothing of carts."""
    carts.merge_session_cart(user, session)


def _back(default: str) -> str:
    """The form's `next` if it is a path on this site, else `default`."""
    target = request.form.get("next") or ""
    if target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return default


# A refused cart quantity, kept across the redirect and shown under its box (`cart_error`).
CART_ERROR = "cart_error"


@bp.app_context_processor
def cart_field_errors():
    return {"cart_error": _cart_error}


@bp.record_once
def _cart_error_global(state) -> None:
    # Also a global: the cached pages' per-request macros (catalog/_product_stock.html) are
    # rendered without a request's template context.
    state.app.jinja_env.globals["cart_error"] = _cart_error


def _cart_error(product_id: int) -> dict | None:
    """The refused quantity for `product_id` ({quantity, message}), once per request."""
    if "cart_error" not in g:
        g.cart_error = session.pop(CART_ERROR, None)
    refused = g.cart_error
    return refused if refused and refused.get("product_id") == product_id else None


def _refuse_quantity(product_id: int, message) -> None:
    session[CART_ERROR] = {
        "product_id": product_id,
        "quantity": (request.form.get("quantity") or "")[:20],
        "message": str(message),
    }


def _same_site_referrer() -> str | None:
    """The page the form was on, when it is on this site (its path and query)."""
    parts = urlsplit(request.referrer or "")
    if parts.netloc == request.host and parts.path.startswith("/"):
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return None


def _flash_form_errors(form) -> None:
    for errors in form.errors.values():
        for message in errors:
            flash(message, "danger")


@bp.get("/shop")
def browse():
    """Search and filter the products for sale. The page is cached per query, language and
    catalogue stamp; the units left and the add-to-cart forms are filled in per request."""
    locale = g.locale_code
    args = tuple(sorted((k, v) for k, v in request.args.items(multi=True) if v))
    page = pagecache.blocks(
        ("shop", args, locale, freshness.stamp()), "orders/browse.html", _browse_context
    )
    left = freshness.units_left(pagecache.slot_ids(page, "left"))
    added = session.pop(ADDED_KEY, None)
    buy = get_template_attribute("orders/_card_stock.html", "buy")
    units = get_template_attribute("orders/_card_stock.html", "units_left")
    next_path = request.full_path.rstrip("?")
    # The macros run once per request with a stand-in number, not once per card.
    some, sold_out = str(units(STAND_IN)), str(units(0))
    form = str(buy(STAND_IN, 1, next_path, False))

    def fill_buy(pid: int) -> str:
        refused = _cart_error(pid)
        if added == pid or refused:
            return buy(pid, left.get(pid, 0), next_path, added == pid, refused)
        return form.replace(str(STAND_IN), str(pid)) if left.get(pid) else ""

    return pagecache.respond(
        page,
        {
            "left": lambda pid: (
                some.replace(str(STAND_IN), str(left[pid])) if left.get(pid) else sold_out
            ),
            "buy": fill_buy,
        },
    )


def _browse_context() -> dict:
    locale = g.locale_code
    form = BrowseForm(formdata=request.args, meta={"csrf": False})
    village_id = query_int("village")
    counties, townships = search.filter_regions(form.county.data)
    form.county.choices = [("", _("All counties"))] + [
        (c.code, c.display_name(locale)) for c in counties
    ]
    form.township.choices = [("", _("All townships"))] + [
        (t.code, t.display_name(locale)) for t in townships
    ]
    form.category.choices = [("", _("All categories"))] + [
        (c.code, c.display_name(locale)) for c in search.categories()
    ]
    results = search.search_products(
        q=form.q.data,
        county_code=form.county.data,
        township_code=form.township.data,
        village_id=village_id,
        category_code=form.category.data or None,
        ovop=form.ovop.data,
        sort=form.sort.data or "newest",
        page=query_int("page", 1),
        per_page=PER_PAGE,
    )
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return {
        "form": form,
        "results": results,
        "pager_args": args,
        "village_id": village_id,
        "filters_open": bool(set(args) & {"county", "township", "category", "ovop", "village"}),
    }


@bp.get("/cart")
def cart():
    summary = carts.summarise_cart(_cart())
    province = shipping.province_arg(request.args.get("ship_to"), current_user)
    return render_template(
        "orders/cart.html",
        summary=summary,
        line_form=CartLineForm(formdata=None),
        remove_form=RemoveFromCartForm(formdata=None),
        estimate=shipping.estimate_cart(summary, province),
        provinces=shipping.province_choices(g.locale_code),
        ship_to=province,
        shipping_place=shipping.province_name(province, g.locale_code),
    )


def _cart_change(change) -> int | None:
    """Validate the posted cart line and apply `change(cart, product, quantity)`. A refused
    quantity is kept for the page to show under its box; returns that product's id."""
    form = CartLineForm()
    if not form.validate():
        if set(form.errors) != {"quantity"}:
            _flash_form_errors(form)
            return None
        _refuse_quantity(form.product_id.data, form.quantity.errors[0])
        return form.product_id.data
    product = db.session.get(Product, form.product_id.data) or abort(404)
    try:
        quantity = change(_cart(), product, form.quantity.quantity)
    except DomainError as exc:
        _refuse_quantity(product.id, exc.message)
        return product.id
    if quantity is None:
        flash(_("The quantity of %(name)s was changed.", name=shown_name(product)), "success")
    else:
        flash(
            _("%(name)s is in your cart (%(n)d).", name=shown_name(product), n=quantity),
            "success",
        )
    return None


@bp.post("/cart/add")
def cart_add():
    refused = _cart_change(carts.add_to_cart)
    if refused is not None:
        # Back to the box that was refused, on the page it was on (shop card or product page).
        product_page = url_for("catalog.product_detail", product_id=refused)
        page = _back(_same_site_referrer() or product_page)
        return redirect(f"{page.split('#')[0]}#qty-{refused}")
    target = _back(url_for("orders.cart"))
    product_id = request.form.get("product_id", "")
    if target.startswith(url_for("orders.browse")) and re.fullmatch(r"[0-9]{1,9}", product_id):
        # Back to the card the buyer added from, which says so (see browse).
        session[ADDED_KEY] = int(product_id)
        target = f"{target}#product-{int(product_id)}"
    return redirect(target)


@bp.post("/cart/update")
def cart_update():
    refused = _cart_change(carts.set_cart_quantity)
    anchor = f"#qty-{refused}" if refused is not None else ""
    return redirect(url_for("orders.cart") + anchor)


@bp.post("/cart/remove")
def cart_remove():
    form = RemoveFromCartForm()
    if form.validate():
        carts.remove_from_cart(_cart(), form.product_id.data)
        flash(_("Removed from your cart."), "info")
    return redirect(url_for("orders.cart"))


@bp.route("/checkout", methods=["GET", "POST"])
@login_required
def checkout():
    summary = carts.summarise_cart(carts.AccountCart(current_user))
    if not summary.lines:
        flash(_("Your cart is empty."), "info")
        return redirect(url_for("orders.cart"))
    online = online_payment_available()
    book = addresses.addresses_of(current_user)
    points = pickup.chooser(g.locale_code, request.args)
    form = CheckoutForm(
        pickup_groups=points.all_groups,
        online_payment=online,
        addresses=book,
        locale=g.locale_code,
    )
    if request.method == "GET":
        form.pickup_station_id.data = points.suggested(queries.last_pickup_station_id(current_user))
        if request.args.get("delivery") == Delivery.express.value and online:
            form.delivery.data = Delivery.express.value
            form.payment_method.data = PaymentMethod.stripe.value
        form.address_id.data = book[0].id if book else None
    chosen = next((a for a in book if a.id == form.address_id.data), book[0] if book else None)
    estimate = shipping.estimate_cart(summary, chosen.province_code if chosen else None)
    if not form.quote.data and form.validate_on_submit():
        station = db.session.get(Station, form.pickup_station_id.data) if not form.express else None
        try:
            order = actions.checkout_cart(
                current_user,
                station,
                form.payment_method.data,
                delivery=form.delivery.data,
                address=chosen if form.express else None,
            )
        except actions.InsufficientStock as exc:
            _flash_shortages(exc.shortages)
            return redirect(url_for("orders.cart"))
        except DomainError as exc:
            field = getattr(form, str(exc.details.get("field", "")), None)
            if field is not None and field.name in ("payment_method", "address_id", "delivery"):
                field.errors = [str(exc.message)]
            else:
                flash(str(exc.message), "danger")
        else:
            online = order.payment_method == PaymentMethod.stripe
            if online and "payments.start_checkout" in current_app.view_functions:
                # 307: the browser posts (with its CSRF token) on to the payment's POST.
                return redirect(url_for("payments.start_checkout", order_id=order.id), 307)
            flash(_("Thank you! Your order %(ref)s is placed.", ref=order.reference), "success")
            return redirect(url_for("orders.order_detail", key=order.reference))
    return render_template(
        "orders/checkout.html",
        form=form,
        summary=summary,
        estimate=estimate,
        chosen=chosen,
        express=form.express,
        points=points,
    )


def _flash_shortages(shortages: list[dict]) -> None:
    ids = [short["product_id"] for short in shortages]
    products = {p.id: p for p in db.session.scalars(db.select(Product).where(Product.id.in_(ids)))}
    for short in shortages:
        product = products.get(short["product_id"])
        flash(
            _(
                "Not enough %(name)s: you asked for %(requested)d, only %(available)d left. "
                "Please change the quantity.",
                name=shown_name(product) if product else short["name"],
                requested=short["requested"],
                available=short["available"],
            ),
            "danger",
        )


from . import order_views  # noqa: E402, F401  (registers the order pages on bp)
