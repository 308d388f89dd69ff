"""Household registry pages: the list (full for administrators, masked for cooperative
managers), one household, the CSV/XLSX import and its template, and the poverty lines."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import Role
from ..accounts.permissions import admin_required, role_required
from ..caching import forbid_storing
from ..errors import DomainError
from ..extensions import db
from ..inputs import query_int
from ..money import fen_to_yuan
from ..regions.services import villages_choices
from . import background, registry_import, services
from .forms import HouseholdForm, ImportForm, PovertyLineForm
from .models import Household

bp = Blueprint("households", __name__)
bp.after_request(forbid_storing)  # the registry shows ID-card numbers


@bp.get("/households")
@role_required(Role.admin, Role.cooperative_manager)
def household_list():
    page = query_int("page", 1)
    query = request.args.get("q", "").strip()
    area = request.args.get("area", "").strip()
    found = services.list_households(current_user, query or None, area or None, page=page)
    return render_template(
        "households/household_list.html",
        households=found,
        rows=[services.present_household(h, current_user) for h in found.items],
        q=query,
        area=area,
        full=current_user.is_admin,
    )


def _household_form(household: Household | None) -> HouseholdForm:
    form = HouseholdForm(obj=household)
    form.village_id.choices = villages_choices()
    if household is not None and not form.is_submitted():
        form.poverty_causes.data = [c for c in (household.poverty_causes or "").split(",") if c]
        if household.net_income_per_person_fen is not None:
            form.net_income.data = str(fen_to_yuan(household.net_income_per_person_fen))
    return form


def _save(household: Household | None):
    form = _household_form(household)
    if form.validate_on_submit():
        try:
            saved = services.save_household(household, form.values())
        except DomainError as exc:
            form.household_no.errors = [*form.household_no.errors, exc.message]
        else:
            flash(_("Household %(no)s saved.", no=saved.household_no), "success")
            return redirect(url_for("households.household_list", q=saved.household_no))
    return render_template("households/household_form.html", form=form, household=household)


@bp.route("/households/new", methods=["GET", "POST"])
@admin_required
def household_create():
    return _save(None)


@bp.route("/households/<int:household_id>/edit", methods=["GET", "POST"])
@admin_required
def household_edit(household_id: int):
    return _save(db.session.get(Household, household_id) or abort(404))


@bp.route("/households/import", methods=["GET", "POST"])
@admin_required
def household_import():
    form = ImportForm()
    errors, result, rejected = [], None, None
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read()
        if len(data) > current_app.config.get("BACKGROUND_IMPORT_BYTES", 64 * 1024):
            # A big file (40,000 rows) is imported by a worker; the run's page shows progress.
            run_id = background.enqueue_import(upload.filename, data, current_user, g.locale_code)
            return redirect(url_for("jobs.run_status", run_id=run_id))
        try:
            result = registry_import.import_households(upload.filename, data)
        except registry_import.ImportRejected as exc:
            # Said once, in the page's own alert with the list of rows (no flash as well).
            errors, rejected = exc.errors, exc.message
        except DomainError as exc:
            form.file.errors = [*form.file.errors, exc.message]
    return render_template(
        "households/import.html",
        form=form,
        errors=errors,
        rejected=rejected,
        result=result,
        columns=registry_import.COLUMNS,
    )


@bp.get("/households/import/template.csv")
@admin_required
def import_template():
    # A BOM so that Excel opens the Chinese example row as UTF-8.
    body = "\ufeff" + registry_import.template_csv()
    return Response(
        body.encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=households-template.csv"},
    )


@bp.route("/poverty-lines", methods=["GET", "POST"])
@admin_required
def poverty_lines():
    form = PovertyLineForm()
    if form.validate_on_submit():
        try:
            line = services.set_poverty_line(form.year.data, form.amount.fen, form.note.data)
        except DomainError as exc:
            form.amount.errors = [*form.amount.errors, exc.message]
        else:
            flash(_("Poverty line of %(year)s saved.", year=line.year), "success")
            return redirect(url_for("households.poverty_lines"))
    return render_template(
        "households/poverty_lines.html", form=form, lines=services.poverty_lines()
    )
