"""Issue 19, items 3 and 14 on the report pages: every cell carries its column's label (a
phone shows each row as a card of "label: value" lines), the totals row is labelled, the
table region can be scrolled by keyboard, sorting has its own control for phones, and the
print button is a link to the print view."""

import re

import pytest

from marketplace.reports.registry import REPORTS


@pytest.fixture
def admin(client, auth, create_user):
    create_user(email="admin@example.com", roles=["admin"])
    auth.login("admin@example.com")
    return client


def test_every_report_cell_is_labelled_for_the_phone_cards(admin, scenario):
    for name in REPORTS:
        html = admin.get(f"/reports/{name}").get_data(as_text=True)
        body = html[html.index("<tbody>") : html.index("</tbody>")]
        cells = re.findall(r"<td[^>]*>", body)
        assert cells and all("data-label=" in c or "report-empty" in c for c in cells), name
        assert 'tabindex="0" role="region"' in html, name
        if "report-totals" in html:
            assert 'data-total="Total"' in html, name
        if 'class="text-reset sort-link"' in html:
            assert 'data-testid="report-sort"' in html, name
    printing = admin.get("/reports/households?print=1").get_data(as_text=True)
    assert re.search(r'<a class="btn btn-primary" href="[^"]*print=1[^"]*" data-print', printing)
