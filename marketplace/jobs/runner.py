"""Running jobs: claim a run (a `job_runs` row), run it, record what happened.

A scheduled job's run is claimed by INSERTing (job, period key) before it runs: that row is
UNIQUE, so of two schedulers (or two `jobs run-due`) only one wins; the other skips. Work
enqueued for later (an SMS, an import) is a row written in the caller's transaction
(`enqueue`), pushed to the queue only once that transaction commits; a worker (or `run-due`)
claims it with a conditional UPDATE, so it runs once however often it was pushed. A run
that fails is tried again after a backoff that doubles, up to the job's retries, and then
stays listed as dead until someone runs it again.
"""

import logging
import time
import traceback
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from .. import transaction
from ..clock import utcnow
from ..extensions import db
from . import registry
from .models import JobRun, RunStatus

log = logging.getLogger(__name__)

# A run still "running" this long after it started lost its worker (killed, host gone):
# it counts as failed and is tried again.
STALE_AFTER = timedelta(hours=6)

# What the queue does with a run id once the enqueuing transaction has committed; set by
# `queue.init_app` (nothing: `run-due` finds queued rows itself).
_push = None


def set_pusher(push) -> None:
    global _push
    _push = push


@dataclass
class Outcome:
    job: str
    period_key: str
    status: str
    duration_ms: int | None
    result: object
    error: str | None = None

    def line(self) -> str:
        took = f" in {self.duration_ms} ms" if self.duration_ms is not None else ""
        what = self.error.splitlines()[-1] if self.error else self.result
        return f"{self.job} [{self.period_key}]: {self.status}{took}: {what}"


class RunContext:
    """What a job's function gets: its run id, and a way to report progress."""

    def __init__(self, run_id: int, now: datetime | None = None):
        self.run_id = run_id
        # The moment the run is for: jobs compare their deadlines with it (tests pass a
        # later `now` to `run_due` to let days pass).
        self.now = now or utcnow()
        self._last = 0.0

    def progress(self, done: int, total: int | None = None, *, force: bool = False) -> None:
        """Record how far the run is (written at once on a connection of its own, so the
        page shows it while the run's own transaction is still open; at most twice a second).
        Skipped on SQLite while this run holds the write lock (it would wait for itself)."""
        now = time.monotonic()
        if not force and now - self._last < 0.5:
            return
        self._last = now
        connection = db.session.connection()
        if (
            connection.dialect.name == "sqlite"
            and connection.connection.dbapi_connection.in_transaction
        ):
            return
        try:
            with db.engine.begin() as own:
                own.execute(
                    db.update(JobRun)
                    .where(JobRun.id == self.run_id)
                    .values(progress_done=done, progress_total=total)
                )
        except Exception:  # progress is only shown; it never fails the run
            log.exception("could not record progress of run %s", self.run_id)


# --- enqueueing -----------------------------------------------------------------------


def enqueue(name: str, key: str | None = None, *, params: dict | None = None, by=None) -> JobRun:
    """Queue one run of job `name` in the current transaction; it is pushed to the workers
    once the transaction commits (dropped on rollback). `key` makes it idempotent: a second
    enqueue with the same key returns the first run and queues nothing."""
    if registry.get(name) is None:
        raise KeyError(name)
    key = key or f"once-{uuid.uuid4().hex}"
    existing = db.session.scalars(
        db.select(JobRun).where(JobRun.job == name, JobRun.period_key == key)
    ).first()
    if existing is not None:
        return existing
    run = JobRun(
        job=name,
        period_key=key[:120],
        status=RunStatus.queued,
        params=params or {},
        requested_by_id=getattr(by, "id", None),
        created_at=utcnow(),
    )
    try:
        # atomic(): on SQLite a bare SAVEPOINT outside a transaction would commit on release.
        with transaction.atomic():
            db.session.add(run)
            db.session.flush()
    except IntegrityError:
        # Queued by a concurrent transaction a moment ago: that one is the run.
        return db.session.scalars(
            db.select(JobRun).where(JobRun.job == name, JobRun.period_key == key)
        ).one()
    run_id = run.id
    transaction.on_commit(lambda: _push and _push(run_id))
    return run


def run_now(name: str, by=None) -> JobRun:
    """An extra run of a job, asked for on /admin/jobs ("run now")."""
    return enqueue(name, f"manual-{utcnow():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}", by=by)


# --- claiming -------------------------------------------------------------------------


def _claim_period(job: registry.Job, key: str, now: datetime) -> int | None:
    """INSERT the run of `job` for period `key`; its id, or None if another got there first."""
    transaction.commit()  # end what the caller read: the claim is a transaction of its own
    try:
        with transaction.atomic():
            run = JobRun(
                job=job.name,
                period_key=key,
                status=RunStatus.running,
                params={},
                attempts=1,
                created_at=now,
                started_at=now,
            )
            db.session.add(run)
            db.session.flush()
            run_id = run.id
        transaction.commit()
    except IntegrityError:
        transaction.rollback()
        return None
    return run_id


