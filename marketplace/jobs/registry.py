"""The jobs there are: a name, a function, and (for scheduled ones) when it is due.

Adding a job is a decorator in the package that owns the work, plus the module's name in
`marketplace.JOB_MODULES`:

    from ..jobs.registry import job, every, nightly

    @job("unpaid-orders", label=_l("Unpaid online orders"), schedule=every(minutes=5))
    def expire_unpaid_orders(run):
        ...
        return {"expired": 3}          # the result shown on /admin/jobs (JSON)

The function gets a `RunContext` (`run.progress(done, total)`) and the run's parameters as
keyword arguments; it flushes (and may `transaction.commit()` between items when each item
stands alone); the runner commits at the end. It must be idempotent: a failed run is tried
again with backoff.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext

from ..clock import to_local


@dataclass(frozen=True)
class Every:
    """Due once in every period of `minutes`, aligned to the hour."""

    minutes: int

    def period_key(self, now: datetime) -> str:
        start = now.replace(second=0, microsecond=0)
        start -= timedelta(minutes=(start.hour * 60 + start.minute) % self.minutes)
        return start.strftime("%Y-%m-%dT%H:%M")

    def describe(self) -> str:
        return gettext("every %(minutes)s min", minutes=self.minutes)


@dataclass(frozen=True)
class Nightly:
    """Due once a night, from `hour` o'clock Beijing time (the period is named by its date)."""

    hour: int

    def period_key(self, now: datetime) -> str:
        return (to_local(now) - timedelta(hours=self.hour)).date().isoformat()

    def describe(self) -> str:
        time = str(self.hour).zfill(2) + ":00"
        return gettext("nightly at %(time)s", time=time)


def every(minutes: int) -> Every:
    return Every(minutes)


def nightly(hour: int = 2) -> Nightly:
    return Nightly(hour)


@dataclass
class Job:
    name: str
    function: Callable
    label: object
    schedule: Every | Nightly | None = None
    retries: int = 3
    backoff_seconds: int = 60
    # Runs that take long show a progress bar.
    long: bool = False

    def backoff(self, attempts: int) -> timedelta:
        """Wait before the next attempt: doubles each time (60 s, 2 min, 4 min...)."""
        return timedelta(seconds=self.backoff_seconds * 2 ** max(0, attempts - 1))


JOBS: dict[str, Job] = {}


def job(
    name: str,
    *,
    label,
    schedule: Every | Nightly | None = None,
    retries: int = 3,
    backoff_seconds: int = 60,
    long: bool = False,
):
    """Register the decorated function as the job `name` (see the module's docstring)."""

    def register(function):
        JOBS[name] = Job(name, function, label, schedule, retries, backoff_seconds, long)
        return function

    return register


def get(name: str) -> Job | None:
    return JOBS.get(name)


def scheduled() -> list[Job]:
    return [j for j in JOBS.values() if j.schedule is not None]
