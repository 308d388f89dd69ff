"""Pages of the logistics package."""

from flask import Blueprint

bp = Blueprint("logistics", __name__)
