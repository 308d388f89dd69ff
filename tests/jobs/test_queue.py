"""Huey carries enqueued runs to the workers once the enqueuing transaction commits; its
periodic `tick` runs what is due. (Memory backend here; Redis or SQLite in production.)"""

from datetime import datetime

import pytest

from marketplace import transaction
from marketplace.extensions import db
from marketplace.jobs import queue, runner
from marketplace.jobs.models import JobRun, RunStatus


@pytest.fixture
def app_config(app_config):
    return {**app_config, "JOBS_BACKEND": "memory"}


def _drain(huey) -> int:
    ran = 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        ran += 1
    return ran


def test_a_run_is_pushed_on_commit_and_executed_by_the_worker(app):
    huey = app.extensions["huey"]
    runner.enqueue("reconcile", "pushed-1")
    assert huey.pending_count() == 0  # nothing leaves before the commit
    transaction.commit()
    assert huey.pending_count() == 1
    # The same run pushed twice (a retry of the push, two workers) still runs once.
    run_id = db.session.scalar(db.select(JobRun.id))
    runner._push(run_id)
    assert _drain(huey) == 2
    db.session.expire_all()
    run = db.session.get(JobRun, run_id)
    assert run.status == RunStatus.succeeded and run.attempts == 1


def test_a_rolled_back_enqueue_pushes_nothing(app):
    huey = app.extensions["huey"]
    runner.enqueue("reconcile", "dropped")
    transaction.rollback()
    assert huey.pending_count() == 0
    assert db.session.scalar(db.select(db.func.count(JobRun.id))) == 0


def test_the_tick_runs_the_scheduled_jobs_once_a_period(app):
    huey = app.extensions["huey"]
    [tick] = huey.read_periodic(datetime.now())  # what the consumer's scheduler enqueues
    huey.execute(tick)
    huey.execute(tick)  # a second scheduler in the same minute
    names = set(db.session.scalars(db.select(JobRun.job)))
    assert {"unpaid-orders", "uncollected-parcels", "reconcile"} <= names
    for name in names:
        count = db.session.scalar(db.select(db.func.count(JobRun.id)).where(JobRun.job == name))
        assert count == 1, name


def test_the_worker_is_a_huey_consumer(app):
    consumer = app.extensions["huey"].create_consumer(
        workers=1, worker_type="thread", periodic=True
    )
    assert consumer.periodic and consumer.workers == 1
    assert queue.backend(app) == "memory"
