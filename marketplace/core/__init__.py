"""Pages that belong to no single domain: home page and language switch."""

from .views import bp  # noqa: F401
