"""Factory fixtures: each returns a `create_x(...)` callable that flushes what it makes."""

import itertools

import pytest

from marketplace.accounts.models import Role, User
from marketplace.extensions import db
from marketplace.regions.models import Region, RegionLevel
from marketplace.regions.services import get_by_code

_counter = itertools.count(1)
DEFAULT_PASSWORD = "linxia-demo"


@pytest.fixture
def create_user(app):
    def create_user(email=None, name="Test User", roles=(), password=DEFAULT_PASSWORD, phone=None):
        n = next(_counter)
        user = User(email=email or f"user{n}@example.com", phone=phone, name=name)
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
        from marketplace.accounts.services import set_roles

        set_roles(user, {Role(r) for r in roles})
        db.session.commit()
        return user

    return create_user


@pytest.fixture
def create_village(app):
    def create_village(township_code="622923100", name=None, poverty=True, deep=False):
        township = get_by_code(township_code)
        n = next(_counter)
        village = Region(
            code=f"{township_code}{n:03d}",
            name_zh=name or f"测试村{n}",
            name_en=f"Test village {n}",
            level=RegionLevel.village,
            parent=township,
            is_poverty_village=poverty,
            is_deep_poverty_village=deep,
            is_sample=True,
        )
        db.session.add(village)
        db.session.commit()
        return village

    return create_village
