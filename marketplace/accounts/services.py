"""Accounts: registration, login lookup, passwords and roles."""

import functools
import re

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from ..clock import utcnow
from ..errors import Conflict, DomainError
from ..extensions import db
from ..transaction import verb
from .models import ApiToken, Role, User, UserRole

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalise_login(login: str) -> tuple[str | None, str | None]:
    """Split a login into (email, phone): mainland mobile numbers, else an e-mail address."""
    value = login.strip()
    digits = re.sub(r"[\s-]", "", value)
    if digits.startswith("+86"):
        digits = digits[3:]
    if PHONE_RE.match(digits):
        return None, digits
    return value.lower(), None


def password_is_weak(password: str, login: str | None = None, *personal: str | None) -> bool:
    """True for what a guesser tries first: common passwords, sequences like 12345678,
    the login itself or a password built on it (zxcvbn's score below 2 of 4)."""
    if len(password) > 128:
        return False  # the form's length check refuses it; zxcvbn is slow on long input
    lowered = password.lower()
    login = (login or "").strip().lower()
    if login:
        email, phone = normalise_login(login)
        if any(value and value in lowered for value in (login, email, phone)):
            return True
    hints = [v.strip().lower() for v in (login, *personal) if v and v.strip()]
    if login and "@" in login:
        hints.append(login.split("@", 1)[0])
    return zxcvbn(password, user_inputs=hints)["score"] < 2


def find_user_by_login(login: str) -> User | None:
    """The user whose e-mail or mobile number is `login`."""
    email, phone = normalise_login(login)
    if phone:
        stmt = db.select(User).where(User.phone == phone)
    else:
        stmt = db.select(User).where(func.lower(User.email) == email)
    return db.session.scalar(stmt)


@functools.cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash("no such account", method=method)


def authenticate(login: str, password: str) -> User | None:
    """The active user with these credentials, or None. An unknown login costs one hash
    check too, so the time of the answer does not tell whether the account exists."""
    user = find_user_by_login(login)
    if user is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


@verb
def register_user(
    name: str, password: str, email: str | None = None, phone: str | None = None
) -> User:
    """Create a buyer account; e-mail and phone must be unused."""
    email = email.strip().lower() if email else None
    phone = normalise_login(phone)[1] if phone else None
    if not email and not phone:
        raise DomainError(_l("An e-mail address or a mobile number is required."))
    clauses = []
    if email:
        clauses.append(func.lower(User.email) == email)
    if phone:
        clauses.append(User.phone == phone)
    if db.session.scalar(db.select(User.id).where(or_(*clauses))):
        raise Conflict(_l("An account with this e-mail address or mobile number already exists."))
    user = User(name=name.strip(), email=email, phone=phone)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


@verb
def change_password(user: User, current: str, new: str) -> None:
    """Set a new password after checking the current one; ends the user's other sessions
    and revokes their API tokens (a stolen password must not live on in a token)."""
    if not user.check_password(current):
        raise DomainError(_l("The current password is wrong."))
    user.set_password(new)
    user.session_version += 1
    revoke_all_tokens(user)
    db.session.flush()


@verb
def end_sessions(user: User) -> None:
    """Log `user` out everywhere: the session and remember cookies carry the old version,
    so a copy kept or replayed after logout no longer loads the user."""
    user.session_version += 1
    db.session.flush()


@verb
def revoke_all_tokens(user: User, now=None) -> int:
    """Revoke every API token of `user` that is not revoked yet; returns how many."""
    result = db.session.execute(
        db.update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount


@verb
def set_roles(user: User, roles: set[Role]) -> None:
    """Replace the user's extra roles with `roles`."""
    wanted = {Role(r) for r in roles}
    for row in list(user.role_rows):
        if row.role not in wanted:
            user.role_rows.remove(row)
    have = user.roles
    for role in sorted(wanted - have):
        user.role_rows.append(UserRole(role=role))
    db.session.flush()


def load_user_from_session_id(session_id: str) -> User | None:
    """Flask-Login loader: '<id>:<session_version>' so a password change ends old sessions."""
    try:
        user_id, version = (int(part) for part in session_id.split(":", 1))
    except ValueError:
        return None
    # One query with the roles (every page's header asks for them).
    user = db.session.get(User, user_id, options=[joinedload(User.role_rows)])
    if user is None or user.session_version != version:
        return None
    return user


def list_users(query: str | None = None, page: int = 1, per_page: int = 30):
    """Users for the admin list, newest first, optionally filtered by name/e-mail/phone."""
    stmt = db.select(User).order_by(User.id.desc())
    if query:
        like = f"%{query.strip()}%"
        stmt = stmt.where(
            or_(User.name.ilike(like), User.email.ilike(like), User.phone.ilike(like))
        )
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)
