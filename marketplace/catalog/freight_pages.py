"""Cooperative manager pages for freight templates (运费模板): list, create, edit."""

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from ..extensions import db
from ..regions import divisions
from . import freight
from .freight_forms import MAX_RULES, FreightTemplateForm
from .manager_pages import _owned_cooperative, manager_required
from .views import bp


def _provinces():
    locale = getattr(g, "locale_code", "zh")
    return [(d.code, d.display_name(locale)) for d in divisions.children_of(None)]


@bp.get("/manage/cooperatives/<int:cooperative_id>/freight-templates")
@manager_required
def freight_list(cooperative_id: int):
    cooperative = _owned_cooperative(cooperative_id)
    names = dict(_provinces())
    return render_template(
        "catalog/freight_list.html",
        cooperative=cooperative,
        templates=freight.templates_of(cooperative.id),
        province_names=names,
    )


def _fill(form: FreightTemplateForm, template) -> None:
    """A template's values into a fresh form (prices shown in yuan)."""
    form.name.data = template.name
    form.cold_chain.data = template.cold_chain
    form.is_default.data = template.is_default
    form.first_weight_g.data = template.first_weight_g
    form.first_price.data = f"{template.first_fen / 100:.2f}"
    form.step_weight_g.data = template.step_weight_g
    form.step_price.data = f"{template.step_fen / 100:.2f}"
    form.free_over.data = (
        f"{template.free_over_fen / 100:.2f}" if template.free_over_fen is not None else ""
    )
    form.free_provinces.data = template.free_province_codes or []
    form.not_delivered.data = template.not_delivered_province_codes
    for entry, rule in zip(form.rules, template.rules[:MAX_RULES], strict=False):
        entry.form.provinces.data = rule.province_codes
        entry.form.first_weight_g.data = rule.first_weight_g
        entry.form.first_price.data = f"{rule.first_fen / 100:.2f}"
        entry.form.step_weight_g.data = rule.step_weight_g
        entry.form.step_price.data = f"{rule.step_fen / 100:.2f}"


def _template_page(cooperative, template=None):
    form = FreightTemplateForm(provinces=_provinces())
    if template is not None and not form.is_submitted():
        _fill(form, template)
    if form.validate_on_submit():
        values = form.values()
        if values is not None:
            freight.save_template(cooperative, values, template)
            flash(_("Freight template %(name)s saved.", name=values["name"]), "success")
            return redirect(url_for("catalog.freight_list", cooperative_id=cooperative.id))
    return render_template(
        "catalog/freight_form.html", form=form, cooperative=cooperative, template=template
    )


@bp.route(
    "/manage/cooperatives/<int:cooperative_id>/freight-templates/new", methods=["GET", "POST"]
)
@manager_required
def freight_new(cooperative_id: int):
    return _template_page(_owned_cooperative(cooperative_id))


@bp.route("/manage/freight-templates/<int:template_id>/edit", methods=["GET", "POST"])
@manager_required
def freight_edit(template_id: int):
    template = db.session.get(freight.FreightTemplate, template_id) or abort(404)
    cooperative = _owned_cooperative(template.cooperative_id)
    return _template_page(cooperative, template)
