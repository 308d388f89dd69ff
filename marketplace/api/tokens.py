"""Tokens: exchange a login and password for a bearer token, and revoke it."""

from flask import current_app, g
from flask_babel import lazy_gettext as _l

from ..accounts.services import authenticate, revoke_all_tokens
from ..extensions import limiter
from .auth import current_api_user, issue_token, revoke_token, token_days, token_required
from .errors import ApiError
from .params import json_body, text_field
from .serializers import iso_datetime, user_json
from .views import bp


def _login_limit() -> str:
    # The same budget as the login page: tokens must not be an easier way to guess passwords.
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.post("/tokens")
@limiter.limit(_login_limit)
def create_token():
    """Log in with an e-mail address or mobile number and a password; 201 with a new token."""
    body = json_body()
    login = text_field(body, "login")
    password = text_field(body, "password", max_length=128)
    user = authenticate(login, password)
    if user is None:
        raise ApiError(401, "invalid_credentials", _l("Wrong e-mail/mobile number or password."))
    token, row = issue_token(user, token_days())
    return {
        "token": token,
        "token_type": "Bearer",
        "expires_at": iso_datetime(row.expires_at),
        "user": user_json(user),
    }, 201


@bp.delete("/tokens/current")
@token_required
def revoke_current_token():
    """Revoke the token this request was made with; 204."""
    revoke_token(g.api_token)
    return "", 204


@bp.delete("/tokens")
@token_required
def revoke_all_my_tokens():
    """Revoke every token of the caller (log out on every device); 204."""
    revoke_all_tokens(current_api_user())
    return "", 204
