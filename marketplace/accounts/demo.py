"""Demo accounts (password `linxia-demo`, listed in the README)."""

from ..extensions import db
from .models import Role, User
from .services import find_user_by_login, set_roles

DEMO_PASSWORD = "linxia-demo"
DEMO_USERS = (
    ("admin@example.com", "管理员 Admin (示例)", {Role.admin}),
    ("coop@example.com", "百合合作社经理 Coop manager (示例)", {Role.cooperative_manager}),
    ("station@example.com", "村级服务点操作员 Station operator (示例)", {Role.station_operator}),
    ("buyer@example.com", "买家 Buyer (示例)", set()),
)


def load(scale: str = "demo") -> str:
    """Create the four demo accounts if missing."""
    created = 0
    for email, name, roles in DEMO_USERS:
        user = find_user_by_login(email)
        if user is None:
            user = User(email=email, name=name)
            user.set_password(DEMO_PASSWORD)
            db.session.add(user)
            db.session.flush()
            created += 1
        set_roles(user, user.roles | roles)
    return f"{created} demo users created"
