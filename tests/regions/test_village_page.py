"""Issue 19 item 12: a village's page shows what is in the village."""


def test_village_page_shows_its_cooperatives_products_and_point(
    client, create_village, create_cooperative, create_product, create_station
):
    village = create_village("622923100", name="百合示例村")
    cooperative = create_cooperative(village=village, name_en="Lily cooperative")
    product = create_product(cooperative=cooperative, name_en="Lanzhou lily bulbs")
    create_station("village_point", region=village, name="百合示例村服务点")
    page = client.get(f"/regions/{village.code}").get_data(as_text=True)
    assert 'data-testid="village-cooperatives"' in page and "Lily cooperative" in page
    assert f"/products/{product.id}" in page and "Lanzhou lily bulbs" in page
    assert 'data-testid="village-points"' in page


def test_an_empty_village_says_so(client, create_village):
    village = create_village("622923100")
    page = client.get(f"/regions/{village.code}", headers={"Accept-Language": "zh"})
    assert "本村暂无登记的合作社或取件点。" in page.get_data(as_text=True)
