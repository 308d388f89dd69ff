"""Sending a buyer to Stripe Checkout, and the page Stripe sends the buyer back to."""

from datetime import timedelta

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.orders.models import FulfilmentStatus, OrderStatus
from marketplace.payments import services
from marketplace.payments.models import Payment, PaymentProvider, PaymentStatus


def _pay_online(client, auth, order):
    auth.login("buyer@example.com")
    return client.post(f"/payments/orders/{order.id}/checkout")


def test_paying_online_sends_the_buyer_to_a_checkout_session_for_the_order(
    client, auth, create_order, create_lot, create_product, stripe_standin
):
    lily = create_lot(product=create_product(price_fen=2500), quantity=10)
    order = create_order(items=[(lily, 2)], shipping_fen=800)

    response = _pay_online(client, auth, order)

    [session] = stripe_standin.sessions.values()
    assert response.status_code == 303
    assert response.headers["Location"] == session["url"]
    [call] = stripe_standin.posts_to("/v1/checkout/sessions")
    params = call["params"]
    assert params["payment_method_types"] == ["card", "alipay", "wechat_pay"]
    assert params["payment_method_options"]["wechat_pay"]["client"] == "web"
    assert {item["price_data"]["currency"] for item in params["line_items"]} == {"cny"}
    assert session["amount_total"] == order.total_fen == 5800
    assert params["client_reference_id"] == order.reference
    assert params["metadata"]["order_reference"] == order.reference
    assert "{CHECKOUT_SESSION_ID}" in params["success_url"]
    payment = db.session.scalar(db.select(Payment))
    assert call["key"] == f"checkout-{order.reference}-{payment.id}"
    assert (payment.provider, payment.status) == (PaymentProvider.stripe, PaymentStatus.pending)
    assert payment.provider_ref == session["id"]
    assert payment.checkout_url == session["url"]
    assert payment.amount_fen == 5800
    # The stock is held for 30 minutes; Stripe gets a minute more so it never refuses.
    assert abs(payment.expires_at - (utcnow() + timedelta(minutes=30))) < timedelta(seconds=30)
    stripe_expiry = session["expires_at"] - session["created"]
    assert 30 * 60 < stripe_expiry <= 32 * 60


def test_asking_again_reuses_the_open_session(client, auth, create_order, stripe_standin):
    order = create_order()
    first = _pay_online(client, auth, order)
    second = client.post(f"/payments/orders/{order.id}/checkout")

    assert first.headers["Location"] == second.headers["Location"]
    assert len(stripe_standin.sessions) == 1
    assert db.session.scalar(db.select(db.func.count(Payment.id))) == 1


def test_another_buyer_cannot_start_checkout_for_an_order(
    client, auth, create_order, create_user, stripe_standin
):
    order = create_order()
    create_user(email="other@example.com")
    auth.login("other@example.com")

    assert client.post(f"/payments/orders/{order.id}/checkout").status_code == 404
    assert client.get(f"/payments/orders/{order.id}/return").status_code == 404
    assert stripe_standin.sessions == {}


def test_stripe_unreachable_at_checkout_cancels_the_order_and_releases_the_stock(
    app, client, auth, create_order, create_lot, closed_port_url
):
    lot = create_lot(quantity=10)
    order = create_order(items=[(lot, 3)])
    assert lot.remaining == 7
    app.config["STRIPE_API_BASE"] = closed_port_url

    response = _pay_online(client, auth, order)
    page = client.get(response.headers["Location"])

    assert response.status_code == 302
    assert "could not reach the payment service" in page.get_data(as_text=True)
    db.session.refresh(lot)
    db.session.refresh(order)
    assert lot.remaining == 10
    assert order.status == OrderStatus.cancelled
    assert all(f.status == FulfilmentStatus.cancelled for f in order.fulfilments)
    assert all(a.released_at is not None for line in order.lines for a in line.allocations)
    assert db.session.scalar(db.select(Payment)).status == PaymentStatus.failed


def test_the_return_page_waits_for_the_webhook_and_never_marks_the_order_paid(
    client, auth, create_order, stripe_standin
):
    order = create_order()
    _pay_online(client, auth, order)
    [session] = stripe_standin.sessions.values()
    stripe_standin.pay(session["id"])

    page = client.get(f"/payments/orders/{order.id}/return?session_id={session['id']}")

    html = page.get_data(as_text=True)
    assert "Waiting for payment confirmation" in html
    assert 'http-equiv="refresh"' in html
    assert "<script>" not in html
    db.session.refresh(order)
    assert order.status == OrderStatus.pending_payment
    assert db.session.scalar(db.select(Payment)).status == PaymentStatus.pending


def test_the_return_page_shows_the_order_paid_once_the_webhook_confirmed_it(
    client, auth, create_order, stripe_standin, send_event
):
    order = create_order()
    _pay_online(client, auth, order)
    [session] = stripe_standin.sessions.values()
    send_event("checkout.session.completed", stripe_standin.pay(session["id"]))

    html = client.get(f"/payments/orders/{order.id}/return").get_data(as_text=True)

    assert "Paid." in html
    assert "Waiting for payment confirmation" not in html
    assert 'http-equiv="refresh"' not in html


def test_a_buyer_who_left_the_payment_page_can_pay_later(client, auth, create_order):
    order = create_order()
    _pay_online(client, auth, order)

    html = client.get(f"/payments/orders/{order.id}/return?left=1").get_data(as_text=True)

    assert "Not paid yet." in html
    assert "held for you until" in html
    assert "Pay now" in html


def test_a_checkout_whose_time_ran_out_cancels_the_order_instead_of_holding_stock_again(
    client, auth, create_order, create_lot, stripe_standin
):
    lot = create_lot(quantity=5)
    order = create_order(items=[(lot, 5)])
    _pay_online(client, auth, order)
    payment = db.session.scalar(db.select(Payment))
    payment.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()

    response = client.post(f"/payments/orders/{order.id}/checkout")

    assert "time to pay for this order ran out" in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    db.session.refresh(lot)
    assert lot.remaining == 5
    assert len(stripe_standin.sessions) == 1
    assert db.session.get(Payment, payment.id).status == PaymentStatus.expired


def test_online_payment_is_available_when_stripe_is_configured(app):
    assert services.online_payment_available() is True


def test_a_cash_order_has_no_online_payment_pages(client, auth, create_order, stripe_standin):
    order = create_order(payment_method="cash_at_pickup")
    auth.login("buyer@example.com")

    assert client.post(f"/payments/orders/{order.id}/checkout").status_code == 404
    assert client.get(f"/payments/orders/{order.id}/return").status_code == 404
    assert stripe_standin.sessions == {}


def test_stripe_is_given_return_addresses_on_the_public_base_url_whatever_the_host(
    app, client, create_order, stripe_standin
):
    app.config["PUBLIC_BASE_URL"] = "https://linxia.example/shop"
    order = create_order()
    evil = {"Host": "evil.example"}
    client.post("/login", data={"login": "buyer@example.com", "password": "linxia-demo"},
                headers=evil)  # fmt: skip
    client.post(f"/payments/orders/{order.id}/checkout", headers=evil)

    [call] = stripe_standin.posts_to("/v1/checkout/sessions")
    back = f"https://linxia.example/shop/payments/orders/{order.id}/return"
    assert call["params"]["success_url"] == back + "?session_id={CHECKOUT_SESSION_ID}"
    assert call["params"]["cancel_url"] == back + "?left=1"
