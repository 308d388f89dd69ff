"""Households of the poverty registry, as the registry's own visibility rule allows:
administrators see all, cooperative managers those of their cooperatives' townships.

Names are masked for everyone and identity-card numbers never leave the server here.
"""

from ..accounts.models import Role
from ..extensions import db
from ..households.models import Household
from ..households.services import visible_households
from .auth import current_api_user, roles_required
from .params import int_arg, page_args, region_code_arg
from .serializers import household_json, page_json
from .views import bp


@bp.get("/households")
@roles_required(Role.admin, Role.cooperative_manager)
def list_households():
    """Registered households by number: all for admins, their townships' for managers."""
    page, per_page = page_args()
    township_code = region_code_arg("township_code", 9)
    village_id = int_arg("village_id")
    stmt = visible_households(current_api_user(), area_code=township_code)
    if village_id:
        stmt = stmt.where(Household.village_id == village_id)
    found = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    return page_json([household_json(h) for h in found.items], page, per_page, found.total)
