"""Opening a Checkout Session changes the order, so only a POST does it; a GET of the old
address shows the payment page with its button (issue 17, item 12)."""

from marketplace.extensions import db
from marketplace.payments.models import Payment


def test_a_get_of_the_checkout_opens_no_session_and_shows_the_pay_button(
    client, auth, create_order, stripe_standin
):
    order = create_order()
    auth.login("buyer@example.com")

    response = client.get(f"/payments/orders/{order.id}/checkout")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<form method="post" action="/payments/orders/{order.id}/checkout"' in html
    assert "Pay now" in html
    assert stripe_standin.sessions == {}
    assert db.session.scalar(db.select(db.func.count(Payment.id))) == 0


def test_the_pay_button_opens_the_session(client, auth, create_order, stripe_standin):
    order = create_order()
    auth.login("buyer@example.com")
    client.get(f"/payments/orders/{order.id}/checkout")
    response = client.post(f"/payments/orders/{order.id}/checkout")
    [session] = stripe_standin.sessions.values()
    assert response.status_code == 303 and response.headers["Location"] == session["url"]
