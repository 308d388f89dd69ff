"""The unit of work through real requests: a request commits once when it answers < 400 and
keeps nothing otherwise; a verb that refuses after writing leaves nothing even when its
view catches the refusal and answers 200 or 302; work queued with `on_commit` runs after
the commit and is dropped with whatever rolls back (the request, or one verb's savepoint).

The routes are registered on the test app for these tests; the verbs are real `@verb`s
writing real rows (categories: a table with nothing hanging off it)."""

import pytest
from flask import abort, redirect

from marketplace import transaction
from marketplace.catalog.models import Category
from marketplace.errors import Conflict
from marketplace.extensions import db


def _add(code: str) -> Category:
    category = Category(code=code, name_zh=code, name_en=code)
    db.session.add(category)
    db.session.flush()
    return category


def _codes() -> list[str]:
    db.session.expire_all()
    return sorted(db.session.scalars(db.select(Category.code)))


def _committed_codes() -> list[str]:
    """What another connection sees: only what has been committed."""
    with db.engine.connect() as connection:
        return sorted(connection.scalars(db.select(Category.code)))


@transaction.verb
def add_then_refuse(code: str, ran: list | None = None) -> None:
    _add(code)
    if ran is not None:
        transaction.on_commit(lambda: ran.append(f"{code} after commit"))
    raise Conflict("refused after writing")


@transaction.verb
def add_and_queue(code: str, ran: list) -> Category:
    category = _add(code)
    transaction.on_commit(lambda: ran.append((code, _committed_codes())))
    return category


@pytest.fixture
def ran():
    return []


@pytest.fixture
def routes(app, ran):
    """Test views written like the app's: load, call a verb, catch its refusal, answer."""

    def refused_then_page():
        _add("before")  # what the view did before the verb is kept
        try:
            add_then_refuse("inside")
        except Conflict:
            return "refused, shown on the page", 200
        return "not refused", 200

    def refused_then_redirect():
        try:
            add_then_refuse("inside")
        except Conflict:
            return redirect("/")
        return "not refused", 200

    def queued():
        add_and_queue("kept", ran)
        ran.append("view done")
        return "ok", 200

    def queued_then_refused():
        add_and_queue("kept", ran)
        try:
            add_then_refuse("inside", ran)
        except Conflict:
            return "refused, shown on the page", 200
        return "not refused", 200

    def queued_then_status(status: int):
        add_and_queue("kept", ran)
        return "no", status

    def queued_then_abort():
        add_and_queue("kept", ran)
        abort(403)

    def queued_then_uncaught_refusal():
        add_and_queue("kept", ran)
        add_then_refuse("inside")

    def after_commit_answer():
        add_and_queue("kept", ran)

        def respond():
            # The request's work is committed before the answer is built.
            seen = _committed_codes()
            _add("by-respond")
            return f"saw {seen}", 201

        return transaction.after_commit(respond)

    def after_commit_rolled_back():
        def respond():
            # As open_session does when Stripe is unreachable: what respond queued before
            # it rolled back must not run at the commit that follows.
            add_and_queue("dropped", ran)
            transaction.rollback()
            add_and_queue("kept", ran)
            return "ok", 200

        return transaction.after_commit(respond)

    for view in (
        refused_then_page,
        refused_then_redirect,
        queued,
        queued_then_refused,
        queued_then_abort,
        queued_then_uncaught_refusal,
        after_commit_answer,
        after_commit_rolled_back,
    ):
        app.add_url_rule(f"/_test/{view.__name__}", view_func=view, methods=["POST"])
    app.add_url_rule("/_test/status/<int:status>", view_func=queued_then_status, methods=["POST"])


def test_a_verb_refusing_after_writing_leaves_nothing_though_the_page_answers_200(client, routes):
    response = client.post("/_test/refused_then_page")

    assert response.status_code == 200
    # The request committed (what the view did before the verb is there), the verb's row not.
    assert _codes() == ["before"]


def test_a_verb_refusing_after_writing_leaves_nothing_though_the_view_redirects(client, routes):
    response = client.post("/_test/refused_then_redirect")

    assert response.status_code == 302
    assert _codes() == []


def test_on_commit_work_runs_after_the_commit(client, routes, ran):
    assert client.post("/_test/queued").status_code == 200

    # Queued by the verb, it ran once the view had answered, and saw the committed row.
    assert ran == ["view done", ("kept", ["kept"])]
    assert _codes() == ["kept"]


def test_work_queued_inside_a_refusing_verb_is_dropped_with_its_savepoint(client, routes, ran):
    assert client.post("/_test/queued_then_refused").status_code == 200

    # The first verb's work runs; the refusing verb's row and queued work are gone.
    assert ran == [("kept", ["kept"])]
    assert _codes() == ["kept"]


@pytest.mark.parametrize("status", [400, 404, 409, 500])
def test_an_answer_of_400_or_more_keeps_nothing_and_drops_queued_work(client, routes, ran, status):
    assert client.post(f"/_test/status/{status}").status_code == status

    assert ran == []
    assert _codes() == []


def test_an_error_page_keeps_nothing_and_drops_queued_work(client, routes, ran):
    assert client.post("/_test/queued_then_abort").status_code == 403

    assert ran == []
    assert _codes() == []


def test_an_uncaught_refusal_keeps_nothing_and_drops_queued_work(client, routes, ran):
    assert client.post("/_test/queued_then_uncaught_refusal").status_code == 409

    assert ran == []
    assert _codes() == []


def test_an_after_commit_answer_is_built_once_the_work_is_committed(client, routes, ran):
    response = client.post("/_test/after_commit_answer")

    assert (response.status_code, response.get_data(as_text=True)) == (201, "saw ['kept']")
    # What `respond` wrote is committed too.
    assert _committed_codes() == ["by-respond", "kept"]


def test_work_queued_before_a_rollback_is_not_run_by_the_next_commit(client, routes, ran):
    assert client.post("/_test/after_commit_rolled_back").status_code == 200

    assert ran == [("kept", ["kept"])]
    assert _codes() == ["kept"]


@pytest.mark.parametrize(
    "roll_back",
    [transaction.rollback, lambda: db.session.rollback()],
    ids=["transaction.rollback", "session.rollback"],
)
def test_a_rollback_outside_a_request_drops_queued_work_too(app, ran, roll_back):
    # A command (or anything that rolls the session back directly) forgets the queue.
    add_and_queue("dropped", ran)
    roll_back()
    add_and_queue("kept", ran)
    transaction.commit()

    assert ran == [("kept", ["kept"])]


def test_work_queued_by_after_commit_work_survives_a_later_callback_failing(app, ran):
    # The first callback writes and queues more work; the second fails and rolls back.
    # The first one's follow-up was committed with it, so it must still run.
    def first():
        add_and_queue("follow-up", ran)

    def failing():
        _add("never kept")
        raise RuntimeError("the payment service is down")

    transaction.on_commit(first)
    transaction.on_commit(failing)
    transaction.commit()

    assert ran == [("follow-up", ["follow-up"])]
    assert _committed_codes() == ["follow-up"]
