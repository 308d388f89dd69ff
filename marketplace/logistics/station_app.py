"""The station app: an installable page (web app manifest, icons, service worker) under
/station-app/ that keeps working without a signal. The page keeps the station's expected
parcels and the scans recorded offline in the phone's IndexedDB and sends them through the
API (`api/station_sync.py`) when it can; the service worker keeps the page and its files.

Everything is served here (no CDN). The JavaScript's words come from the catalogue, written
into the page as JSON, so both languages work offline.
"""

import hashlib
from functools import cache
from pathlib import Path

from flask import current_app, jsonify, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from ..caching import no_store
from .labels import SCAN_ACTION_LABELS
from .models import ScanAction
from .network import stations_of
from .views import bp, operator_required

START = "/station-app/"
# The files the page needs, kept by the service worker when it installs.
ASSETS = (
    "station-app/app.js",
    "station-app/app.css",
    "station-app/vendor/jsQR-1.4.0.js",
    "station-app/icon-192.png",
    "station-app/icon-512.png",
    "css/app.css",
    "img/logo.svg",
)
# The words the page's script shows (it renders them from this table, offline too).
WORDS = {
    "pending": _l("Waiting to send"),
    "applied": _l("Sent and recorded"),
    "duplicate": _l("Sent and recorded"),
    "refused": _l("Refused"),
    "sending": _l("Sending…"),
    "sent_all": _l("Everything is sent."),
    "offline": _l("No connection: scans are kept on this phone and sent later."),
    "send_failed": _l("Could not send now; the scans stay on this phone."),
    "log_in_again": _l("Log in again to send the scans waiting on this phone."),
    "synced_at": _l("Parcels as of"),
    "never_synced": _l("The station's parcels were never loaded on this phone."),
    "no_parcels": _l("No parcels expected."),
    "unknown_parcel": _l("This parcel is not in the list synced to the phone."),
    "type_code": _l("Type or scan a parcel code."),
    "pickup_needed": _l("Type the buyer's 6-digit pickup code."),
    "pickup_wrong": _l("The pickup code is wrong. Ask the buyer for the 6-digit code."),
    "pickup_locked": _l("Too many wrong pickup codes: wait 15 minutes."),
    "pickup_unchecked": _l(
        "The pickup code could not be checked on the phone; the server checks it."
    ),
    "cash_wrong": _l("Collect exactly the cash due before handing over."),
    "recorded": _l("Scan recorded on the phone."),
    "camera_unavailable": _l("The camera cannot be used here: type the code."),
    "camera_stop": _l("Stop the camera"),
    "cash_due": _l("Cash due"),
    "buyer": _l("Buyer"),
    "next": _l("Next scan"),
    "what_to_do": _l("What to do"),
    "log_in": _l("Log in"),
    "scanned": _l("Scanned"),
}


@cache
def _version() -> str:
    """Changes whenever a file the service worker keeps changes: a new cache."""
    digest = hashlib.sha256()
    static = Path(current_app.static_folder)
    for name in ASSETS:
        digest.update((static / name).read_bytes())
    digest.update(Path(current_app.root_path, "..", "templates", "logistics", "station_app.html")
                  .resolve().read_bytes())  # fmt: skip
    return digest.hexdigest()[:12]


def _shell() -> list[str]:
    return [START] + [url_for("static", filename=name) for name in ASSETS]


@bp.get("/station-app/")
@operator_required
def station_app():
    """The app's page: with several stations, the operator chooses (`?station=`)."""
    stations = stations_of(current_user)
    chosen = request.args.get("station", type=int)
    current = next((s for s in stations if s.id == chosen), None)
    if current is None and len(stations) == 1:
        current = stations[0]
    data = {
        "version": _version(),
        "user_id": current_user.id,
        "locale": _locale(),
        "stations": [{"id": s.id, "name": s.display_name(_locale())} for s in stations],
        "station_id": current.id if current else None,
        "actions": {str(a): str(SCAN_ACTION_LABELS[a]) for a in ScanAction},
        "words": {key: str(text) for key, text in WORDS.items()},
        "urls": {
            "start": START,
            "sw": url_for("logistics.station_app_worker"),
            "csrf": url_for("logistics.station_app_csrf"),
            "login": url_for("accounts.login", next=START),
            "expected": "/api/v1/stations/{id}/expected",
            "batch": "/api/v1/scans/batch",
            "assets": _shell(),
        },
    }
    return render_template(
        "logistics/station_app.html",
        stations=stations,
        station=current,
        data=data,
        actions=[(str(a), SCAN_ACTION_LABELS[a]) for a in ScanAction],
    )


def _locale() -> str:
    return str(get_locale() or "zh")


@bp.get("/station-app/csrf")
@operator_required
@no_store
def station_app_csrf():
    """A fresh CSRF token for the page's script (its copy may be hours old, from offline)."""
    return jsonify(csrf_token=generate_csrf())


@bp.get("/station-app/sw.js")
def station_app_worker():
    """The service worker, served inside its scope; no-cache so updates are seen at once."""
    body = render_template(
        "logistics/station_app_sw.js", version=_version(), shell=_shell(), start=START
    )
    return (
        body,
        200,
        {
            "Content-Type": "text/javascript; charset=utf-8",
            "Service-Worker-Allowed": START,
            "Cache-Control": "no-cache",
        },
    )


@bp.get("/station-app/manifest.webmanifest")
def station_app_manifest():
    """The web app manifest: what "add to home screen" installs."""
    manifest = {
        "name": str(_l("Linxia station app")),
        "short_name": str(_l("Station app")),
        "description": str(_l("Scan parcels at a station, with or without a signal.")),
        "lang": _locale(),
        "id": START,
        "start_url": START,
        "scope": START,
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#fbf8f4",
        "theme_color": "#9c2b23",
        "icons": [
            {
                "src": url_for("static", filename="station-app/icon-192.png"),
                "sizes": "192x192",
                "type": "image/png",
                "purpose": "any",
            },
            {
                "src": url_for("static", filename="station-app/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "any",
            },
            {
                "src": url_for("static", filename="station-app/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = jsonify(manifest)
    response.mimetype = "application/manifest+json"
    return response
