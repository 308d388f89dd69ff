"""Pages of the payments package."""

from flask import Blueprint

bp = Blueprint("payments", __name__)
