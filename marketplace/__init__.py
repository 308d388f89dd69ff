"""Linxia Marketplace: the Flask application factory."""

import importlib
import os
import secrets

from flask import Flask

from .config import engine_options, load_config, public_urls

BLUEPRINTS = (
    "core",
    "regions",
    "accounts",
    "catalog",
    "households",
    "orders",
    "payments",
    "logistics",
    "reports",
    "claims",
    "api",
    "jobs",
    "notifications",
)

# Modules that register jobs (`jobs.registry.job`); imported at start-up, like the views.
JOB_MODULES = (
    "payments.unpaid",
    "orders.uncollected",
    "reports.reconcile",
    "households.background",
    "reports.background",
    "notifications.sending",
    "orders.receipts",
    "claims.escalation",
)


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure one app; `test_config` overrides the environment."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    from .web import MarketplaceApp

    app = MarketplaceApp(
        __name__,
        instance_relative_config=True,
        template_folder=os.path.join(root, "templates"),
        static_folder=os.path.join(root, "static"),
    )
    app.config.from_mapping(load_config(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)
        if "SQLALCHEMY_ENGINE_OPTIONS" not in test_config:
            uri = app.config["SQLALCHEMY_DATABASE_URI"]
            app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(uri)
    _require_secret_key(app)
    public_urls(app.config, app.debug or app.testing or os.environ.get("FLASK_DEBUG") == "1")
    os.makedirs(app.instance_path, exist_ok=True)
    os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)

    from . import web

    web.init_app(app)
    for name in BLUEPRINTS:
        # Views are imported here only: importing a package's models or services never
        # pulls in the web layer (and so never makes an import cycle through it).
        module = importlib.import_module(f"{__name__}.{name}.views")
        app.register_blueprint(module.bp)

    for name in JOB_MODULES:
        importlib.import_module(f"{__name__}.{name}")
    from .jobs import queue

    queue.init_app(app)

    from . import cli

    cli.init_app(app)
    return app


def _require_secret_key(app: Flask) -> None:
    if app.config.get("SECRET_KEY"):
        return
    if app.debug or app.testing or os.environ.get("FLASK_DEBUG") == "1":
        # A random key per process, never a known one: FLASK_DEBUG=1 left on under gunicorn
        # must not let anyone sign a session. The price is small on the development server
        # (a reload logs you out) and, under gunicorn, logins that do not hold across
        # workers: a missing SECRET_KEY shows at once instead of being open to forgery.
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        app.config["SESSION_COOKIE_SECURE"] = False
        app.config["REMEMBER_COOKIE_SECURE"] = False
        return
    raise RuntimeError("SECRET_KEY must be set outside debug and testing (see README).")
