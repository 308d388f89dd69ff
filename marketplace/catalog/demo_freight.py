"""Demo freight templates (运费模板) for every demo cooperative. Every price here is an
ASSUMPTION (marked `is_sample`, shown as "assumed prices"): no Linxia cooperative's real
template has been published. They follow what Gansu sellers on Taobao commonly charge: a
first kilogram to nearby provinces about ¥8, to the rest of the country ¥12, Xinjiang and
Tibet ¥20; cold chain dearer and not offered where no cold-chain carrier reaches."""

from ..extensions import db
from . import freight
from .models import Cooperative, Product

NEARBY = ["610000", "620000", "630000", "640000"]  # Shaanxi, Gansu, Qinghai, Ningxia
NEIGHBOURS = ["150000", "500000", "510000"]  # Inner Mongolia, Chongqing, Sichuan
REMOTE = ["540000", "650000"]  # Tibet, Xinjiang


def _rule(codes, first_yuan, step_yuan):
    return {
        "province_codes": codes,
        "first_weight_g": 1000,
        "first_fen": first_yuan * 100,
        "step_weight_g": 1000,
        "step_fen": step_yuan * 100,
    }


STANDARD = {
    "name": "常温快递（示例）",
    "cold_chain": False,
    "is_default": True,
    "first_weight_g": 1000,
    "first_fen": 1200,
    "step_weight_g": 1000,
    "step_fen": 500,
    "regions": [_rule(NEARBY, 8, 3), _rule(NEIGHBOURS, 10, 4), _rule(REMOTE, 20, 10)],
    "free_over_fen": 19900,
    "free_province_codes": NEARBY,
    "not_delivered_province_codes": [],
}
COLD = {
    "name": "冷链快递（示例）",
    "cold_chain": True,
    "is_default": False,
    "first_weight_g": 1000,
    "first_fen": 2200,
    "step_weight_g": 1000,
    "step_fen": 1000,
    "regions": [_rule(NEARBY, 15, 6), _rule(NEIGHBOURS, 18, 8)],
    "free_over_fen": None,
    "free_province_codes": None,
    # No cold-chain carrier is assumed to reach these from Linxia.
    "not_delivered_province_codes": [*REMOTE, "460000"],
}


def load(scale: str = "demo") -> str:
    """Give each cooperative without templates the two sample templates (idempotent), and
    each product the one it needs (cold chain for perishable goods)."""
    made = 0
    for cooperative in db.session.scalars(db.select(Cooperative).order_by(Cooperative.id)):
        if freight.templates_of(cooperative.id):
            continue
        standard = freight.save_template(cooperative, STANDARD)
        cold = freight.save_template(cooperative, COLD)
        standard.is_sample = cold.is_sample = True
        products = db.session.scalars(
            db.select(Product).where(Product.cooperative_id == cooperative.id)
        )
        for product in products:
            product.freight_template_id = (cold if product.perishable else standard).id
        made += 2
    db.session.flush()
    return f"{made} sample freight templates"
