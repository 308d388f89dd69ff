"""A signed "completed" event whose amount or currency is not the payment's confirms
nothing: the payment needs attention, what Stripe charged goes back, admins are told."""

import pytest

from marketplace.extensions import db
from marketplace.orders.models import OrderStatus
from marketplace.payments.models import Payment, PaymentStatus, Refund
from marketplace.status import events_for


@pytest.mark.parametrize(
    ("amount", "currency"), [(1, "usd"), (1, "cny"), ("right", "usd"), (None, None)]
)
def test_a_completed_session_with_another_amount_or_currency_confirms_nothing(
    checkout, stripe_standin, send_event, create_user, client, auth, amount, currency
):
    order, lot, payment = checkout()
    paid = stripe_standin.pay(payment.provider_ref)
    charged = paid["amount_total"] if amount == "right" else amount
    paid.update(amount_total=charged, currency=currency)

    response = send_event("checkout.session.completed", paid)

    assert response.status_code == 200
    db.session.refresh(order)
    db.session.refresh(lot)
    assert order.status == OrderStatus.cancelled and lot.remaining == 10
    payment = db.session.get(Payment, payment.id)
    assert payment.status == PaymentStatus.needs_attention
    assert (payment.received_amount, payment.received_currency) == (charged, currency)
    note = [e.note for e in events_for("payment", payment.id)][-1]
    assert "expected" in note and str(charged) in note
    refunds = db.session.scalars(db.select(Refund).where(Refund.payment_id == payment.id)).all()
    sent = stripe_standin.posts_to("/v1/refunds")
    if charged:
        assert [r.amount_fen for r in refunds] == [charged]
        assert [int(r["params"]["amount"]) for r in sent] == [charged]
    else:
        assert refunds == [] and sent == []

    create_user(email="admin@example.com", roles=["admin"])
    auth.login("admin@example.com")
    dashboard = client.get("/admin").get_data(as_text=True)
    assert "Online payments needing attention: 1" in dashboard
    listing = client.get("/payments/attention")
    assert listing.status_code == 200 and order.reference in listing.get_data(as_text=True)


def test_the_right_amount_in_upper_case_currency_confirms(checkout, stripe_standin, send_event):
    order, _, payment = checkout()
    paid = stripe_standin.pay(payment.provider_ref)
    paid["currency"] = "CNY"
    assert send_event("checkout.session.completed", paid).json["outcome"] == "paid; order confirmed"


def test_the_attention_page_is_for_administrators(client, auth, buyer):
    auth.login("buyer@example.com")
    assert client.get("/payments/attention").status_code == 403
