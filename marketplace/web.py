"""Web plumbing shared by every page: extensions, language, security headers, error pages."""

from flask import Flask, g, jsonify, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

from . import assets, clock, datefmt, inputs, money, pagecache, transaction
from .extensions import (
    babel,
    bootstrap,
    csrf,
    db,
    limiter,
    login_manager,
    migrate,
    select_locale,
)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self' 'unsafe-inline'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        # Stripe Checkout is reached by a redirect after the checkout form is posted.
        "form-action 'self' https://checkout.stripe.com",
    ]
)


class MarketplaceApp(Flask):
    """Flask with the second half of the unit of work: a view may answer `after_commit`."""

    def dispatch_request(self):
        answer = super().dispatch_request()
        if isinstance(answer, transaction.AfterCommit):
            transaction.commit()
            answer = answer.respond()
            transaction.commit()
        return answer


def init_app(app: Flask) -> None:
    """Bind extensions and register request hooks, filters and error handlers."""
    from . import models  # noqa: F401  (every model registered before migrations look)

    _trust_proxy(app)
    # Before any blueprint adds its routes: every <int:...> is a bounded id.
    app.url_map.converters["int"] = inputs.IdConverter
    app.before_request(inputs.refuse_nul)

    db.init_app(app)
    migrate.init_app(app, db, directory=_migrations_dir(app))
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "warning"
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=";".join(_translation_dirs(app)),
    )
    bootstrap.init_app(app)
    limiter.init_app(app)
    pagecache.init_app(app)
    assets.init_app(app)

    app.jinja_env.filters["fen"] = money.format_fen
    app.jinja_env.filters["beijing"] = clock.format_local  # naive UTC shown in Beijing time
    datefmt.register(app)  # one date format per language, Beijing time (replaces the above)
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def inject_locale():
        return {
            "locale": str(get_locale() or "zh"),
            "languages": app.config["LANGUAGES"],
            "has_endpoint": lambda name: name in app.view_functions,
        }

    @app.after_request
    def commit_or_roll_back(response):
        """The one commit point of a request: keep its work if the answer is a success."""
        if response.status_code < 400:
            transaction.commit()
        else:
            transaction.rollback()
        return response

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        response.vary.add("Cookie")
        return response

    _register_error_handlers(app)


PROXY_HEADERS = ("for", "proto", "host", "port", "prefix")


def _trust_proxy(app: Flask) -> None:
    """Behind a reverse proxy, read the client's address (and scheme, host...) from the
    X-Forwarded-* headers the configured number of proxies set; else rate limits count
    every visitor as the proxy. Off (0) by default: without a proxy they can be forged."""
    hops = {name: int(app.config.get(f"PROXY_FIX_X_{name.upper()}") or 0) for name in PROXY_HEADERS}
    if any(hops.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, **{f"x_{name}": n for name, n in hops.items()})


def _migrations_dir(app: Flask) -> str:
    import os

    return os.path.join(os.path.dirname(app.root_path), "migrations")


def _translation_dirs(app: Flask) -> list[str]:
    """Each domain package keeps its own catalogue; Flask-Babel merges them."""
    from .i18n import translation_dirs

    return translation_dirs(app.root_path)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def _register_error_handlers(app: Flask) -> None:
    from .errors import DomainError

    def error_page(status: int, title, message):
        if wants_json():
            code = {
                400: "bad_request",
                401: "unauthorized",
                403: "forbidden",
                404: "not_found",
                405: "method_not_allowed",
                409: "conflict",
                413: "too_large",
                429: "rate_limited",
            }.get(status, "server_error")
            return jsonify(error=code, message=str(message)), status
        return render_template(
            "errors/error.html", status=status, title=title, message=message
        ), status

    @app.errorhandler(400)
    def bad_request(e):
        return error_page(400, _l("Bad request"), getattr(e, "description", ""))

    @app.errorhandler(SecurityError)
    def untrusted_host(e):
        # A Host outside TRUSTED_HOSTS: no URL can be built for it, so no page either.
        return "Bad request: unknown host.", 400, {"Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(CSRFError)
    def csrf_error(e):
        return error_page(
            400,
            _l("Bad request"),
            _l("The form expired or was sent from elsewhere. Please try again."),
        )

    @app.errorhandler(403)
    def forbidden(e):
        return error_page(
            403, _l("Not allowed"), _l("Your account does not have permission to see this page.")
        )

    @app.errorhandler(404)
    def not_found(e):
        return error_page(
            404,
            _l("Page not found"),
            _l("We could not find that page. It may have moved or never existed."),
        )

    @app.errorhandler(405)
    def method_not_allowed(e):
        # RFC 9110 requires Allow; a handler's own answer drops werkzeug's headers.
        body, status = error_page(405, _l("Not allowed"), _l("That action is not allowed here."))
        allow = {"Allow": ", ".join(e.valid_methods)} if getattr(e, "valid_methods", None) else {}
        return body, status, allow

    @app.errorhandler(413)
    def too_large(e):
        return error_page(413, _l("Too large"), _l("The upload is too large."))

    @app.errorhandler(429)
    def too_many(e):
        return error_page(
            429,
            _l("Too many attempts"),
            _l("Too many attempts. Please wait a minute and try again."),
        )

    @app.errorhandler(DomainError)
    def domain_error(e):
        transaction.rollback()
        return error_page(e.status_code, _l("Sorry"), e.message)

    @app.errorhandler(500)
    def server_error(e):
        # The failed request may have left the session mid-transaction.
        transaction.rollback()
        return error_page(
            500,
            _l("Something went wrong"),
            _l("An unexpected error happened. Nothing was saved; please try again."),
        )

    @app.before_request
    def remember_request_start():
        g.locale_code = str(get_locale() or "zh")
