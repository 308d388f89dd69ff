"""Pages of the reports package: the administrators' reports (page, print view, CSV and
XLSX exports) and the public impact page. Every page only reads."""

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import datefmt
from ..accounts.permissions import admin_required
from ..catalog.models import Cooperative
from ..extensions import db
from ..inputs import query_int
from . import background, exports, summary_charts
from .forms import FilterForm
from .queries import impact as impact_query
from .queries import statement
from .registry import REPORTS
from .services import PRINT_ROWS, ROWS_PER_PAGE

bp = Blueprint("reports", __name__)
EXPORTS = {"csv", "xlsx"}


class Page:
    """Just what macros.pager needs."""

    def __init__(self, page: int, total: int, per_page: int):
        self.page = page
        self.pages = max(1, -(-(total or 0) // per_page))
        self.has_prev, self.prev_num = page > 1, page - 1
        self.has_next, self.next_num = page < self.pages, page + 1


def _locale() -> str:
    return getattr(g, "locale_code", "zh")


def _filters(report):
    form = FilterForm(request.args)
    form.load_choices(_locale(), report.breakdowns if report else [])
    form.validate()
    filters = form.filters(_locale(), current_app.config["PLATFORM_FEE_BP"])
    # Show the period actually used, so the date boxes are never blank.
    form.start.data = form.start.data or filters.start
    form.end.data = form.end.data or filters.end
    return form, filters


def _args(**changes) -> dict:
    """The current query arguments with `changes` applied (None removes one)."""
    args = request.args.to_dict()
    # The page number, and any argument named like a path variable (url_for would get
    # it twice: a 500 for /reports/statement?cooperative_id=2).
    for key in ("page", "name", "fmt", "cooperative_id"):
        args.pop(key, None)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return args


def _area_args(code: str) -> dict:
    """Filter arguments that select the region with `code` (county/township/village)."""
    return _args(
        county=code[:6],
        township=code[:9] if len(code) >= 9 else None,
        village=code if len(code) >= 12 else None,
        by=None,
        sort=None,
        dir=None,
    )


def _link(name: str, row: dict) -> dict:
    if row.get("_area"):
        row["_link"] = url_for("reports.report", name=name, **_area_args(row["_area"]))
    if row.get("_cooperative_id"):
        row["_link"] = url_for(
            "reports.statement_split", cooperative_id=row["_cooperative_id"], **_args()
        )
    return row


def _render(name, report, form, filters, table, title, endpoints, endpoint_args):
    """Render any report; `endpoints` = (page endpoint, export endpoint)."""
    printing = request.args.get("print") == "1"
    per_page = PRINT_ROWS if printing else ROWS_PER_PAGE
    page = query_int("page", 1)
    rows = [_link(name, r) for r in table.rows(per_page, (page - 1) * per_page)]
    page_endpoint, export_endpoint = endpoints

    def page_url(**changes):
        return url_for(page_endpoint, **endpoint_args, **_args(**changes))

    def export_url(fmt):
        return url_for(export_endpoint, fmt=fmt, **endpoint_args, **_args(print=None))

    return render_template(
        "reports/report.html",
        name=name,
        report=report,
        title=title,
        form=form,
        filters=filters,
        table=table,
        rows=rows,
        pagination=Page(page, table.row_count, per_page),
        printing=printing,
        page_endpoint=page_endpoint,
        pager_args={**endpoint_args, **_args(print=None)},
        page_url=page_url,
        export_url=export_url,
        summary_chart=None if table.chart else summary_charts.chart_for(name, table, rows),
    )


@bp.get("/reports/")
@admin_required
def index():
    """The list of reports."""
    return render_template("reports/index.html", reports=REPORTS.values())


@bp.get("/reports/<name>")
@admin_required
def report(name: str):
    """One report: filters, the table (paged, or all rows when printing), totals, notes."""
    report = REPORTS.get(name) or abort(404)
    form, filters = _filters(report)
    table = report.build(filters)
    endpoints = ("reports.report", "reports.export")
    return _render(name, report, form, filters, table, report.title, endpoints, {"name": name})


@bp.get("/reports/<name>/export.<fmt>")
@admin_required
def export(name: str, fmt: str):
    """The report as a CSV or XLSX file, every row, streamed."""
    report = REPORTS.get(name) or abort(404)
    if fmt not in EXPORTS:
        abort(404)
    _, filters = _filters(report)
    filename = f"{name}-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}"
    return _send(report.build(filters), fmt, filename, str(report.title), filters)


def _send(table, fmt, filename, title, filters):
    if fmt == "csv":
        return exports.csv_response(table, filename)
    # The sheet is named after the report in the page's language; the first row says
    # what, where and when (the file name alone was the only place that said it).
    area = filters.area.display_name(_locale()) if filters.area else _("All of Linxia Prefecture")
    period = f"{datefmt.day(filters.start)} – {datefmt.day(filters.end)}"
    return exports.xlsx_response(table, filename, title, f"{title} · {area} · {period}")


@bp.get("/reports/statement/<int:cooperative_id>")
@admin_required
def statement_split(cooperative_id: int):
    """The household split under one cooperative's statement."""
    cooperative = db.get_or_404(Cooperative, cooperative_id)
    form, filters = _filters(REPORTS["statement"])
    table = statement.build_split(filters, cooperative)
    title = cooperative.display_name(_locale())
    endpoints = ("reports.statement_split", "reports.statement_split_export")
    args = {"cooperative_id": cooperative_id}
    return _render("statement", None, form, filters, table, title, endpoints, args)


@bp.get("/reports/statement/<int:cooperative_id>/export.<fmt>")
@admin_required
def statement_split_export(cooperative_id: int, fmt: str):
    """The household split of one cooperative as CSV or XLSX."""
    cooperative = db.get_or_404(Cooperative, cooperative_id)
    if fmt not in EXPORTS:
        abort(404)
    _, filters = _filters(REPORTS["statement"])
    table = statement.build_split(filters, cooperative)
    filename = f"statement-{cooperative.id}-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}"
    return _send(table, fmt, filename, cooperative.display_name(_locale()), filters)


@bp.get("/impact")
def impact():
    """Public, de-identified: what the platform brought registered poor households this year."""
    return render_template("reports/impact.html", impact=impact_query.build(_locale()))


@bp.post("/reports/households/history.<fmt>")
@admin_required
def household_history_export(fmt: str):
    """Every household's income over the whole history, built by a worker (the run's page
    shows progress, then the download)."""
    if fmt not in EXPORTS:
        abort(404)
    run_id = background.enqueue_history_export(fmt, current_user, g.locale_code)
    return redirect(url_for("jobs.run_status", run_id=run_id))
