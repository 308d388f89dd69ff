"""Managers keep their cooperative's freight templates; perishable products need cold chain."""

from marketplace.catalog import freight
from marketplace.catalog.models import Product
from marketplace.extensions import db


def test_a_manager_creates_a_template_with_a_region_rule(client, auth, create_user,
                                                         create_cooperative):  # fmt: skip
    manager = create_user(email="coop@example.com", roles=["cooperative_manager"])
    cooperative = create_cooperative(managers=[manager])
    auth.login("coop@example.com")
    page = client.get(f"/manage/cooperatives/{cooperative.id}/freight-templates/new")
    assert page.status_code == 200 and "Xinjiang" in page.text
    bad = client.post(
        f"/manage/cooperatives/{cooperative.id}/freight-templates/new",
        data={"name": "常温", "first_weight_g": "1000", "first_price": "abc",
              "step_weight_g": "1000", "step_price": "4"},
    )  # fmt: skip
    assert bad.status_code == 200 and "Enter an amount in yuan" in bad.text
    saved = client.post(
        f"/manage/cooperatives/{cooperative.id}/freight-templates/new",
        data={
            "name": "常温",
            "first_weight_g": "1000",
            "first_price": "8",
            "step_weight_g": "1000",
            "step_price": "4.5",
            "rules-0-provinces": ["650000", "540000"],
            "rules-0-first_weight_g": "1000",
            "rules-0-first_price": "20",
            "rules-0-step_weight_g": "1000",
            "rules-0-step_price": "12",
            "free_over": "99",
            "free_provinces": ["620000"],
        },
    )
    assert saved.status_code == 302
    (template,) = freight.templates_of(cooperative.id)
    assert (template.first_fen, template.step_fen, template.free_over_fen) == (800, 450, 9900)
    assert template.is_default and template.free_province_codes == ["620000"]
    assert template.rules[0].province_codes == ["540000", "650000"]
    listing = client.get(f"/manage/cooperatives/{cooperative.id}/freight-templates")
    assert "Tibet" in listing.text
    edit = client.get(f"/manage/freight-templates/{template.id}/edit")
    assert 'value="4.50"' in edit.text


def test_a_perishable_product_needs_a_cold_chain_template(
    client, auth, create_user, create_cooperative, create_product
):
    manager = create_user(email="coop@example.com", roles=["cooperative_manager"])
    cooperative = create_cooperative(managers=[manager])
    product = create_product(cooperative)
    plain = freight.save_template(cooperative, {
        "name": "常温", "cold_chain": False, "first_weight_g": 1000, "first_fen": 800,
        "step_weight_g": 1000, "step_fen": 400, "regions": []})  # fmt: skip
    db.session.commit()
    auth.login("coop@example.com")
    form = {
        "name_zh": "鲜百合",
        "category_id": product.category_id,
        "unit": product.unit,
        "price": "30",
        "perishable": "y",
        "freight_template_id": str(plain.id),
    }
    page = client.post(f"/manage/products/{product.id}/edit", data=form)
    assert page.status_code == 200
    assert "Perishable goods must use a cold-chain freight template" in page.text
    cold = freight.save_template(cooperative, {
        "name": "冷链", "cold_chain": True, "first_weight_g": 1000, "first_fen": 1500,
        "step_weight_g": 1000, "step_fen": 800, "regions": []})  # fmt: skip
    db.session.commit()
    saved = client.post(
        f"/manage/products/{product.id}/edit", data={**form, "freight_template_id": str(cold.id)}
    )
    assert saved.status_code == 302
    assert db.session.get(Product, product.id).freight_template_id == cold.id
