"""A cash order travels village point -> township station -> county centre -> township
station -> another village point by operators' scans on 360 px phones, while the buyer
follows each step on the tracking page; the last operator hands it over for cash."""

import pytest

from tests.browser.conftest import PHONE
from tests.logistics import conftest as logistics_fixtures

from .conftest import fits_the_phone as fits

# The logistics fixtures (a five-station line with operators, cash orders on it).
line = logistics_fixtures.line
place_order = logistics_fixtures.place_order

pytestmark = pytest.mark.browser

PASSWORD = "linxia-demo"


def log_in(page, base, login):
    page.context.clear_cookies()
    page.goto(base + "/login")
    page.fill("#login", login)
    page.fill("#password", PASSWORD)
    page.click("#submit")
    assert "您已登录" in page.locator(".alert").first.inner_text()


def scan(page, base, station, code, action):
    page.goto(f"{base}/stations/{station.id}")
    page.fill("#code", code)
    page.select_option("#action", action)
    page.click("#submit")
    flash = page.locator(".alert").first
    assert "alert-success" in flash.get_attribute("class"), flash.inner_text()
    assert code in flash.inner_text()


def test_a_parcel_is_scanned_along_its_route_and_tracked_by_the_buyer(
    live_server,
    page,
    browser,
    screenshot,
    line,
    place_order,  # noqa: F811
):
    fulfilment = place_order(quantity=2, price_fen=2500)
    parcel = fulfilment.parcel
    code, pickup = parcel.code, parcel.pickup_code
    buyer = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    log_in(buyer, live_server, "buyer@example.com")
    track = f"{live_server}/track/{code}"
    buyer.goto(track)
    assert buyer.locator("[data-testid=pickup-code]").inner_text() == pickup
    assert "合作社打包中" in buyer.locator("[data-testid=parcel-status]").inner_text()
    assert fits(buyer)
    screenshot(buyer, "buyer-before")

    hops = [
        ("op-a@example.com", line.a, ["received", "departed"]),
        ("op-t1@example.com", line.t1, ["arrived", "departed"]),
        ("op-c@example.com", line.c, ["arrived", "departed"]),
        ("op-t2@example.com", line.t2, ["arrived", "departed"]),
        ("op-b@example.com", line.b, ["arrived"]),
    ]
    scans_seen = 0
    for login, station, actions in hops:
        log_in(page, live_server, login)
        page.goto(f"{live_server}/stations/{station.id}")
        assert fits(page)
        for action in actions:
            scan(page, live_server, station, code, action)
        if station is line.a:
            page.goto(f"{live_server}/stations/{station.id}")
            screenshot(page, "village-point-dashboard")
        scans_seen += len(actions)
        buyer.goto(track)
        assert buyer.locator("[data-testid=scans] li").count() == scans_seen
        stop = buyer.locator("[data-testid=route] li", has_text=station.name_zh)
        assert stop.get_attribute("data-state") in ("passed", "here")
        screenshot(buyer, f"buyer-after-{login.split('@')[0]}")

    # At the pickup point: the dashboard lists the parcel; the operator hands it over.
    page.goto(f"{live_server}/stations/{line.b.id}")
    assert code in page.locator("[data-testid=ready]").inner_text()
    assert "¥50.00" in page.locator("[data-testid=ready]").inner_text()
    page.click(f"[data-testid=ready] a[href*='{code}']")
    page.fill("#pickup_code", "000000" if pickup != "000000" else "111111")
    page.fill("#cash_received", "50")
    page.click("#submit")
    assert "取件码错误" in page.content()
    screenshot(page, "handover-refused")
    page.fill("#pickup_code", pickup)
    page.fill("#cash_received", "50")
    page.click("#submit")
    assert "已交付" in page.locator(".alert-success").inner_text()
    page.goto(f"{live_server}/stations/{line.b.id}/cash")
    assert "¥50.00" in page.locator("[data-testid=closing]").inner_text()
    assert fits(page)
    screenshot(page, "cash-sheet")

    buyer.goto(track)
    assert "已取件" in buyer.locator("[data-testid=parcel-status]").inner_text()
    assert buyer.locator("[data-testid=scans] li").count() == 10
    assert buyer.locator("[data-testid=pickup-code]").count() == 0
    assert fits(buyer)
    screenshot(buyer, "buyer-delivered")
    buyer.context.close()
