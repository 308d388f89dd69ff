"""A claim on an order paid online is refunded through Stripe (the stand-in), with the
sale's idempotency key, and the households' income is reversed once Stripe confirms it;
when Stripe cannot be reached the refund stays pending for `payments send-refunds`."""

import socket

import pytest

from marketplace import transaction
from marketplace.claims import services
from marketplace.claims.models import Claim
from marketplace.extensions import db
from marketplace.households.models import IncomeEntry, IncomeKind
from marketplace.payments.models import Payment, PaymentProvider, Refund, RefundStatus
from marketplace.payments.sending import send_pending_refunds
from tests.payments import conftest as payments_fixtures

# The payments tests' stand-in fixture, shared rather than written again.
stripe_standin = payments_fixtures.stripe_standin


@pytest.fixture
def app_config(app_config, stripe_standin):
    return {
        **app_config,
        "STRIPE_SECRET_KEY": stripe_standin.api_key,
        "STRIPE_API_BASE": stripe_standin.url,
        "STRIPE_MAX_NETWORK_RETRIES": 0,
    }


def _known_to_the_standin(standin, fulfilment):
    payment = db.session.scalars(
        db.select(Payment).where(
            Payment.order_id == fulfilment.order_id, Payment.provider == PaymentProvider.stripe
        )
    ).one()
    standin.intents[payment.payment_intent_ref] = {
        "id": payment.payment_intent_ref,
        "amount": payment.amount_fen,
        "refunded": 0,
        "currency": "cny",
        "charge": "ch_claim",
    }


def test_an_online_claim_is_refunded_through_stripe(delivered, buyer, manager, stripe_standin):
    fulfilment = delivered(quantity=4, price_fen=3333, payment="stripe")
    _known_to_the_standin(stripe_standin, fulfilment)
    claim = services.open_claim(
        fulfilment, buyer, [(fulfilment.lines[0].id, 2)], "spoiled", "", "refund"
    )
    db.session.commit()
    services.decide(claim, "accept", manager)
    transaction.commit()  # the refund goes to Stripe after the commit

    claim = db.session.get(Claim, claim.id)
    refund = db.session.get(Refund, claim.refund_id)
    assert (refund.amount_fen, refund.status) == (6666, RefundStatus.succeeded)
    sent = stripe_standin.posts_to("/v1/refunds")
    assert [(int(c["params"]["amount"]), c["key"]) for c in sent] == [(6666, f"refund-{refund.id}")]
    reversed_fen = -sum(
        e.amount_fen
        for e in db.session.scalars(
            db.select(IncomeEntry).where(
                IncomeEntry.fulfilment_id == fulfilment.id,
                IncomeEntry.kind == IncomeKind.reversal,
            )
        )
    )
    assert reversed_fen == 6666 * fulfilment.cooperative.producer_share_bp // 10000


def test_unreachable_stripe_leaves_the_claims_refund_pending(
    app, delivered, buyer, manager, stripe_standin
):
    fulfilment = delivered(payment="stripe")
    _known_to_the_standin(stripe_standin, fulfilment)
    claim = services.open_claim(
        fulfilment, buyer, [(fulfilment.lines[0].id, 1)], "damaged", "", "refund"
    )
    db.session.commit()
    url = app.config["STRIPE_API_BASE"]
    with socket.socket() as sock:  # a port nothing listens on: Stripe unreachable
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    app.config["STRIPE_API_BASE"] = f"http://127.0.0.1:{closed}"
    services.decide(claim, "accept", manager)
    transaction.commit()
    refund = db.session.get(Refund, db.session.get(Claim, claim.id).refund_id)
    assert refund.status == RefundStatus.pending

    app.config["STRIPE_API_BASE"] = url
    assert send_pending_refunds() == 1
    transaction.commit()
    db.session.refresh(refund)
    assert refund.status == RefundStatus.succeeded
