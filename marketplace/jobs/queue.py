"""The task queue under the jobs: Huey.

Huey carries run ids from the process that enqueued them to the workers, and its scheduler
ticks once a minute (`run_due`); which run happens, and only once, is decided by the
`job_runs` table (see runner). Production: RedisHuey on REDIS_URL, any number of
`flask jobs worker` processes on any hosts. Development without Redis: SqliteHuey in a file
under instance/. Tests: nothing is pushed ("none"); `run_due` runs what is queued.
"""

import logging
import os

from flask import Flask
from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab

from . import runner

log = logging.getLogger(__name__)


def backend(app: Flask) -> str:
    chosen = app.config.get("JOBS_BACKEND", "auto")
    if chosen == "auto":
        if app.testing:
            return "none"
        return "redis" if app.config.get("REDIS_URL") else "sqlite"
    return chosen


def make_huey(app: Flask):
    name = app.config.get("JOBS_QUEUE_NAME", "linxia")
    kind = backend(app)
    if kind == "redis":
        return RedisHuey(name, url=app.config["REDIS_URL"])
    if kind == "sqlite":
        return SqliteHuey(name, filename=os.path.join(app.instance_path, "jobs-queue.db"))
    if kind == "memory":
        return MemoryHuey(name)
    return None


def init_app(app: Flask) -> None:
    """Build the app's Huey and its two tasks; enqueued runs are pushed to it on commit."""
    huey = make_huey(app)
    app.extensions["huey"] = huey
    if huey is None:
        runner.set_pusher(None)
        return

    @huey.task(name="run_job")
    def run_job(run_id: int):
        with app.app_context():
            outcome = runner.claim_and_execute(run_id)
            if outcome is not None:
                log.info("%s", outcome.line())

    @huey.periodic_task(crontab(minute="*"), name="tick")
    def tick():
        with app.app_context():
            for outcome in runner.run_due():
                log.info("%s", outcome.line())

    def push(run_id: int) -> None:
        try:
            run_job(run_id)
        except Exception:
            # The queue is down: the row stays queued and the next tick (or run-due) runs it.
            log.exception("could not push run %s to the queue", run_id)

    runner.set_pusher(push)


def run_worker(app: Flask, workers: int = 2) -> None:
    """The long-running worker: runs pushed runs and ticks the scheduler (blocks)."""
    huey = app.extensions.get("huey")
    if huey is None:
        raise RuntimeError("JOBS_BACKEND is 'none': nothing to consume (use `jobs run-due`)")
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=True)
    consumer.run()
