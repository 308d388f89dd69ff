"""Cooperative manager pages: their cooperatives, listing products with photos, recording
supply lots and printing lot labels. Every page checks the manager owns what it touches."""

from flask import abort, flash, redirect, render_template, request, send_from_directory, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import Role
from ..accounts.permissions import role_required
from ..errors import DomainError
from ..extensions import db
from ..extras import extras_for
from ..households import services as households
from ..inputs import query_int
from ..urls import external_url
from . import categories, freight, lots, photos, services
from .forms import ConfirmForm, LotForm, ProductForm, VoidLotForm
from .models import Cooperative, Product, ProductPhoto, ProductStatus, SupplyLot
from .views import bp

manager_required = role_required(Role.cooperative_manager, Role.admin)


def _owned_cooperative(cooperative_id: int) -> Cooperative:
    cooperative = db.session.get(Cooperative, cooperative_id) or abort(404)
    services.require_manager(current_user, cooperative)
    return cooperative


def _owned_product(product_id: int) -> Product:
    product = db.session.get(Product, product_id) or abort(404)
    services.require_manager(current_user, product.cooperative)
    return product


def _owned_lot(lot_id: int) -> SupplyLot:
    lot = db.session.get(SupplyLot, lot_id) or abort(404)
    services.require_manager(current_user, lot.product.cooperative)
    return lot


def _dashboard(cooperative: Cooperative):
    products = services.products_of(cooperative)
    ids = [p.id for p in products]
    return render_template(
        "catalog/manage_cooperative.html",
        cooperative=cooperative,
        products=products,
        available=services.available_quantities(ids),
        lots=lots.lots_of_cooperative(cooperative, page=query_int("page", 1)),
        extras=extras_for("catalog.manage_cooperative", cooperative, current_user),
    )


@bp.get("/manage")
@manager_required
def manage():
    cooperatives = services.managed_cooperatives(current_user)
    if len(cooperatives) == 1:
        return _dashboard(cooperatives[0])
    return render_template(
        "catalog/manage.html",
        cooperatives=cooperatives,
        extras=extras_for("catalog.manage", None, current_user),
    )


@bp.get("/manage/cooperatives/<int:cooperative_id>")
@manager_required
def manage_cooperative(cooperative_id: int):
    return _dashboard(_owned_cooperative(cooperative_id))


def _uploads(form: ProductForm) -> list[tuple[str, bytes]]:
    return [(f.filename, f.read()) for f in (form.photos.data or []) if f and f.filename]


def _product_form(product: Product | None, cooperative: Cooperative) -> ProductForm:
    form = ProductForm(
        obj=product,
        categories=categories.list_categories(),
        locale=str(get_locale() or "zh"),
        templates=freight.templates_of(cooperative.id),
    )
    if product is not None and not form.is_submitted():
        form.price.data = f"{product.price_fen / 100:.2f}"
    return form


@bp.route("/manage/cooperatives/<int:cooperative_id>/products/new", methods=["GET", "POST"])
@manager_required
def product_create(cooperative_id: int):
    cooperative = _owned_cooperative(cooperative_id)
    return _save_product(cooperative, None)


@bp.route("/manage/products/<int:product_id>/edit", methods=["GET", "POST"])
@manager_required
def product_edit(product_id: int):
    product = _owned_product(product_id)
    return _save_product(product.cooperative, product)


def _save_product(cooperative: Cooperative, product: Product | None):
    form = _product_form(product, cooperative)
    error = None
    chosen = _uploads(form) if form.is_submitted() else []
    if form.validate_on_submit():
        # Photos chosen now, and those kept from an earlier refused try (signed names).
        kept = photos.pending_uploads(form.pending_photos.data)
        try:
            saved = services.save_product(
                cooperative, product, form.values(), by=current_user, uploads=kept + chosen
            )
        except DomainError as exc:
            if exc.details.get("field") == "freight_template_id":
                form.freight_template_id.errors = [str(exc.message)]
            else:
                error = exc.message
        else:
            photos.forget_pending(form.pending_photos.data)
            name = saved.display_name(str(get_locale()))
            flash(_("Product %(name)s saved.", name=name), "success")
            return redirect(url_for("catalog.product_edit", product_id=saved.id))
    if form.is_submitted() and not form.photos.errors:
        # The browser forgets a chosen file when the form comes back: keep the good ones
        # (only once their number and sizes passed: nothing is decoded before that).
        form.pending_photos.data = photos.keep_pending(chosen, form.pending_photos.data)
    return render_template(
        "catalog/product_form.html",
        form=form,
        cooperative=cooperative,
        product=product,
        error=error,
        max_photos=photos.MAX_PHOTOS,
        pending=photos.pending_stems(form.pending_photos.data or ""),
    )


