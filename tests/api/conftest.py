"""API test helpers: bearer tokens for a user, and the headers that carry them."""

import pytest

from marketplace.api.auth import issue_token
from marketplace.extensions import db


@pytest.fixture
def bearer(app):
    """bearer(user, days=30, now=None) -> {"Authorization": "Bearer <a new token>"}."""

    def bearer(user, days=30, now=None):
        token, _ = issue_token(user, days, now=now)
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    return bearer
