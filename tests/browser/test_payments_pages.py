"""The buyer's payment pages and the refund page on a 360 px phone, in Chinese."""

import pytest

from tests.payments import conftest as payments

# The payments fixtures (Stripe stand-in, signed webhooks, orders), beside the browser ones.
app_config = payments.app_config
stripe_standin = payments.stripe_standin
send_event = payments.send_event
buyer = payments.buyer
create_order = payments.create_order

pytestmark = pytest.mark.browser


def _log_in(page, live_server, login):
    page.goto(live_server + "/login")
    page.fill("#login", login)
    page.fill("#password", "linxia-demo")
    page.click("#submit")


def test_buyer_waits_for_confirmation_then_sees_the_refund(
    live_server, page, screenshot, create_order, create_user, stripe_standin, send_event
):
    waiting = create_order()
    payments.open_checkout(waiting)
    paid = create_order(shipping_fen=800)
    payment = payments.open_checkout(paid)
    send_event("checkout.session.completed", stripe_standin.pay(payment.provider_ref))
    create_user(email="admin@example.com", roles=["admin"], name="State admin")

    _log_in(page, live_server, "buyer@example.com")
    page.goto(f"{live_server}/payments/orders/{waiting.id}/return")
    assert "正在等待支付确认" in page.locator("[data-testid=payment-state]").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "waiting")

    page.click(".navbar-toggler")
    page.click("[data-testid=logout]")
    _log_in(page, live_server, "admin@example.com")
    page.goto(f"{live_server}/payments/fulfilments/{paid.fulfilments[0].id}/refund")
    page.fill("#amount", "12.50")
    page.fill("#reason", "一袋百合压坏了")
    screenshot(page, "refund-form")
    page.click("#submit")
    assert "已退款 ¥12.50" in page.locator(".alert-success").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "refunded")

    page.click(".navbar-toggler")
    page.click("[data-testid=logout]")
    _log_in(page, live_server, "buyer@example.com")
    page.goto(f"{live_server}/payments/orders/{paid.id}/return")
    assert "已支付" in page.locator("[data-testid=payment-state]").inner_text()
    assert "一袋百合压坏了" in page.locator("[data-testid=refund]").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "paid-with-refund")
