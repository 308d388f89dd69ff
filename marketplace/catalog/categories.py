"""Product categories: a fixed standard list, seeded on demand, that administrators extend."""

from flask_babel import lazy_gettext as _l

from ..errors import Conflict
from ..extensions import db
from ..transaction import verb
from .models import Category

# (code, Chinese, English): the fixed list an administrator may extend.
DEFAULT_CATEGORIES = (
    ("fruit", "水果", "Fruit"),
    ("vegetables", "蔬菜", "Vegetables"),
    ("grains", "杂粮", "Grains"),
    ("nuts", "坚果", "Nuts"),
    ("spices", "调味品", "Spices"),
    ("meat", "肉类", "Meat"),
    ("mushrooms", "菌菇", "Mushrooms"),
    ("oils", "食用油", "Edible oils"),
    ("herbs", "中药材", "Herbs"),
    ("dried", "干货", "Dried goods"),
    ("seedlings", "苗木花卉", "Seedlings and flowers"),
)


def list_categories() -> list[Category]:
    """All categories in display order."""
    return list(db.session.scalars(db.select(Category).order_by(Category.position, Category.id)))


@verb
def ensure_default_categories() -> int:
    """Add the standard categories that are missing; returns how many were added."""
    have = set(db.session.scalars(db.select(Category.code)))
    added = 0
    for position, (code, name_zh, name_en) in enumerate(DEFAULT_CATEGORIES):
        if code not in have:
            db.session.add(Category(code=code, name_zh=name_zh, name_en=name_en, position=position))
            added += 1
    db.session.flush()
    return added


@verb
def add_category(code: str, name_zh: str, name_en: str) -> Category:
    """A new category at the end of the list; codes are unique."""
    code = code.strip().lower()
    if db.session.scalar(db.select(Category).where(Category.code == code)):
        raise Conflict(_l("A category with the code %(code)s exists already.", code=code))
    last = db.session.scalar(db.select(db.func.max(Category.position))) or 0
    category = Category(
        code=code, name_zh=name_zh.strip(), name_en=name_en.strip(), position=last + 1
    )
    db.session.add(category)
    db.session.flush()
    return category