def claim(run_id: int, now: datetime | None = None) -> bool:
    """Take a queued run, or a failed one whose next attempt is due; True if we won."""
    now = now or utcnow()
    transaction.commit()
    with transaction.atomic():
        won = db.session.execute(
            db.update(JobRun)
            .where(
                JobRun.id == run_id,
                db.or_(
                    JobRun.status == RunStatus.queued,
                    db.and_(JobRun.status == RunStatus.failed, JobRun.next_attempt_at <= now),
                ),
            )
            .values(
                status=RunStatus.running,
                attempts=JobRun.attempts + 1,
                started_at=now,
                finished_at=None,
                error=None,
                progress_done=0,
                progress_total=None,
            )
            .execution_options(synchronize_session=False)
        ).rowcount
    transaction.commit()
    return won == 1


# --- running --------------------------------------------------------------------------


def _jsonable(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return str(value)


def execute(run_id: int, now: datetime | None = None) -> Outcome:
    """Run a claimed run's job and record its end (success, or failure and next attempt)."""
    run = db.session.get(JobRun, run_id)
    job = registry.get(run.job)
    key, params, attempts = run.period_key, dict(run.params or {}), run.attempts
    started = time.monotonic()
    try:
        if job is None:
            raise LookupError(f"no job named {run.job!r} is registered")
        result = job.function(RunContext(run_id, now), **params)
        db.session.flush()
    except Exception as exc:
        transaction.rollback()
        took = int((time.monotonic() - started) * 1000)
        error = "".join(traceback.format_exception_only(exc)).strip()
        log.exception("job %s [%s] failed (attempt %s)", run.job if job else "?", key, attempts)
        run = db.session.get(JobRun, run_id)
        now = utcnow()
        retries = job.retries if job else 0
        run.status = RunStatus.failed if attempts <= retries else RunStatus.dead
        run.next_attempt_at = now + job.backoff(attempts) if job else None
        run.finished_at, run.duration_ms, run.error = now, took, error[:4000]
        transaction.commit()
        return Outcome(run.job, key, run.status, took, None, error)
    took = int((time.monotonic() - started) * 1000)
    run = db.session.get(JobRun, run_id)
    run.status, run.finished_at, run.duration_ms = RunStatus.succeeded, utcnow(), took
    run.result = _jsonable(result)
    run.next_attempt_at = None
    if run.progress_total:
        run.progress_done = run.progress_total
    transaction.commit()
    return Outcome(job.name, key, run.status, took, run.result)


def claim_and_execute(run_id: int) -> Outcome | None:
    """What a worker does with a pushed run id: run it unless another worker has."""
    if not claim(run_id):
        return None
    return execute(run_id)


def run_due(now: datetime | None = None) -> list[Outcome]:
    """Run once every scheduled job whose period has no run yet, every queued run and every
    failed run whose next attempt is due. What another process claimed is skipped."""
    now = now or utcnow()
    outcomes = []
    for job in registry.scheduled():
        run_id = _claim_period(job, job.schedule.period_key(now), now)
        if run_id is not None:
            outcomes.append(execute(run_id, now))
    with transaction.atomic():
        db.session.execute(
            db.update(JobRun)
            .where(JobRun.status == RunStatus.running, JobRun.started_at < now - STALE_AFTER)
            .values(status=RunStatus.failed, next_attempt_at=now, error="the worker stopped")
            .execution_options(synchronize_session=False)
        )
    transaction.commit()
    waiting = db.session.scalars(
        db.select(JobRun.id)
        .where(
            db.or_(
                JobRun.status == RunStatus.queued,
                db.and_(JobRun.status == RunStatus.failed, JobRun.next_attempt_at <= now),
            )
        )
        .order_by(JobRun.id)
    ).all()
    transaction.commit()
    for run_id in waiting:
        if claim(run_id, now):
            outcomes.append(execute(run_id, now))
    return outcomes


def last_runs() -> dict[str, JobRun]:
    """Each job's most recent run."""
    latest = (
        db.select(JobRun.job, db.func.max(JobRun.id).label("id")).group_by(JobRun.job).subquery()
    )
    runs = db.session.scalars(db.select(JobRun).join(latest, latest.c.id == JobRun.id)).all()
    return {run.job: run for run in runs}


def failures(name: str) -> int:
    """How many runs of the job are failed (waiting to retry) or dead."""
    return int(
        db.session.scalar(
            db.select(db.func.count(JobRun.id)).where(
                JobRun.job == name, JobRun.status.in_([RunStatus.failed, RunStatus.dead])
            )
        )
    )
