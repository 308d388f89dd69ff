"""The unit of work: one commit per request or command, a savepoint around each verb, and
work that waits for the commit.

Indico's `RH.process` is the model: handlers only flush; the web layer commits once when
the response is a success and rolls back otherwise (`web.py`). A verb runs inside
`atomic()`, so a verb that refuses (raises) leaves nothing in the session, and the view
that caught the refusal may still commit what came before it.

Calls to outside services (Stripe) must never run while this transaction holds a row lock,
so verbs queue them with `on_commit`: they run after the commit, each in a transaction of
its own. A rollback drops the queue: nothing is sent for work that was not kept.
"""

import functools
import logging
from collections.abc import Callable
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.orm import Session

from .extensions import db

log = logging.getLogger(__name__)
_QUEUE = "on_commit"


def hold_write_lock() -> None:
    """On SQLite, start the transaction as a writer (BEGIN IMMEDIATE) unless it already is one.

    SQLite has a single writer. A transaction that has read and then wants to write is
    refused at once ("database is locked") when another writer is busy, instead of
    waiting, so a verb takes the write lock first and waits its turn (busy timeout).
    It also makes the verb's savepoint a nested one: pysqlite emits no BEGIN before a
    SAVEPOINT, and releasing an outermost savepoint would commit on its own.
    PostgreSQL needs none of this (row locks).
    """
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return
    if not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def atomic():
    """Run a verb in a savepoint: on any exception, what it wrote (and queued) is undone."""
    hold_write_lock()
    queue = db.session.info.setdefault(_QUEUE, [])
    queued_before = len(queue)
    try:
        with db.session.begin_nested():
            yield
    except BaseException:
        del queue[queued_before:]
        raise


def verb(function):
    """Decorate a state-changing service: it runs in `atomic()`, all or nothing."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        with atomic():
            return function(*args, **kwargs)

    return run


def on_commit(callback: Callable[[], object]) -> None:
    """Run `callback` once the current transaction has committed (dropped on rollback)."""
    db.session.info.setdefault(_QUEUE, []).append(callback)


def commit() -> None:
    """Commit, then run what waited for the commit, each callback committed on its own.

    A callback that fails is rolled back and logged; the others still run. Callbacks
    leave what they could not finish in a state that can be retried (e.g. a pending
    refund with its idempotency key).
    """
    db.session.commit()
    waiting = db.session.info.pop(_QUEUE, [])
    while waiting:
        callback = waiting.pop(0)
        try:
            callback()
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("after-commit work %r failed", callback)
            continue
        # What the callback queued is committed now: take it out of the session, so that
        # a later callback's rollback cannot drop it.
        waiting.extend(db.session.info.pop(_QUEUE, []))


class AfterCommit:
    """A view's answer that needs the request's work committed first: the view returns
    `after_commit(respond)`; the request commits, `respond()` runs (it may call Stripe, no
    lock being held), what it did is committed too, and its return value is the response.
    An outcome that must be kept (an order cancelled because Stripe was unreachable) is
    returned by `respond` as a response, never raised."""

    def __init__(self, respond: Callable[[], object]):
        self.respond = respond


def after_commit(respond: Callable[[], object]) -> AfterCommit:
    """Answer the request with `respond()`, run once the request's work is committed."""
    return AfterCommit(respond)


def rollback() -> None:
    """Roll back the transaction and forget the work queued for its commit."""
    db.session.info.pop(_QUEUE, None)
    db.session.rollback()


@event.listens_for(Session, "after_rollback")
def _forget_queued_work(session: Session) -> None:
    # Also fired when a savepoint rolls back; atomic() drops what was queued inside it.
    if not session.in_nested_transaction():
        session.info.pop(_QUEUE, None)
