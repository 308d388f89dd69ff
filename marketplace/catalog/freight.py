"""Freight templates (运费模板): how a cooperative prices delivery, and the one fee function.

A template prices by weight: a first weight at a price, then each started step at a price;
region rules give groups of provinces their own numbers; free shipping from an order value
(everywhere, or only for listed provinces); provinces not delivered to. A cold-chain
template is the only kind a perishable product may use. Every product uses one template of
its cooperative (its own `freight_template_id`, else the cooperative's default).

`fulfilment_fee` is the formula of issue 13, in integer fen. Several templates in one
fulfilment: the lines of a cooperative use the template of the first line (lowest product
id), as the issue allows; a perishable line makes that the cooperative's cold-chain one.
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..errors import DomainError
from ..extensions import db
from . import freshness


def _codes(text: str | None) -> list[str]:
    return [c for c in (text or "").split(",") if c]


def _text(codes) -> str:
    return ",".join(sorted({str(c) for c in codes}))


class FreightTemplate(db.Model):
    __tablename__ = "freight_templates"
    __table_args__ = (
        CheckConstraint("first_weight_g > 0", name="first_weight_positive"),
        CheckConstraint("step_weight_g > 0", name="step_weight_positive"),
        CheckConstraint("first_fen >= 0 AND step_fen >= 0", name="fees_nonneg"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    cold_chain: Mapped[bool] = mapped_column(Boolean, default=False)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    first_weight_g: Mapped[int]
    first_fen: Mapped[int] = mapped_column(BigInteger)
    step_weight_g: Mapped[int]
    step_fen: Mapped[int] = mapped_column(BigInteger)
    free_over_fen: Mapped[int | None] = mapped_column(BigInteger)
    # Comma-separated province codes; NULL: free everywhere (when free_over_fen is set).
    free_provinces: Mapped[str | None] = mapped_column(Text)
    not_delivered: Mapped[str] = mapped_column(Text, default="")
    # Marked so on the pages: the demo's prices are assumptions.
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    rules: Mapped[list["FreightRule"]] = relationship(
        order_by="FreightRule.position", cascade="all, delete-orphan", back_populates="template"
    )

    @property
    def free_province_codes(self) -> list[str] | None:
        return None if self.free_provinces is None else _codes(self.free_provinces)

    @property
    def not_delivered_province_codes(self) -> list[str]:
        return _codes(self.not_delivered)


class FreightRule(db.Model):
    """A group of provinces with their own first weight and step prices."""

    __tablename__ = "freight_rules"
    __table_args__ = (
        CheckConstraint("first_weight_g > 0", name="first_weight_positive"),
        CheckConstraint("step_weight_g > 0", name="step_weight_positive"),
        CheckConstraint("first_fen >= 0 AND step_fen >= 0", name="fees_nonneg"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("freight_templates.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    provinces: Mapped[str] = mapped_column(Text)
    first_weight_g: Mapped[int]
    first_fen: Mapped[int] = mapped_column(BigInteger)
    step_weight_g: Mapped[int]
    step_fen: Mapped[int] = mapped_column(BigInteger)

    template: Mapped[FreightTemplate] = relationship(back_populates="rules")

    @property
    def province_codes(self) -> list[str]:
        return _codes(self.provinces)


# The product page shows a delivery estimate: editing a template moves the catalogue stamp.
freshness.also_shown(FreightTemplate, FreightRule)


# --- the fee ----------------------------------------------------------------------------


def fulfilment_fee(template, province_code: str, weight_g: int, goods_fen: int) -> int | None:
    """The shipping fee in fen of one fulfilment to `province_code`; None if not delivered.

    w = weight_g; the rule is the region rule holding the province, else the template's own
    numbers; fee = first if w <= first weight, else first + ceil((w - first weight) / step
    weight) x step; 0 when goods_fen >= free_over_fen and the province is free.
    """
    if province_code in template.not_delivered_province_codes:
        return None
    free_over = template.free_over_fen
    free_codes = template.free_province_codes
    free_here = free_codes is None or province_code in free_codes
    if free_over is not None and goods_fen >= free_over and free_here:
        return 0
    rule = next((r for r in template.rules if province_code in r.province_codes), template)
    if weight_g <= rule.first_weight_g:
        return rule.first_fen
    steps = -(-(weight_g - rule.first_weight_g) // rule.step_weight_g)  # ceiling
    return rule.first_fen + steps * rule.step_fen


# --- which template ---------------------------------------------------------------------


def templates_of(cooperative_id: int) -> list[FreightTemplate]:
    stmt = (
        db.select(FreightTemplate)
        .where(FreightTemplate.cooperative_id == cooperative_id)
        .order_by(FreightTemplate.is_default.desc(), FreightTemplate.id)
    )
    return list(db.session.scalars(stmt))


def default_template(cooperative_id: int, cold_chain: bool = False) -> FreightTemplate | None:
    """The cooperative's default template (its first cold-chain one if `cold_chain`)."""
    found = templates_of(cooperative_id)
    if cold_chain:
        found = [t for t in found if t.cold_chain]
    return found[0] if found else None


def template_for_product(product) -> FreightTemplate | None:
    """The template a product ships with: its own, else its cooperative's default (cold
    chain for a perishable product)."""
    if product.freight_template_id is not None:
        template = db.session.get(FreightTemplate, product.freight_template_id)
        if template is not None:
            return template
    return default_template(product.cooperative_id, cold_chain=product.perishable)


