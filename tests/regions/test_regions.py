"""The region tree of Linxia from the official codes, with sample villages."""

from marketplace.extensions import db
from marketplace.regions import services
from marketplace.regions.models import Region, RegionLevel


def _count(level):
    return db.session.scalar(db.select(db.func.count(Region.id)).where(Region.level == level))


def test_the_official_tree_has_8_counties_and_131_townships(app):
    assert _count(RegionLevel.prefecture) == 1
    assert _count(RegionLevel.county) == 8
    assert _count(RegionLevel.township) == 131
    yongjing = services.get_by_code("622923")
    assert yongjing.name_zh == "永靖县" and yongjing.name_en == "Yongjing County"
    assert yongjing.parent.code == "622900"
    assert {t.name_zh for t in yongjing.children} >= {"陈井镇", "关山乡", "徐顶乡"}


def test_sample_villages_load_once_and_are_marked(app):
    first = services.load_sample_villages(per_township=2)
    again = services.load_sample_villages(per_township=2)
    db.session.commit()
    assert first == again == 262
    assert _count(RegionLevel.village) == 262
    village = db.session.scalar(db.select(Region).where(Region.level == RegionLevel.village))
    assert village.is_sample and "示例" in village.name_zh


def test_region_page_shows_children_and_poverty_flags(client, create_village):
    create_village("622923100", name="百合示例村", poverty=True, deep=True)
    page = client.get("/regions/622923100", headers={"Accept-Language": "zh"})
    assert page.status_code == 200
    assert "百合示例村" in page.get_data(as_text=True)
    assert "深度贫困村" in page.get_data(as_text=True)
    assert client.get("/regions/").status_code == 200
    assert client.get("/regions/999999").status_code == 404


def test_english_township_names_are_pinyin():
    assert services.english_place_name("刘家峡镇") == "Liujiaxia Town"
    assert services.english_place_name("城南街道") == "Chengnan Subdistrict"
