"""Home page and the language switch."""

import logging
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, g, redirect, render_template, request
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from .. import pagecache
from ..accounts.permissions import admin_required
from ..extensions import LANGUAGE_COOKIE, db
from ..extras import extras_for
from ..payments.services import count_needing_attention

bp = Blueprint("core", __name__)
log = logging.getLogger(__name__)


@bp.get("/")
def home():
    # The same for everyone but the header: rendered once per language (pagecache).
    return pagecache.respond(pagecache.blocks(("home", g.locale_code), "home.html", dict))


@bp.get("/language/<code>")
def set_language(code: str):
    """Remember the chosen language in a cookie and go back where the user was."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    target = request.args.get("next", "/")
    if not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc:
        target = "/"
    response = redirect(target)
    response.set_cookie(
        LANGUAGE_COOKIE,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
    )
    return response


@bp.get("/livez")
def livez():
    """Liveness: the process answers (restart it if not); touches nothing else."""
    return {"status": "ok"}


@bp.get("/healthz")
def healthz():
    """Readiness: the database answers too, so a load balancer stops sending requests to
    a worker that would only fail them (503)."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except SQLAlchemyError:
        log.warning("Health check: the database does not answer", exc_info=True)
        return {"status": "unavailable", "database": "down"}, 503
    return {"status": "ok"}


@bp.get("/admin")
@admin_required
def admin():
    """The administrator's start page: links to every administrative area that exists."""
    return render_template(
        "core/admin.html",
        payments_attention=count_needing_attention(),
        extras=extras_for("core.admin", None, current_user),
    )
