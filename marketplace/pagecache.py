"""Pages whose main part is the same for everyone, rendered once and cached.

A page template is rendered as usual, but only its blocks (title, head, content, scripts)
and without anything personal; that is cached under a key the view gives (what the page
shows: its query, the catalogue's stamp, the language). Each request then renders
`base.html` around the cached blocks (header, cart, flashes: per person) and fills the
page's slots, places the template marks with `slot(kind, id)` for what must be fresh or
personal (units left, the add-to-cart form with the CSRF token), from the view's
`fillers`. Flask-Caching holds the blocks: Redis when `REDIS_URL` is set (shared by every
worker), else a SimpleCache in each process. A cache that cannot be reached is skipped
(logged), never an error page.
"""

import hashlib
import logging
import re
from collections.abc import Callable

from flask import current_app, make_response, render_template, request, session
from flask_caching import Cache
from flask_login import current_user
from markupsafe import Markup

from . import assets

log = logging.getLogger(__name__)
cache = Cache()
BLOCKS = ("title", "head", "content", "scripts")
_SLOT = re.compile(r"<!--slot:(\w+):(\d+)-->")


def init_app(app) -> None:
    config = app.config
    redis_url = config.get("REDIS_URL")
    seconds = int(config.get("PAGE_CACHE_SECONDS", 300))
    # One database, one set of keys: two apps on one Redis never share pages.
    database = hashlib.sha1(str(config.get("SQLALCHEMY_DATABASE_URI")).encode()).hexdigest()[:8]
    settings = {
        "CACHE_TYPE": "RedisCache" if redis_url else "SimpleCache",
        "CACHE_DEFAULT_TIMEOUT": seconds,
        "CACHE_KEY_PREFIX": f"{config.get('PAGE_CACHE_PREFIX', 'linxia:page:')}{database}:",
        "CACHE_THRESHOLD": 2000,
    }
    if redis_url:
        settings["CACHE_REDIS_URL"] = redis_url
    if not config.get("PAGE_CACHE_ENABLED", True) or seconds <= 0:
        settings["CACHE_TYPE"] = "NullCache"
    cache.init_app(app, config=settings)
    app.jinja_env.globals["slot"] = slot


def slot(kind: str, item_id: int) -> Markup:
    """A mark in a cached page, filled on each request by the view's filler for `kind`."""
    return Markup(f"<!--slot:{kind}:{int(item_id)}-->")


def slot_ids(blocks: dict, kind: str) -> list[int]:
    """The ids of the `kind` slots in a page's blocks, in page order."""
    return [int(m[2]) for m in _SLOT.finditer(blocks["content"]) if m[1] == kind]


def render_blocks(template_name: str, **context) -> dict[str, str]:
    """The page's own blocks rendered with `context` and the app's template context (no
    personal values may be used in them: they are shared)."""
    app = current_app._get_current_object()
    template = app.jinja_env.get_template(template_name)
    app.update_template_context(context)
    ctx = template.new_context(context)
    return {
        name: "".join(template.blocks[name](ctx)) if name in template.blocks else ""
        for name in BLOCKS
    }


def blocks(key: tuple | None, template_name: str, build: Callable[[], dict]) -> dict:
    """The cached blocks of `template_name` for `key`, rendered with `build()` when missing
    (or at once when `key` is None: a page that must not be shared)."""
    if key is None:
        return render_blocks(template_name, **build())
    digest = hashlib.sha1(repr(key).encode("utf-8")).hexdigest()
    name = f"{template_name}:{assets.version()}:{digest}"
    if _shared_with_visitors():
        try:
            whole = cache.get(_visitor_key(name))
        except Exception:  # noqa: BLE001
            whole = None
        if whole is not None:  # one GET: the blocks are not needed
            return {"_key": name, "_whole": whole, "content": whole}
    try:
        found = cache.get(name)
    except Exception:  # noqa: BLE001  (Redis down: serve uncached)
        log.warning("Page cache unreachable; rendering without it", exc_info=True)
        return render_blocks(template_name, **build())
    if found is None:
        found = render_blocks(template_name, **build())
        _store(name, found)
    return {**found, "_key": name}


def _store(name: str, value) -> None:
    try:
        cache.set(name, value)
    except Exception:  # noqa: BLE001
        log.warning("Page cache unreachable; page not stored", exc_info=True)


def _whole_page(page: dict) -> str:
    """base.html around the blocks, slots still marked. A visitor who is not logged in and
    has no message waiting sees the same header as every other: that whole page is cached
    too (per path), so only the slots are rendered for them."""
    if "_whole" in page:
        return page["_whole"]
    blocks = {k: Markup(v) for k, v in page.items() if k in BLOCKS}
    html = render_template("cached_page.html", page=blocks)
    if page.get("_key") and _shared_with_visitors():
        _store(_visitor_key(page["_key"]), html)
    return html


def _shared_with_visitors() -> bool:
    return not current_user.is_authenticated and "_flashes" not in session


def _visitor_key(name: str) -> str:
    return f"{name}:visitor:{request.full_path}"


def respond(page: dict, fillers: dict[str, Callable[[int], str]] | None = None):
    """The whole page: base.html around the blocks, slots filled; an ETag so a browser
    that has this very page gets 304 (revalidated every time: it is personal)."""
    fillers = fillers or {}

    html = _SLOT.sub(lambda m: str(fillers[m[1]](int(m[2]))), _whole_page(page))
    response = make_response(html)
    response.headers["Cache-Control"] = "private, no-cache"
    response.add_etag()
    return response.make_conditional(request)
