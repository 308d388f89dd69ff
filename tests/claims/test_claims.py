"""Claims on delivered fulfilments: the window, one open claim at a time, decisions and
the money they move (refund through the sale's payment, income reversed to the fen)."""

from datetime import timedelta

import pytest

from marketplace import transaction
from marketplace.claims import rules, services
from marketplace.claims.models import Claim, ClaimStatus
from marketplace.clock import utcnow
from marketplace.errors import DomainError, Forbidden, NotFound
from marketplace.extensions import db
from marketplace.households.income import distributable_fen
from marketplace.households.models import IncomeEntry, IncomeKind
from marketplace.logistics.models import CashKind, CashMovement
from marketplace.money import split_largest_remainder
from marketplace.payments.models import Refund, RefundStatus
from marketplace.status import events_for


def _open(fulfilment, buyer, units=1, reason="damaged", remedy="refund", now=None):
    line = fulfilment.lines[0]
    claim = services.open_claim(
        fulfilment, buyer, [(line.id, units)], reason, "压坏了一袋", remedy, now=now
    )
    db.session.commit()
    return claim


def _income(fulfilment, kind):
    return db.session.scalars(
        db.select(IncomeEntry)
        .where(IncomeEntry.fulfilment_id == fulfilment.id, IncomeEntry.kind == kind)
        .order_by(IncomeEntry.id)
    ).all()


def test_an_accepted_claim_refunds_the_units_and_reverses_the_producers_share(
    delivered, buyer, manager
):
    fulfilment = delivered(quantity=4, price_fen=3333)
    sales = _income(fulfilment, IncomeKind.sale)
    assert sales, "income was recognised at hand-over"
    claim = _open(fulfilment, buyer, units=1)
    assert claim.status == ClaimStatus.open
    assert rules.refundable_for_claim(claim) == 3333

    services.decide(claim, "accept", manager, note="")
    transaction.commit()

    claim = db.session.get(Claim, claim.id)
    assert claim.status == ClaimStatus.accepted
    assert claim.refund_fen == 3333
    refund = db.session.get(Refund, claim.refund_id)
    assert (refund.amount_fen, refund.status) == (3333, RefundStatus.succeeded)
    till = db.session.scalars(
        db.select(CashMovement).where(CashMovement.kind == CashKind.refunded)
    ).all()
    assert [(m.amount_fen, m.station_id) for m in till] == [
        (3333, fulfilment.order.pickup_station_id)
    ]
    share = fulfilment.cooperative.producer_share_bp
    expected = distributable_fen(3333, share)
    reversals = _income(fulfilment, IncomeKind.reversal)
    assert -sum(r.amount_fen for r in reversals) == expected
    standing = [s.amount_fen for s in sales]
    assert sorted(-r.amount_fen for r in reversals) == sorted(
        p for p in split_largest_remainder(expected, standing) if p
    )
    assert claim.decided_by_id == manager.id and claim.decided_at is not None
    assert [e.to_status for e in events_for("claim", claim.id)] == ["open", "accepted"]


def test_a_claim_after_the_window_is_refused(delivered, buyer, app):
    fulfilment = delivered(at=utcnow() - timedelta(days=8))
    with pytest.raises(services.ClaimRefused) as refused:
        _open(fulfilment, buyer)
    assert refused.value.code == "claim_window_closed"


def test_perishable_goods_have_a_shorter_window(delivered, buyer):
    fulfilment = delivered(at=utcnow() - timedelta(days=3), perishable=True)
    with pytest.raises(services.ClaimRefused) as refused:
        _open(fulfilment, buyer)
    assert refused.value.code == "claim_window_closed"


def test_a_claim_before_delivery_is_refused(delivered, buyer):
    fulfilment = delivered(until="ready")
    with pytest.raises(services.ClaimRefused) as refused:
        _open(fulfilment, buyer)
    assert refused.value.code == "not_delivered"


def test_a_second_open_claim_is_refused(delivered, buyer):
    fulfilment = delivered()
    _open(fulfilment, buyer)
    with pytest.raises(services.ClaimRefused) as refused:
        _open(fulfilment, buyer)
    assert refused.value.code == "claim_open"


def test_a_refund_above_what_is_refundable_is_refused(delivered, buyer, manager):
    fulfilment = delivered(quantity=4, price_fen=3333)
    claim = _open(fulfilment, buyer, units=2)
    with pytest.raises(DomainError, match="¥66.66"):
        services.decide(claim, "accept", manager, refund_fen=6667)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Refund.id))) == 0
    assert db.session.get(Claim, claim.id).status == ClaimStatus.open


def test_an_offer_accepted_by_the_buyer_is_refunded(delivered, buyer, manager):
    fulfilment = delivered()
    claim = _open(fulfilment, buyer, units=2)
    services.decide(claim, "partial", manager, refund_fen=2000, note="只坏了一点")
    transaction.commit()
    assert db.session.get(Claim, claim.id).status == ClaimStatus.offered
    services.accept_offer(db.session.get(Claim, claim.id), buyer)
    transaction.commit()
    claim = db.session.get(Claim, claim.id)
    assert (claim.status, claim.refund_fen) == (ClaimStatus.accepted, 2000)


