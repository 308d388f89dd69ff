"""Issue 19, item 5: without JavaScript, "Another supplier" submits the lot form and the
page comes back with one more supplier row, keeping what was typed and recording nothing."""

import re

from marketplace.catalog.models import SupplyLot
from marketplace.extensions import db


def test_another_supplier_row_without_javascript(client, auth, coop_a, create_product):
    lily = create_product(cooperative=coop_a.cooperative)
    auth.login("a@example.com")
    url = f"/manage/cooperatives/{lily.cooperative_id}/lots/new"
    page = client.get(url).get_data(as_text=True)
    assert len(re.findall(r'class="contribution-row', page)) == 4
    assert re.search(r'<button type="submit" name="add_row" value="1" formnovalidate', page)
    form = {"product_id": lily.id, "quantity": "30", "grade": "一级", "add_row": "1"}
    form |= {f"contributions-{i}-quantity": "" for i in range(4)}
    form["contributions-0-supplier_name"] = "合作社基地"
    response = client.post(url, data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert len(re.findall(r'class="contribution-row', page)) == 5
    assert 'name="contributions-4-household_no"' in page and 'value="合作社基地"' in page
    assert "invalid-feedback" not in page  # nothing was checked yet
    assert db.session.scalar(db.select(db.func.count(SupplyLot.id))) == 0
