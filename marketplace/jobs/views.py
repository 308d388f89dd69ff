"""/admin/jobs: every job, its schedule and last run, "run now"; a run's status page (a
<progress> bar that refreshes itself without JavaScript; static/js/job-progress.js polls
the JSON instead when scripts run)."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..accounts.permissions import admin_required
from ..extensions import db
from . import registry, runner
from .models import JobRun

bp = Blueprint("jobs", __name__)

RECONCILE = "reconcile"
STATUS_LABELS = {
    "queued": _l("Queued"),
    "running": _l("Running"),
    "succeeded": _l("Succeeded"),
    "failed": _l("Failed, will retry"),
    "dead": _l("Failed"),
}


@bp.context_processor
def inject_labels():
    return {"status_labels": STATUS_LABELS}


@bp.get("/admin/jobs")
@admin_required
def index():
    last = runner.last_runs()
    rows = [
        {
            "job": job,
            "last": last.get(job.name),
            "failures": runner.failures(job.name),
        }
        for job in registry.JOBS.values()
    ]
    recent = db.session.scalars(db.select(JobRun).order_by(JobRun.id.desc()).limit(20)).all()
    reconcile = last.get(RECONCILE)
    mismatches = (reconcile.result or {}).get("mismatches", []) if reconcile else []
    busy = any(r.is_active for r in recent)
    return render_template(
        "jobs/index.html",
        rows=rows,
        recent=recent,
        reconcile=reconcile,
        mismatches=mismatches,
        busy=busy,
    )


@bp.post("/admin/jobs/<name>/run")
@admin_required
def run_now(name):
    job = registry.get(name)
    if job is None or job.schedule is None:
        abort(404)  # work that needs its input (an upload, a message) is queued by its page
    run = runner.run_now(name, by=current_user)
    flash(_l("The job is queued; this page shows when it has run."), "success")
    return redirect(url_for("jobs.index", _anchor=f"run-{run.id}"))


def _visible_run(run_id: int) -> JobRun:
    run = db.session.get(JobRun, run_id)
    if run is None:
        abort(404)
    if not (current_user.is_admin or run.requested_by_id == current_user.id):
        abort(404)
    return run


@bp.get("/jobs/runs/<int:run_id>")
@login_required
def run_status(run_id):
    run = _visible_run(run_id)
    job = registry.get(run.job)
    return render_template("jobs/run.html", run=run, job=job)


@bp.get("/jobs/runs/<int:run_id>.json")
@login_required
def run_status_json(run_id):
    run = _visible_run(run_id)
    return jsonify(
        id=run.id,
        job=run.job,
        status=str(run.status),
        finished=run.is_finished or run.status == "failed",
        progress_done=run.progress_done,
        progress_total=run.progress_total,
        percent=run.progress_percent,
    )


@bp.get("/jobs/files/<int:file_id>")
@login_required
def download(file_id):
    """A file a job wrote (an export), for the person who asked for it or an administrator."""
    from flask import Response

    from .models import JobFile

    found = db.session.get(JobFile, file_id)
    if found is None or not (current_user.is_admin or found.owner_id == current_user.id):
        abort(404)
    return Response(
        found.content,
        mimetype=found.mimetype,
        headers={"Content-Disposition": f"attachment; filename={found.name}"},
    )
