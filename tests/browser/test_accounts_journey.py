"""A person registers, logs in, switches language and logs out on a 360 px phone."""

import pytest

pytestmark = pytest.mark.browser


def test_register_login_switch_language_logout(live_server, page, screenshot):
    page.goto(live_server + "/")
    assert "临夏农产品商城" in page.title()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "home-zh")

    page.goto(live_server + "/register")
    page.fill("#name", "马小花")
    page.fill("#login", "13912345678")
    page.fill("#password", "secret-pass-1")
    page.fill("#confirm", "secret-pass-1")
    with page.expect_navigation():  # wait for the answer, not the old page
        page.click("#submit")
    assert page.locator(".alert-success").inner_text().startswith("欢迎")
    screenshot(page, "registered")

    # Log out (the menu is collapsed on a phone) and back in with the mobile number.
    page.click(".navbar-toggler")
    with page.expect_navigation():  # wait for the answer, not the old page
        page.click("[data-testid=logout]")
    assert "您已退出" in page.locator(".alert").inner_text()
    page.goto(live_server + "/login")
    page.fill("#login", "139 1234 5678")
    page.fill("#password", "secret-pass-1")
    with page.expect_navigation():  # wait for the answer, not the old page
        page.click("#submit")
    assert "您已登录" in page.locator(".alert").inner_text()

    page.click(".navbar-toggler")
    page.click("[data-testid=lang-switch]")
    # The switch posts a form and is redirected back: wait for the English page to load.
    page.wait_for_function("document.documentElement.lang === 'en'")
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Linxia Marketplace" in page.title()
    screenshot(page, "home-en")

    page.click(".navbar-toggler")
    with page.expect_navigation():
        page.click("[data-testid=logout]")
    assert "You are logged out" in page.locator(".alert").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "logged-out-en")
