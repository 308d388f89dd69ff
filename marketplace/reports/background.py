"""The whole-history household export as a job: a worker builds the file (every household,
every year of income), keeps it as a `JobFile`, and the run's page offers the download;
no web worker is held while 40,000 households are written."""

import dataclasses
import io
from datetime import date

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from .. import spreadsheets
from ..clock import local_date, local_today
from ..extensions import db
from ..households.models import IncomeEntry
from ..jobs import runner
from ..jobs.models import JobFile, JobRun
from ..jobs.registry import job
from . import exports
from .registry import REPORTS
from .services import Filters

EXPORT = "households"


def enqueue_history_export(fmt: str, by, locale: str) -> int:
    run = runner.enqueue("household-export", params={"fmt": fmt, "locale": locale}, by=by)
    return run.id


def _history_filters(locale: str) -> Filters:
    first = db.session.scalar(db.select(db.func.min(IncomeEntry.recognised_at)))
    start = local_date(first) if first else local_today()
    return dataclasses.replace(
        Filters(locale=locale, platform_fee_bp=current_app.config["PLATFORM_FEE_BP"]),
        start=min(start, local_today()),
        end=local_today(),
    )


def _csv(table, run) -> bytes:
    buffer = io.StringIO()
    writer = spreadsheets.CsvWriter(buffer)
    buffer.write("\ufeff")
    writer.writerow([exports.header(c) for c in table.columns])
    for done, record in enumerate(exports._records(table), 1):
        writer.writerow([exports.export_value(c, record.get(c.key)) for c in table.columns])
        if done % 500 == 0:
            run.progress(done)
    return buffer.getvalue().encode("utf-8")


@job("household-export", label=_l("Household income export, whole history"), retries=1, long=True)
def household_export(run, fmt: str = "csv", locale: str = "zh") -> dict:
    with current_app.test_request_context(), force_locale(locale):
        report = REPORTS[EXPORT]
        filters = _history_filters(locale)
        table = report.build(filters)
        name = f"households-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}"
        if fmt == "xlsx":
            response = exports.xlsx_response(table, name, EXPORT)
            response.direct_passthrough = False
            content, mimetype = response.get_data(), exports.XLSX_MIME
        else:
            content, mimetype = _csv(table, run), "text/csv"
        requested_by = db.session.get(JobRun, run.run_id).requested_by_id
        stored = JobFile(
            name=f"{name}.{fmt}", mimetype=mimetype, content=content, owner_id=requested_by
        )
        db.session.add(stored)
        db.session.flush()
        return {
            "download": url_for("jobs.download", file_id=stored.id),
            "file": stored.name,
            "bytes": len(content),
            "from": date.isoformat(filters.start),
        }
