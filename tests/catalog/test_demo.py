"""The demo: a dozen cooperatives in all 8 counties with the real products, about 300
sample households (260+ in Yongjing), lots, drawn pictures; loading twice adds nothing."""

from pathlib import Path

from marketplace.accounts import demo as accounts_demo
from marketplace.catalog import demo as catalog_demo
from marketplace.catalog import services
from marketplace.catalog.models import Cooperative, Product, ProductPhoto, SupplyLot
from marketplace.extensions import db
from marketplace.households import demo as households_demo
from marketplace.households.models import Household, PovertyLine
from marketplace.regions.services import load_sample_villages


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_demo_data_covers_linxia_and_loads_only_once(app):
    load_sample_villages()
    accounts_demo.load()
    households_demo.load()
    catalog_demo.load()
    db.session.commit()

    cooperatives = db.session.scalars(db.select(Cooperative)).all()
    assert len(cooperatives) >= 12
    assert {c.village.code[:6] for c in cooperatives} == {
        "622901", "622921", "622922", "622923", "622924", "622925", "622926", "622927",
    }  # fmt: skip
    households = db.session.scalars(db.select(Household)).all()
    assert 280 <= len(households) <= 320
    assert sum(h.village.code.startswith("622923") for h in households) >= 260
    assert all("示例" in h.head_name and h.is_sample for h in households)
    assert count(PovertyLine) == 7

    lily = db.session.scalar(db.select(Product).where(Product.name_zh == "兰州鲜百合"))
    assert lily.cooperative.village.code.startswith("622923")
    assert [m.email for m in lily.cooperative.managers] == ["coop@example.com"]
    assert services.supported_households(lily) >= 100
    names = set(db.session.scalars(db.select(Product.name_zh)))
    for expected in ("冰糖心苹果", "大河家鸡蛋皮核桃", "东乡马铃薯", "康乐牛肉", "和政啤特果"):
        assert expected in names
    for product in db.session.scalars(db.select(Product)):
        assert product.photos, product.name_zh
        assert services.available_quantity(product) > 0
    photo = db.session.scalars(db.select(ProductPhoto)).first()
    assert (Path(app.config["UPLOAD_FOLDER"]) / "products" / photo.filename).stat().st_size > 10_000
    for lot in db.session.scalars(db.select(SupplyLot)):
        assert sum(c.quantity for c in lot.contributions) == lot.quantity

    before = [count(m) for m in (Cooperative, Product, ProductPhoto, SupplyLot, Household)]
    households_demo.load()
    catalog_demo.load()
    db.session.commit()
    assert [count(m) for m in (Cooperative, Product, ProductPhoto, SupplyLot, Household)] == before