def test_a_rejection_disputed_goes_to_the_administrators(delivered, buyer, manager, admin):
    fulfilment = delivered()
    claim = _open(fulfilment, buyer)
    with pytest.raises(DomainError):
        services.decide(claim, "reject", manager, note="")
    db.session.rollback()
    services.decide(db.session.get(Claim, claim.id), "reject", manager, note="照片看不出问题")
    transaction.commit()
    services.dispute(db.session.get(Claim, claim.id), buyer, "确实坏了")
    transaction.commit()
    claim = db.session.get(Claim, claim.id)
    assert claim.status == ClaimStatus.disputed
    with pytest.raises(Forbidden):
        services.decide(claim, "accept", manager)
    db.session.rollback()
    services.decide(
        db.session.get(Claim, claim.id), "partial", admin, refund_fen=1000, note="各让一步"
    )
    transaction.commit()
    claim = db.session.get(Claim, claim.id)
    assert (claim.status, claim.refund_fen, claim.decided_by_id) == (
        ClaimStatus.accepted,
        1000,
        admin.id,
    )


def test_an_unanswered_claim_escalates_through_the_command(app, delivered, buyer, runner):
    fulfilment = delivered()
    claim = _open(fulfilment, buyer)
    app.config["CLAIM_ANSWER_HOURS"] = 48
    assert runner.invoke(args=["claims", "escalate-due"]).output.startswith("0 claim")
    app.config["CLAIM_ANSWER_HOURS"] = 0
    result = runner.invoke(args=["claims", "escalate-due"])
    assert result.output.startswith("1 claim"), result.output
    db.session.expire_all()
    assert db.session.get(Claim, claim.id).status == ClaimStatus.escalated
    assert services.escalate_due_claims() == 0


def test_another_buyer_can_neither_see_nor_open_a_claim(delivered, buyer, create_user):
    fulfilment = delivered()
    claim = _open(fulfilment, buyer)
    other = create_user(email="other@example.com")
    with pytest.raises(NotFound):
        services.visible_claim(other, claim.id)
    with pytest.raises(NotFound):
        services.open_claim(
            fulfilment, other, [(fulfilment.lines[0].id, 1)], "damaged", "", "refund"
        )


def test_a_resend_is_a_free_fulfilment_of_the_same_lines(delivered, buyer, manager):
    fulfilment = delivered(quantity=2)
    claim = _open(fulfilment, buyer, units=1, reason="missing", remedy="resend")
    services.decide(claim, "accept", manager)
    transaction.commit()
    claim = db.session.get(Claim, claim.id)
    resent = claim.resend_fulfilment
    assert resent is not None and resent.id != fulfilment.id
    assert [(line.quantity, line.line_fen) for line in resent.lines] == [(1, 0)]
    assert resent.parcel is not None
    assert resent.lines[0].allocations


def test_an_escalated_claim_is_decided_by_an_administrator_for_good(
    app, delivered, buyer, manager, admin
):
    fulfilment = delivered()
    claim = _open(fulfilment, buyer)
    app.config["CLAIM_ANSWER_HOURS"] = 0
    assert services.escalate_due_claims() == 1
    transaction.commit()
    claim = db.session.get(Claim, claim.id)
    assert claim.status == ClaimStatus.escalated
    with pytest.raises(Forbidden):
        services.decide(claim, "accept", manager)
    db.session.rollback()
    services.decide(db.session.get(Claim, claim.id), "reject", admin, note="照片与商品不符")
    transaction.commit()
    claim = db.session.get(Claim, claim.id)
    assert (claim.status, claim.decided_by_id) == (ClaimStatus.closed, admin.id)
    assert claim.active_fulfilment_id is None
    last = claim.messages[-1]
    assert (last.author_id, last.author_role, last.body) == (admin.id, "admin", "照片与商品不符")
    with pytest.raises(services.Conflict):
        services.dispute(claim, buyer, "不服")


def test_a_manager_of_another_cooperative_cannot_see_the_claim(
    delivered, buyer, create_user, create_cooperative
):
    fulfilment = delivered()
    claim = _open(fulfilment, buyer)
    stranger = create_user(email="stranger@example.com", roles=["cooperative_manager"])
    create_cooperative(managers=[stranger])
    with pytest.raises(NotFound):
        services.decide(claim, "accept", stranger)


def test_claim_settings_come_from_the_environment(monkeypatch, tmp_path):
    from marketplace.config import load_config

    monkeypatch.setenv("CLAIM_ANSWER_HOURS", "0")
    monkeypatch.setenv("CLAIM_DAYS", "0")
    config = load_config(str(tmp_path))
    assert (config["CLAIM_ANSWER_HOURS"], config["CLAIM_DAYS"]) == (0, 0)
    assert config["CLAIM_PERISHABLE_DAYS"] == 2


def test_an_unanswered_claim_escalates_when_the_jobs_run(app, delivered, buyer, runner):
    fulfilment = delivered()
    claim = _open(fulfilment, buyer)
    app.config["CLAIM_ANSWER_HOURS"] = 0
    result = runner.invoke(args=["jobs", "run-due"])
    assert result.exit_code == 0, result.output
    assert "claims-escalation" in result.output, result.output
    db.session.expire_all()
    assert db.session.get(Claim, claim.id).status == ClaimStatus.escalated
