"""`flask --app wsgi jobs run-due | worker | list`."""

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale

from . import queue, registry, runner


@click.group()
def jobs() -> None:
    """Scheduled and background jobs."""


@jobs.command("run-due")
@with_appcontext
def run_due() -> None:
    """Run every job that is due once (and every queued or retry-due run), print what each
    did, exit. For cron, tests and the bench."""
    outcomes = runner.run_due()
    for outcome in outcomes:
        click.echo(outcome.line())
    if not outcomes:
        click.echo("nothing due")


@jobs.command("worker")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True)
@with_appcontext
def worker(workers: int) -> None:
    """The long-running worker and scheduler (Huey consumer): runs queued work at once and
    every due job once a minute. Run as many as you like, on any hosts."""
    queue.run_worker(current_app._get_current_object(), workers=workers)


@jobs.command("list")
def list_jobs() -> None:
    """Every registered job and its schedule."""
    with force_locale("en"):
        for job in registry.JOBS.values():
            when = job.schedule.describe() if job.schedule else "on demand"
            click.echo(f"{job.name}\t{when}")
