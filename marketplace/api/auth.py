"""Bearer-token authentication for the API.

A token is 32 random bytes shown to the client once; the database keeps only its SHA-256
hash, so a leaked table cannot be replayed. The API reads `Authorization: Bearer <token>`
and nothing else: Flask-Login's session cookie is never consulted, so a logged-in browser
tab cannot be made to call the API on the user's behalf (the reason it may skip CSRF).
"""

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import wraps

from flask import Blueprint, current_app, g, request
from sqlalchemy.orm import joinedload

from ..accounts.models import ApiToken, Role, User
from ..clock import utcnow
from ..extensions import db
from ..transaction import verb
from .errors import ApiError

DEFAULT_TOKEN_DAYS = 30


def hash_token(token: str) -> str:
    """The SHA-256 hex digest under which a token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@verb
def issue_token(user: User, days: int, now: datetime | None = None) -> tuple[str, ApiToken]:
    """Create a token for `user` valid for `days`; returns (the token itself, its row)."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        token_hash=hash_token(token),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    db.session.add(row)
    db.session.flush()
    return token, row


def find_live_token(token: str, now: datetime | None = None) -> ApiToken | None:
    """The unrevoked, unexpired token row of an active user for `token`, or None."""
    # One statement: the token, its user and the user's roles.
    stmt = (
        db.select(ApiToken)
        .where(ApiToken.token_hash == hash_token(token))
        .options(joinedload(ApiToken.user).joinedload(User.role_rows))
    )
    row = db.session.scalars(stmt).unique().first()
    now = now or utcnow()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    if not row.user.active:
        return None
    return row


@verb
def revoke_token(row: ApiToken, now: datetime | None = None) -> None:
    """Revoke a token from now on (idempotent)."""
    if row.revoked_at is None:
        row.revoked_at = now or utcnow()
    db.session.flush()


def token_days() -> int:
    """How long new tokens live (config API_TOKEN_DAYS)."""
    return int(current_app.config.get("API_TOKEN_DAYS", DEFAULT_TOKEN_DAYS))


def _authenticate_request() -> None:
    """Set g.api_user from the bearer token; a token that is sent must be valid."""
    g.api_user = None
    g.api_token = None
    header = request.headers.get("Authorization")
    if header is None:
        return
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise ApiError(401)
    row = find_live_token(token)
    if row is None:
        raise ApiError(401)
    g.api_token = row
    g.api_user = row.user


def current_api_user() -> User | None:
    """The user of this request's bearer token, or None for an anonymous request."""
    return g.get("api_user")


def token_required(view):
    """Allow the view only with a valid bearer token (401 otherwise)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_api_user() is None:
            raise ApiError(401)
        return view(*args, **kwargs)

    return wrapped


def roles_required(*roles: Role | str):
    """Allow the view only to token holders with one of `roles` (401 without token, 403)."""

    def decorator(view):
        @wraps(view)
        @token_required
        def wrapped(*args, **kwargs):
            if not current_api_user().has_role(*roles):
                raise ApiError(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def init_blueprint(bp: Blueprint) -> None:
    """Authenticate every API request by its bearer token before the view runs."""
    bp.before_request(_authenticate_request)
