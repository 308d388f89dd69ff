"""The registry import as a job: the upload is kept (a `JobFile`), a worker checks every row
(the run's progress bar moves as it goes), then writes all rows in one transaction or none
(`registry_import.import_households`, the same all-or-nothing verb the page uses)."""

from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

from .. import transaction
from ..errors import DomainError
from ..extensions import db
from ..jobs import runner
from ..jobs.models import JobFile
from ..jobs.registry import job
from . import registry_import


def enqueue_import(filename: str, data: bytes, by, locale: str) -> int:
    """Keep the upload and queue its import (after the commit); the run's id."""
    upload = JobFile(name=filename[:200], content=data, owner_id=by.id)
    db.session.add(upload)
    db.session.flush()
    run = runner.enqueue(
        "registry-import",
        f"registry-import-{upload.id}",
        params={"file_id": upload.id, "locale": locale},
        by=by,
    )
    return run.id


def _counting(rows, run, total):
    for done, row in enumerate(rows, 1):
        if done % 200 == 0:
            run.progress(done, total)
        yield row


@job("registry-import", label=_l("Household registry import"), retries=0, long=True)
def registry_import_job(run, file_id: int, locale: str = "zh") -> dict:
    upload = db.session.get(JobFile, file_id)
    if upload is None:
        return {"errors": ["the uploaded file is gone"]}
    name, data = upload.name, upload.content
    with force_locale(locale):
        try:
            rows = registry_import.read_rows(name, data)
        except DomainError as exc:
            return {"errors": [str(exc.message)]}
        total = 2 * len(rows)  # checked, then written
        run.progress(0, total, force=True)
        _, errors = registry_import.check_rows(_counting(rows, run, total))
        transaction.commit()  # end the reads: the verb below takes the write lock
        if errors:
            lines = sorted(errors, key=lambda e: e.line)
            return {
                "errors": [
                    gettext("Line %(line)s: %(reason)s", line=e.line, reason=str(e.reason))
                    for e in lines
                ]
            }
        run.progress(len(rows), total, force=True)
        try:
            result = registry_import.import_households(name, data)
        except registry_import.ImportRejected as exc:  # changed meanwhile
            return {
                "errors": [
                    gettext("Line %(line)s: %(reason)s", line=e.line, reason=str(e.reason))
                    for e in exc.errors
                ]
            }
        db.session.delete(db.session.get(JobFile, file_id))
        message = gettext(
            "Import done: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.",
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
        )
    return {
        "message": message,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }
