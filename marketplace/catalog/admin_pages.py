"""Administrator pages of the catalog: cooperatives (with their managers) and categories."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from ..accounts.models import User
from ..accounts.permissions import admin_required
from ..errors import DomainError
from ..extensions import db
from ..regions.services import villages_choices
from . import categories, cooperatives
from .forms import CategoryForm, ConfirmForm, CooperativeForm
from .models import Cooperative
from .views import bp


@bp.get("/admin/cooperatives")
@admin_required
def cooperative_list():
    return render_template(
        "catalog/cooperative_list.html", cooperatives=cooperatives.list_cooperatives()
    )


def _cooperative_form(cooperative: Cooperative | None) -> CooperativeForm:
    form = CooperativeForm(obj=cooperative)
    form.village_id.choices = villages_choices()
    locale_name = str(get_locale() or "zh")
    form.home_station_id.choices = [(None, "-")] + [
        (s.id, f"{s.display_name(locale_name)} ({s.code})")
        for s in cooperatives.village_point_stations()
    ]
    form.managers.choices = [
        (u.id, f"{u.name} <{u.login_name}>") for u in cooperatives.cooperative_manager_candidates()
    ]
    if cooperative is not None and not form.is_submitted():
        form.managers.data = [m.id for m in cooperative.managers]
    return form


def _save(cooperative: Cooperative | None):
    form = _cooperative_form(cooperative)
    if form.validate_on_submit():
        values = {key: getattr(form, key).data for key in cooperatives.COOPERATIVE_FIELDS}
        managers = [db.session.get(User, uid) for uid in form.managers.data or []]
        try:
            saved = cooperatives.save_cooperative(cooperative, values, [m for m in managers if m])
        except DomainError as exc:
            flash(exc.message, "danger")
        else:
            flash(
                _("Cooperative %(name)s saved.", name=saved.display_name(str(get_locale()))),
                "success",
            )
            return redirect(url_for("catalog.cooperative_list"))
    return render_template("catalog/cooperative_form.html", form=form, cooperative=cooperative)


@bp.route("/admin/cooperatives/new", methods=["GET", "POST"])
@admin_required
def cooperative_create():
    return _save(None)


@bp.route("/admin/cooperatives/<int:cooperative_id>/edit", methods=["GET", "POST"])
@admin_required
def cooperative_edit(cooperative_id: int):
    return _save(db.session.get(Cooperative, cooperative_id) or abort(404))


@bp.route("/admin/categories", methods=["GET", "POST"])
@admin_required
def category_list():
    form = CategoryForm()
    if form.validate_on_submit():
        try:
            category = categories.add_category(form.code.data, form.name_zh.data, form.name_en.data)
        except DomainError as exc:
            form.code.errors.append(exc.message)
        else:
            flash(
                _("Category %(name)s added.", name=category.display_name(str(get_locale()))),
                "success",
            )
            return redirect(url_for("catalog.category_list"))
    found = categories.list_categories()
    have = {c.code for c in found}
    missing = [code for code, _zh, _en in categories.DEFAULT_CATEGORIES if code not in have]
    return render_template(
        "catalog/category_list.html",
        form=form,
        categories=found,
        missing_defaults=missing,
        confirm=ConfirmForm(),
    )


@bp.post("/admin/categories/defaults")
@admin_required
def category_defaults():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    added = categories.ensure_default_categories()
    flash(
        ngettext("%(num)d standard category added.", "%(num)d standard categories added.", added),
        "success",
    )
    return redirect(url_for("catalog.category_list"))
