"""Configuration defaults and their environment-variable overrides."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from .clock import LOCAL_TZ_NAME
from .jobs.settings import job_settings


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def engine_options(database_url: str) -> dict:
    """Engine options that suit the database behind `database_url`."""
    if database_url.startswith("sqlite"):
        # Concurrent checkouts wait for the write lock instead of failing at once.
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True}


def load_config(instance_path: str) -> dict:
    """Return the settings for one app, read from the environment at start-up."""
    instance = Path(instance_path)
    default_db = f"sqlite:///{instance / 'marketplace.db'}"
    database_url = os.environ.get("DATABASE_URL", default_db)
    if database_url.startswith("postgresql://"):
        # psycopg 3 is the only PostgreSQL driver we install.
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    redis_url = os.environ.get("REDIS_URL") or None
    cookies_secure = _env_bool("SESSION_COOKIE_SECURE", True)
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url),
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Redis down must not stop logins: count in each process's memory until it is back
        # (Flask-Limiter logs the switch as a warning and checks Redis again now and then).
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        # Registration says when an address is taken: a tight budget per client address
        # keeps that from being a way to list who has an account.
        "REGISTER_RATE_LIMIT": os.environ.get("REGISTER_RATE_LIMIT", "10 per hour"),
        # Following a parcel without an account: wrong phone digits per parcel code.
        "TRACK_RATE_LIMIT": os.environ.get("TRACK_RATE_LIMIT", "5 per 15 minutes"),
        "STRIPE_SECRET_KEY": os.environ.get("STRIPE_SECRET_KEY") or None,
        "STRIPE_WEBHOOK_SECRET": os.environ.get("STRIPE_WEBHOOK_SECRET") or None,
        "STRIPE_API_BASE": os.environ.get("STRIPE_API_BASE") or None,
        "STRIPE_PAYMENT_METHOD_TYPES": os.environ.get(
            "STRIPE_PAYMENT_METHOD_TYPES", "card,alipay,wechat_pay"
        ).split(","),
        # How many reverse proxies in front set each X-Forwarded-* header (0: none, ignored).
        **{
            f"PROXY_FIX_X_{name}": int(os.environ.get(f"PROXY_FIX_X_{name}", "0"))
            for name in ("FOR", "PROTO", "HOST", "PORT", "PREFIX")
        },
        # Express carriers: the signed tracking webhook, the aggregator that pushes to it,
        # and how many days after the hand-over to a carrier a parcel counts as received.
        "CARRIER_WEBHOOK_SECRET": os.environ.get("CARRIER_WEBHOOK_SECRET") or None,
        "CARRIER_API_BASE": os.environ.get("CARRIER_API_BASE") or None,
        "CARRIER_API_KEY": os.environ.get("CARRIER_API_KEY") or None,
        "AUTO_CONFIRM_DAYS": int(os.environ.get("AUTO_CONFIRM_DAYS", "10")),
        # Shop, product and home pages: their shared part cached this long (0: off), in
        # Redis when REDIS_URL is set (see marketplace/pagecache.py).
        "PAGE_CACHE_SECONDS": int(os.environ.get("PAGE_CACHE_SECONDS", "300")),
        "PAGE_CACHE_PREFIX": os.environ.get("PAGE_CACHE_PREFIX", "linxia:page:"),
        # How long a worker trusts the units left and the catalogue stamp it read (seconds).
        "CATALOG_FRESH_SECONDS": float(os.environ.get("CATALOG_FRESH_SECONDS", "1")),
        "PLATFORM_FEE_BP": int(os.environ.get("PLATFORM_FEE_BP", "500")),
        "UPLOAD_FOLDER": os.environ.get("UPLOAD_FOLDER", str(instance / "uploads")),
        # Claims (issue 14): days after delivery a buyer may claim (perishable goods:
        # fewer), hours the cooperative has to answer before administrators decide.
        "CLAIM_DAYS": int(os.environ.get("CLAIM_DAYS", "7")),
        "CLAIM_PERISHABLE_DAYS": int(os.environ.get("CLAIM_PERISHABLE_DAYS", "2")),
        "CLAIM_ANSWER_HOURS": int(os.environ.get("CLAIM_ANSWER_HOURS", "48")),
        "MAX_CONTENT_LENGTH": 32 * 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "zh",
        "BABEL_DEFAULT_TIMEZONE": LOCAL_TZ_NAME,
        "LANGUAGES": ["zh", "en"],
        "BOOTSTRAP_SERVE_LOCAL": True,
        "BOOTSTRAP_BTN_SIZE": "lg",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": cookies_secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # "Keep me logged in" on a shared village-point device: https only, and a month.
        "REMEMBER_COOKIE_SECURE": _env_bool("REMEMBER_COOKIE_SECURE", cookies_secure),
        "REMEMBER_COOKIE_DURATION": timedelta(
            days=int(os.environ.get("REMEMBER_COOKIE_DAYS", "30"))
        ),
        "WTF_CSRF_TIME_LIMIT": None,
        # A werkzeug hash method. scrypt is slow on purpose (about 0.1 s a hash); the test
        # suite, which makes hundreds of users, sets a cheap one.
        "PASSWORD_HASH_METHOD": os.environ.get("PASSWORD_HASH_METHOD", "scrypt"),
        # Where the public reaches the app: every absolute URL (QR codes, trace links,
        # Stripe's return pages) is built on it. Required outside debug and testing.
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL") or None,
        # Host names requests may carry (comma-separated); default: PUBLIC_BASE_URL's host.
        "TRUSTED_HOSTS": _env_list("TRUSTED_HOSTS"),
        **job_settings(),
    }


DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"


def _env_list(name: str) -> list[str] | None:
    items = [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]
    return items or None


def public_urls(config: dict, development: bool) -> None:
    """Settle PUBLIC_BASE_URL and TRUSTED_HOSTS: the development server gets
    http://127.0.0.1:5000 and takes any Host; production must name its base URL, and then
    answers 400 to a Host other than its own (or those of TRUSTED_HOSTS)."""
    base = config.get("PUBLIC_BASE_URL")
    if not base:
        if not development:
            raise RuntimeError(
                "PUBLIC_BASE_URL must be set outside debug and testing, e.g. "
                "https://linxia.example (see README)."
            )
        config["PUBLIC_BASE_URL"] = base = DEVELOPMENT_BASE_URL
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RuntimeError(f"PUBLIC_BASE_URL is not an http(s) URL: {base!r}")
    if not development and not config.get("TRUSTED_HOSTS"):
        config["TRUSTED_HOSTS"] = [parts.hostname]
