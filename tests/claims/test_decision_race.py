"""The same decision sent twice at the same moment (a double tap, or two managers): each
in its own thread, session and connection. Exactly one refund, one reversal; the other is
refused. On PostgreSQL the sale's row locks and the claim's conditional UPDATE decide; on
SQLite the second writer waits for the first (BEGIN IMMEDIATE)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from marketplace.accounts.models import User
from marketplace.claims import services
from marketplace.claims.models import Claim, ClaimStatus
from marketplace.errors import Conflict
from marketplace.extensions import db
from marketplace.households.models import IncomeEntry, IncomeKind
from marketplace.payments.models import Refund
from tests.conftest import make_test_config


@pytest.fixture
def app_config(database_url, upload_dir, _migrated):
    engine = {"pool_pre_ping": True, "pool_size": 4, "max_overflow": 0}
    if database_url.startswith("sqlite"):
        engine["connect_args"] = {"timeout": 60}
    return make_test_config(database_url, upload_dir, SQLALCHEMY_ENGINE_OPTIONS=engine)


@pytest.mark.parametrize("payment", ["cash", "stripe"])
def test_a_decision_sent_twice_at_once_refunds_once(
    app, delivered, buyer, manager, payment, monkeypatch
):
    # A Stripe refund is sent after the commit; here it never leaves (no stand-in needed).
    monkeypatch.setattr("marketplace.payments.refunds.send_after_commit", lambda *a, **k: None)
    fulfilment = delivered(quantity=4, price_fen=3333, payment=payment)
    line_id = fulfilment.lines[0].id
    claim = services.open_claim(fulfilment, buyer, [(line_id, 2)], "spoiled", "", "refund")
    db.session.commit()
    claim_id, manager_id, fulfilment_id = claim.id, manager.id, fulfilment.id
    db.session.close()
    start = threading.Barrier(2)

    def send():
        with app.test_request_context():
            try:
                by = db.session.get(User, manager_id)
                found = db.session.get(Claim, claim_id)
                start.wait(timeout=30)
                services.decide(found, "accept", by)
                db.session.commit()
                return "accepted"
            except Conflict:
                db.session.rollback()
                return "refused"
            except Exception as exc:  # anything else fails the test, with its reason
                db.session.rollback()
                return f"error: {exc!r}"
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(r.result(timeout=120) for r in [pool.submit(send), pool.submit(send)])

    assert outcomes == ["accepted", "refused"]
    refunds = db.session.scalars(db.select(Refund).where(Refund.fulfilment_id == fulfilment_id))
    assert [r.amount_fen for r in refunds] == [6666]
    assert db.session.get(Claim, claim_id).status == ClaimStatus.accepted
    if payment == "cash":
        reversals = db.session.scalars(
            db.select(IncomeEntry).where(
                IncomeEntry.fulfilment_id == fulfilment_id,
                IncomeEntry.kind == IncomeKind.reversal,
            )
        ).all()
        share = db.session.get(Claim, claim_id).cooperative.producer_share_bp
        assert -sum(r.amount_fen for r in reversals) == 6666 * share // 10000
