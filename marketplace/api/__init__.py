"""The JSON API v1 for mobile apps and partners, over the same services as the pages."""

from .views import bp  # noqa: F401
