"""Public catalog pages: the product list, one product, lot traceability with its QR code and
the product photos. Administrator and manager pages live in admin_pages and manager_pages."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    get_template_attribute,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from .. import pagecache
from ..accounts.models import Role
from ..extensions import db
from ..extras import extras_for
from ..regions import divisions
from ..regions.services import village_shown
from ..urls import external_url
from . import freight, freshness, lots, photos, services
from .models import Cooperative, Product, ProductStatus

bp = Blueprint("catalog", __name__)


@bp.app_template_filter("unit_label")
def unit_label_filter(code: str) -> str:
    return services.unit_label(code)


@bp.app_template_filter("product_status")
def product_status_filter(status) -> str:
    return str(services.PRODUCT_STATUS_LABELS.get(status, status))


@bp.app_template_filter("grade_label")
def grade_label_filter(grade: str) -> str:
    """A lot's grade (stored as written on the lot form: 特级, 一级, A...) in the page's
    language; an unknown one as stored."""
    return str(lots.GRADES.get(grade, grade))


@village_shown.connect
def village_cooperatives(village) -> dict:
    """A village page shows the cooperatives there and what they sell."""
    cooperatives = list(
        db.session.scalars(
            db.select(Cooperative)
            .where(Cooperative.village_id == village.id)
            .order_by(Cooperative.id)
        )
    )
    products = (
        list(
            db.session.scalars(
                db.select(Product)
                .where(
                    Product.cooperative_id.in_([c.id for c in cooperatives]),
                    Product.status == ProductStatus.active,
                )
                .order_by(Product.id)
            )
        )
        if cooperatives
        else []
    )
    return {"cooperatives": cooperatives, "products": products}


@bp.get("/products")
def products():
    """The public catalogue is the shop's search page; old links keep working."""
    return redirect(url_for("orders.browse", **request.args.to_dict()), code=301)


@bp.get("/products/<int:product_id>")
def product_detail(product_id: int):
    """A product on sale is cached per language and catalogue stamp (pagecache), its units
    left and add-to-cart form filled in per request. Those who may manage products (its
    managers, administrators) get it uncached, with the edit button and drafts."""
    manager = current_user.is_authenticated and (
        current_user.is_admin or current_user.has_role(Role.cooperative_manager)
    )
    # The delivery estimate's province is part of what the page shows (a known code or "").
    ship_to = _province_arg()
    key = None if manager else ("product", product_id, g.locale_code, ship_to, freshness.stamp())
    page = pagecache.blocks(
        key, "catalog/product_detail.html", lambda: _product_context(product_id)
    )
    available = freshness.units_left([product_id]).get(product_id, 0)
    app = current_app._get_current_object()
    shown = get_template_attribute("catalog/_product_stock.html", "stock_and_buy")
    # The shop (orders) is another package: no form, and no refused quantity to show,
    # where it is not installed.
    refused_of = app.jinja_env.globals.get("cart_error", lambda pid: None)
    return pagecache.respond(
        page,
        {
            "buy": lambda pid: shown(
                pid, available, "orders.cart_add" in app.view_functions, refused_of(pid)
            ),
            "stock": lambda pid: shown(pid, available, False),
        },
    )


def _product_context(product_id: int) -> dict:
    # One query for the product, its cooperative, village and category, one for photos;
    # the cooperative's managers only if a signed-in user's rights need them.
    product = db.session.get(
        Product,
        product_id,
        options=[
            joinedload(Product.cooperative).joinedload(Cooperative.village),
            joinedload(Product.cooperative).lazyload(Cooperative.managers),
            joinedload(Product.category),
            selectinload(Product.photos),
        ],
    ) or abort(404)
    if not services.can_see_product(current_user, product):
        abort(404)
    return {
        "product": product,
        "village": product.cooperative.village,
        "supported": services.supported_households(product),
        "recent_lots": lots.recent_lots(product),
        "can_edit": services.can_manage(current_user, product.cooperative),
        "extras": extras_for("catalog.product", product, current_user),
        **_shipping_estimate(product),
    }


def _province_arg() -> str:
    """The `ship_to` province asked for, if it is one (anything else is no province)."""
    code = request.args.get("ship_to") or ""
    division = divisions.get(code) if code.isdigit() else None
    return code if division is not None and division.parent_code is None else ""


def _shipping_estimate(product: Product) -> dict:
    """The product page's small GET form: the fee of one unit to a chosen province."""
    locale = getattr(g, "locale_code", "zh")
    provinces = divisions.children_of(None)
    code = _province_arg()
    chosen = next((p for p in provinces if p.code == code), None)
    fee = None
    if chosen is not None:
        (quote,) = freight.quote_lines([(product, 1)], chosen.code)
        fee = quote.shipping_fen
    return {
        "ship_provinces": [(p.code, p.display_name(locale)) for p in provinces],
        "ship_to": chosen.code if chosen else "",
        "ship_place": chosen.display_name(locale) if chosen else "",
        "ship_fee": fee,
    }


def _traceable_lot(code: str):
    """The lot behind a trace code, if its product may be seen (catalog's one rule: drafts
    only by their managers); 404 otherwise, as on the product page."""
    lot = lots.get_lot_by_code(code)
    if not services.can_see_product(current_user, lot.product):
        abort(404)
    return lot


@bp.get("/trace/<code>")
def trace(code: str):
    lot = _traceable_lot(code)
    return render_template(
        "catalog/trace.html",
        lot=lot,
        product=lot.product,
        village=lot.product.cooperative.village,
        households_count=lots.household_count(lot),
        corrections=lots.corrections_of(lot),
        trace_url=external_url("catalog.trace", code=lot.code),
    )


@bp.get("/trace/<code>/qr.svg")
def trace_qr_svg(code: str):
    lot = _traceable_lot(code)
    svg = lots.qr_svg(external_url("catalog.trace", code=lot.code))
    return Response(svg, mimetype="image/svg+xml", headers={"Cache-Control": "max-age=86400"})


@bp.get("/trace/<code>/qr.png")
def trace_qr_png(code: str):
    lot = _traceable_lot(code)
    png = lots.qr_png(external_url("catalog.trace", code=lot.code))
    return Response(png, mimetype="image/png", headers={"Cache-Control": "max-age=86400"})


@bp.get("/media/products/<filename>")
def photo(filename: str):
    # Names are generated and never reused, so browsers may keep them for a year.
    return send_from_directory(photos.photo_dir(), filename, max_age=365 * 24 * 3600)


from . import admin_pages, freight_pages, manager_pages  # noqa: E402,F401  (routes on `bp`)
