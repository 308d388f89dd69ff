"""Pages of the households package."""

from flask import Blueprint

bp = Blueprint("households", __name__)
