"""Cache-Control for pages that show ID-card numbers or pickup codes."""

from functools import wraps

from flask import Response, make_response


def forbid_storing(response: Response) -> Response:
    """No browser or proxy keeps a copy: a shared village-point device's back button or
    disk cache must not show the next person someone's ID card or pickup code."""
    response.headers["Cache-Control"] = "no-store"
    return response


def no_store(view):
    """Decorate a view whose page must never be stored (see `forbid_storing`)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        return forbid_storing(make_response(view(*args, **kwargs)))

    return wrapped
