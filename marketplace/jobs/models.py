"""One row per run of a job: claimed by INSERT before it runs (UNIQUE job + period key), so a
periodic job runs once per period however many schedulers or workers are up."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Enum, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import db


class RunStatus(StrEnum):
    queued = "queued"  # enqueued, waiting for a worker (or `jobs run-due`)
    running = "running"
    succeeded = "succeeded"
    failed = "failed"  # will be tried again at next_attempt_at
    dead = "dead"  # failed every attempt: stays listed until someone runs it again


class JobRun(db.Model):
    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job", "period_key", name="uq_job_runs_job_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(60), index=True)
    # The period a scheduled run covers ("2026-12-07T10:05"), or the idempotency key of an
    # enqueued one ("sms-parcel-ready-42"), or "manual-..." for "run now".
    period_key: Mapped[str] = mapped_column(String(120))
    status: Mapped[RunStatus] = mapped_column(Enum(RunStatus, native_enum=False, length=20))
    params: Mapped[dict | None] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    duration_ms: Mapped[int | None]
    next_attempt_at: Mapped[datetime | None]
    progress_done: Mapped[int] = mapped_column(default=0)
    progress_total: Mapped[int | None]
    result: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    requested_by_id: Mapped[int | None]

    @property
    def progress_percent(self) -> int | None:
        if not self.progress_total:
            return None
        return min(100, 100 * self.progress_done // self.progress_total)

    @property
    def summary(self) -> dict | None:
        """The result without its long lists (those have pages of their own)."""
        if not isinstance(self.result, dict):
            return self.result
        return {k: v for k, v in self.result.items() if not isinstance(v, list | dict)}

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.succeeded, RunStatus.dead)

    @property
    def is_pending(self) -> bool:
        """Still to run (or to be tried again): its page refreshes itself."""
        return self.status in (RunStatus.queued, RunStatus.running, RunStatus.failed)

    @property
    def is_active(self) -> bool:
        return self.status in (RunStatus.queued, RunStatus.running)

    @property
    def is_ok(self) -> bool:
        return self.status == RunStatus.succeeded

    @property
    def is_failure(self) -> bool:
        return self.status in (RunStatus.failed, RunStatus.dead)


class JobFile(db.Model):
    """A file a job reads (an uploaded import) or writes (an export to download), kept in
    the database so a worker on another host reads what the web server received."""

    __tablename__ = "job_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    mimetype: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    content: Mapped[bytes] = mapped_column(LargeBinary)
    owner_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