@dataclass
class Quote:
    """The shipping of one cooperative's lines to a province."""

    cooperative_id: int
    weight_g: int
    goods_fen: int
    shipping_fen: int | None  # None: not delivered there
    product_ids: list[int]
    template_id: int | None


def quote_lines(lines, province_code: str) -> list[Quote]:
    """Quotes per cooperative for [(product, quantity)] (cooperatives in id order).

    The lines of a cooperative use the template of its first line (lowest product id); a
    cooperative without any template does not deliver (None).
    """
    by_cooperative: dict[int, list] = {}
    for product, quantity in sorted(lines, key=lambda pq: pq[0].id):
        by_cooperative.setdefault(product.cooperative_id, []).append((product, quantity))
    quotes = []
    for cooperative_id in sorted(by_cooperative):
        group = by_cooperative[cooperative_id]
        weight = sum(p.unit_weight_g * q for p, q in group)
        goods = sum(p.price_fen * q for p, q in group)
        template = template_for_product(group[0][0])
        fee = None if template is None else fulfilment_fee(template, province_code, weight, goods)
        quotes.append(
            Quote(
                cooperative_id,
                weight,
                goods,
                fee,
                [p.id for p, _ in group],
                template.id if template else None,
            )
        )
    return quotes


class NotDelivered(DomainError):
    """Some lines cannot be sent to the province; `.product_ids` names them."""

    status_code = 409
    code = "not_delivered"

    def __init__(self, product_ids: list[int]):
        super().__init__(
            _l("Some items cannot be delivered to this province. Please pick them up instead.")
        )
        self.product_ids = product_ids
        self.details = {"lines": [{"product_id": pid} for pid in product_ids]}


def shipping_or_refuse(quotes: list[Quote]) -> int:
    """The total shipping of the quotes, or NotDelivered naming the lines that cannot go."""
    refused = [pid for q in quotes if q.shipping_fen is None for pid in q.product_ids]
    if refused:
        raise NotDelivered(refused)
    return sum(q.shipping_fen for q in quotes)


def check_product_template(cooperative_id: int, template_id, perishable: bool):
    """The template id a product may use (None: the default), or DomainError naming the
    field: one of its cooperative's templates; a cold-chain one for perishable goods."""
    template = None
    if template_id:
        template = db.session.get(FreightTemplate, template_id)
        if template is None or template.cooperative_id != cooperative_id:
            raise DomainError(
                _l("Choose one of the cooperative's freight templates."),
                field="freight_template_id",
            )
    elif perishable:
        template = default_template(cooperative_id, cold_chain=True)
        if template is None:
            raise DomainError(
                _l("Perishable goods need a cold-chain freight template: create one first."),
                field="freight_template_id",
            )
    if perishable and not template.cold_chain:
        raise DomainError(
            _l("Perishable goods must use a cold-chain freight template."),
            field="freight_template_id",
        )
    return template_id or None


# --- managing templates -----------------------------------------------------------------


def template_json(template: FreightTemplate) -> dict:
    """The template as the API contract gives it."""
    return {
        "id": template.id,
        "name": template.name,
        "cold_chain": template.cold_chain,
        "is_default": template.is_default,
        "first_weight_g": template.first_weight_g,
        "first_fen": template.first_fen,
        "step_weight_g": template.step_weight_g,
        "step_fen": template.step_fen,
        "regions": [
            {
                "province_codes": rule.province_codes,
                "first_weight_g": rule.first_weight_g,
                "first_fen": rule.first_fen,
                "step_weight_g": rule.step_weight_g,
                "step_fen": rule.step_fen,
            }
            for rule in template.rules
        ],
        "free_over_fen": template.free_over_fen,
        "free_province_codes": template.free_province_codes,
        "not_delivered_province_codes": template.not_delivered_province_codes,
    }


def save_template(cooperative, data: dict, template: FreightTemplate | None = None):
    """Create or change a template from checked values: name, cold_chain, is_default, the
    four numbers, regions [{province_codes, four numbers}], free_over_fen,
    free_province_codes (None: everywhere), not_delivered_province_codes."""
    if template is None:
        template = FreightTemplate(cooperative_id=cooperative.id)
        db.session.add(template)
    for key in ("name", "cold_chain", "first_weight_g", "first_fen", "step_weight_g", "step_fen"):
        setattr(template, key, data[key])
    template.free_over_fen = data.get("free_over_fen")
    free = data.get("free_province_codes")
    template.free_provinces = None if free is None else _text(free)
    template.not_delivered = _text(data.get("not_delivered_province_codes") or [])
    template.rules.clear()
    db.session.flush()
    for position, region in enumerate(data.get("regions") or []):
        template.rules.append(
            FreightRule(
                position=position,
                provinces=_text(region["province_codes"]),
                first_weight_g=region["first_weight_g"],
                first_fen=region["first_fen"],
                step_weight_g=region["step_weight_g"],
                step_fen=region["step_fen"],
            )
        )
    others = templates_of(cooperative.id)
    if data.get("is_default") or not any(t.is_default for t in others if t is not template):
        for other in others:
            other.is_default = other is template
    db.session.flush()
    return template
