"""Browse the region tree of Linxia."""

from flask import Blueprint, abort, render_template

from . import services
from .models import RegionLevel

bp = Blueprint("regions", __name__, url_prefix="/regions")


@bp.get("/")
def index():
    return region(services.PREFECTURE_CODE)


@bp.get("/<code>")
def region(code: str):
    node = services.get_by_code(code) or abort(404)
    children = list(node.children)
    counts = {
        child.id: services.child_counts(child)
        for child in children
        if child.level != RegionLevel.village
    }
    return render_template(
        "regions/region.html",
        region=node,
        children=children,
        counts=counts,
        totals=services.child_counts(node) if node.level != RegionLevel.village else None,
        village=services.village_sections(node) if node.level == RegionLevel.village else None,
    )
