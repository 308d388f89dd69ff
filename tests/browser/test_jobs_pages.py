"""/admin/jobs and the inbox on a 360 px phone, in Chinese and English."""

import pytest

from marketplace.extensions import db
from marketplace.households.models import IncomeEntry
from marketplace.jobs import runner as jobs
from marketplace.notifications import services

pytestmark = pytest.mark.browser


def _log_in(page, live_server, login):
    page.goto(live_server + "/login")
    page.fill("#login", login)
    page.fill("#password", "linxia-demo")
    page.click("#submit")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_admin_jobs_and_inbox_fit_a_phone(
    live_server, page, screenshot, language, create_user, create_sale, create_lot, create_household
):
    admin = create_user(
        email="admin@example.com", roles=["admin"], name="州管理员", phone="13800000009"
    )
    lot = create_lot(contributions=[(create_household(), 10)])
    create_sale((lot.product, [(lot, 2)]), buyer=admin, until="delivered")
    jobs.run_due()
    entry = db.session.scalars(
        db.select(IncomeEntry).where(IncomeEntry.household_id.is_not(None))
    ).first()
    entry.amount_fen += 1
    db.session.commit()
    jobs.run_now("reconcile")
    db.session.commit()
    jobs.run_due()
    services.notify(
        "refund", key="1", params={"order": "LX20261207-0001", "amount": "¥25.00"}, user=admin
    )
    db.session.commit()

    _log_in(page, live_server, "admin@example.com")
    if language == "en":
        page.goto(live_server + "/language/en")
    page.goto(live_server + "/admin/jobs")
    assert page.locator("[data-testid=mismatches] li").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, f"admin-jobs-{language}")
    page.click("[data-testid=bell]")
    assert page.locator("[data-testid=inbox] li").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, f"inbox-{language}")