@bp.get("/manage/pending-photos/<stem>.jpg")
@manager_required
def pending_photo(stem: str):
    """A photo kept from a refused product form (random name; managers only)."""
    if not (stem.isalnum() and len(stem) == 32):
        abort(404)
    return send_from_directory(photos.pending_dir(), f"{stem}.jpg", max_age=0)


@bp.post("/manage/products/<int:product_id>/status/<to_status>")
@manager_required
def product_status(product_id: int, to_status: str):
    product = _owned_product(product_id)
    if to_status not in ProductStatus.__members__ or not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.change_product_status(product, ProductStatus(to_status), by=current_user)
    except DomainError as exc:
        flash(exc.message, "danger")
    else:
        label = services.PRODUCT_STATUS_LABELS[product.status]
        flash(
            _("%(name)s: %(status)s.", name=product.display_name(str(get_locale())), status=label),
            "success",
        )
    target = request.form.get("next", "")
    # Only back to a manager page of this site, never to another address.
    if not (target.startswith("/manage") and "//" not in target):
        target = url_for("catalog.product_edit", product_id=product.id)
    return redirect(target)


@bp.post("/manage/photos/<int:photo_id>/delete")
@manager_required
def photo_delete(photo_id: int):
    photo = db.session.get(ProductPhoto, photo_id) or abort(404)
    product = _owned_product(photo.product_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    photos.remove_photo(photo)
    flash(_("Photo removed."), "success")
    return redirect(url_for("catalog.product_edit", product_id=product.id))


@bp.route("/manage/cooperatives/<int:cooperative_id>/lots/new", methods=["GET", "POST"])
@manager_required
def lot_create(cooperative_id: int):
    cooperative = _owned_cooperative(cooperative_id)
    choices = [p for p in services.products_of(cooperative) if p.status != ProductStatus.archived]
    corrects = None
    if request.args.get("corrects"):
        corrects = _owned_lot(query_int("corrects") or 0)
    form = LotForm()
    form.product_id.choices = [(p.id, p.display_name(str(get_locale()))) for p in choices]
    if request.method == "GET":
        form.product_id.data = corrects.product_id if corrects else query_int("product")
    error = None
    if request.method == "POST" and request.form.get("add_row"):
        # "Another supplier" without JavaScript: the same form back, one row longer.
        if len(form.contributions) < form.contributions.max_entries:
            form.contributions.append_entry()
    elif form.validate_on_submit():
        product = next(p for p in choices if p.id == form.product_id.data)
        rows = [
            lots.Contribution(
                quantity=row.quantity.data,
                household_no=(row.household_no.data or "").strip() or None,
                supplier_name=(row.supplier_name.data or "").strip() or None,
            )
            for row in form.contributions
            if not row.form.is_blank()
        ]
        try:
            lot = lots.record_supply_lot(
                product,
                form.quantity.data,
                form.grade.data,
                form.received_on.data,
                rows,
                harvested_on=form.harvested_on.data,
                by=current_user,
                corrects=corrects,
                note=form.note.data,
            )
        except DomainError as exc:
            error = exc.message
        else:
            flash(_("Lot %(code)s recorded.", code=lot.code), "success")
            return redirect(url_for("catalog.lot_detail", lot_id=lot.id))
    hints = [
        households.present_household(h, current_user)
        for h in households.households_in_township(cooperative.village.parent_id)
    ]
    return render_template(
        "catalog/lot_form.html",
        form=form,
        cooperative=cooperative,
        corrects=corrects,
        error=error,
        household_hints=hints,
    )


@bp.get("/manage/lots/<int:lot_id>")
@manager_required
def lot_detail(lot_id: int):
    lot = _owned_lot(lot_id)
    return render_template(
        "catalog/lot_detail.html",
        lot=lot,
        product=lot.product,
        contributors=[
            (c, households.present_household(c.household, current_user) if c.household else None)
            for c in lot.contributions
        ],
        corrections=lots.corrections_of(lot),
        form=VoidLotForm(),
        trace_url=external_url("catalog.trace", code=lot.code),
    )


@bp.post("/manage/lots/<int:lot_id>/void")
@manager_required
def lot_void(lot_id: int):
    lot = _owned_lot(lot_id)
    form = VoidLotForm()
    if not form.validate_on_submit():
        flash(_("Say why the lot is void."), "danger")
        return redirect(url_for("catalog.lot_detail", lot_id=lot.id))
    try:
        lots.void_lot(lot, by=current_user, reason=form.reason.data)
    except DomainError as exc:
        flash(exc.message, "danger")
    else:
        flash(_("Lot %(code)s is void.", code=lot.code), "success")
    return redirect(url_for("catalog.lot_detail", lot_id=lot.id))
