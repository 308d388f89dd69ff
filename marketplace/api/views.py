"""The JSON API v1 blueprint: bearer-token auth, JSON errors, and the resource modules' routes.

The API is exempt from CSRF because it never reads the session cookie (see auth.py), except
the station app's two routes, which check the CSRF header themselves (station_sync.py).
"""

from flask import Blueprint

from ..caching import forbid_storing
from ..extensions import csrf
from . import auth, errors

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
errors.init_blueprint(bp)
auth.init_blueprint(bp)
# Answers carry pickup codes and registry data; a bearer token's answers are never stored.
bp.after_request(forbid_storing)

# The resource modules add their routes to `bp` when imported.
from . import (  # noqa: E402, F401
    carriers,
    claims,
    delivery,
    households,
    lots,
    openapi,
    orders,
    parcels,
    products,
    reports,
    station_sync,
    stations,
    tokens,
)
