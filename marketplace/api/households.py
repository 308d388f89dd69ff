"""Households of the poverty registry, as administrators and cooperative managers may see them.

Names are masked and identity-card numbers never leave the server through the API.
"""

from sqlalchemy import func
from sqlalchemy.orm import joinedload

from ..accounts.models import Role, User
from ..catalog.models import Cooperative, cooperative_managers
from ..extensions import db
from ..households.models import Household
from ..regions.models import Region
from .auth import current_api_user, roles_required
from .params import int_arg, page_args, region_code_arg
from .shapes import page_json, region_json
from .views import bp


def masked_name(name: str) -> str:
    """The household head's family name with the given name hidden: '马建华' -> '马**'."""
    name = name.strip()
    if len(name) <= 1:
        return "*"
    return name[0] + "*" * (len(name) - 1)


def managed_township_ids(user: User):
    """Ids of the townships in which `user` manages a cooperative (a subquery)."""
    return (
        db.select(Region.parent_id)
        .join(Cooperative, Cooperative.village_id == Region.id)
        .join(cooperative_managers, cooperative_managers.c.cooperative_id == Cooperative.id)
        .where(cooperative_managers.c.user_id == user.id)
    )


@bp.get("/households")
@roles_required(Role.admin, Role.cooperative_manager)
def list_households():
    """Registered households by number: all for admins, their townships' for managers."""
    page, per_page = page_args()
    township_code = region_code_arg("township_code", 9)
    village_id = int_arg("village_id")
    user = current_api_user()

    stmt = db.select(Household).join(Region, Region.id == Household.village_id)
    if not user.has_role(Role.admin):
        stmt = stmt.where(Region.parent_id.in_(managed_township_ids(user)))
    if township_code:
        stmt = stmt.where(Region.code.startswith(township_code))
    if village_id:
        stmt = stmt.where(Household.village_id == village_id)

    total = db.session.scalar(db.select(func.count()).select_from(stmt.subquery()))
    households = db.session.scalars(
        stmt.options(joinedload(Household.village))
        .order_by(Household.household_no)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    items = [
        {
            "household_no": h.household_no,
            "masked_name": masked_name(h.head_name),
            "members": h.members,
            "status": str(h.status),
            "village": region_json(h.village),
        }
        for h in households
    ]
    return page_json(items, page, per_page, total)
