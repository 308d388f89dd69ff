"""Administrators' pages: stations, links, CSV import and export."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ..accounts.models import Role, User, UserRole
from ..accounts.permissions import admin_required
from ..errors import DomainError
from ..extensions import db
from ..inputs import query_int
from ..regions.models import Region, RegionLevel
from . import csv_io, network
from .forms import ImportForm, LinkForm, StationForm
from .models import Link, Station, StationKind
from .views import bp


def _region_choices() -> list[tuple[int, str]]:
    """Counties, townships and villages labelled with their path, in code order."""
    rows = db.session.execute(
        db.select(Region.id, Region.code, Region.name_zh, Region.parent_id)
        .where(Region.level != RegionLevel.prefecture)
        .order_by(Region.code)
    ).all()
    by_id = {row.id: row for row in rows}
    out = []
    for row in rows:
        path, node = [], row
        while node is not None:
            path.insert(0, node.name_zh)
            node = by_id.get(node.parent_id)
        out.append((row.id, f"{row.code} · {' / '.join(path)}"))
    return out


def _operator_choices() -> list[tuple[int, str]]:
    users = db.session.scalars(
        db.select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.station_operator)
        .order_by(User.name)
    )
    return [(u.id, f"{u.name} ({u.login_name})") for u in users]


def _station_choices() -> list[tuple[int, str]]:
    stations = db.session.scalars(db.select(Station).order_by(Station.code))
    return [(s.id, f"{s.code} · {s.name_zh}") for s in stations]


@bp.get("/admin/stations")
@admin_required
def station_list():
    args = request.args
    kind = args.get("kind")
    stations = network.list_stations(
        q=args.get("q") or None,
        kind=kind if kind in {k.value for k in StationKind} else None,  # unknown: no filter
        county_code=args.get("county") or None,
        page=query_int("page", 1),
    )
    counties = db.session.scalars(
        db.select(Region).where(Region.level == RegionLevel.county).order_by(Region.code)
    ).all()
    return render_template(
        "logistics/station_list.html", stations=stations, counties=counties, args=args
    )


def _station_form(station: Station | None):
    form = StationForm(obj=station)
    if station is not None and request.method == "GET":
        form.operators.data = [u.id for u in station.operators]
    form.region_id.choices = _region_choices()
    form.operators.choices = _operator_choices()
    if form.validate_on_submit():
        fields = {
            name: getattr(form, name).data
            for name in (
                "code",
                "kind",
                "name_zh",
                "name_en",
                "address",
                "opening_hours",
                "cold_chain",
                "capacity_per_day",
                "active",
            )
        }
        fields["name_en"] = fields["name_en"] or None
        fields["region"] = db.session.get(Region, form.region_id.data)
        fields["operators"] = [db.session.get(User, i) for i in form.operators.data or []]
        try:
            station = network.save_station(station, **fields)
        except DomainError as exc:
            form.code.errors.append(exc.message)
        else:
            flash(_("Station %(code)s saved.", code=station.code), "success")
            return redirect(url_for(".station_edit", station_id=station.id))
    links = network.links_of(station) if station is not None else ([], [])
    return render_template("logistics/station_form.html", form=form, station=station, links=links)


@bp.route("/admin/stations/new", methods=["GET", "POST"])
@admin_required
def station_create():
    return _station_form(None)


@bp.route("/admin/stations/<int:station_id>", methods=["GET", "POST"])
@admin_required
def station_edit(station_id: int):
    return _station_form(db.session.get(Station, station_id) or abort(404))


def _link_form(link: Link | None, from_station: Station | None):
    form = LinkForm(obj=link)
    stations = _station_choices()
    form.from_station_id.choices = stations
    form.to_station_id.choices = [(0, _("Express carrier hand-over"))] + stations
    if request.method == "GET":
        if link is not None:
            form.to_station_id.data = link.to_station_id or 0
            form.weekdays.data = list(link.weekdays)
        else:
            form.from_station_id.data = from_station.id
            form.weekdays.data = list("1234567")
    if form.validate_on_submit():
        try:
            link = network.save_link(
                link,
                from_station=db.session.get(Station, form.from_station_id.data),
                to_station=db.session.get(Station, form.to_station_id.data or 0),
                carrier=form.carrier.data,
                distance_km=form.distance_km.data,
                cost_per_run_fen=form.cost_per_run_fen.fen,
                cost_per_kg_fen=form.cost_per_kg_fen.fen,
                transit_minutes=form.transit_minutes.data,
                cold_chain=form.cold_chain.data,
                weekdays="".join(form.weekdays.data),
                departs_at=form.departs_at.data,
                cost_is_assumption=form.cost_is_assumption.data,
                active=form.active.data,
            )
        except DomainError as exc:
            form.to_station_id.errors.append(exc.message)
        else:
            flash(_("Link saved."), "success")
            return redirect(url_for(".station_edit", station_id=link.from_station_id))
    return render_template("logistics/link_form.html", form=form, link=link)


@bp.route("/admin/stations/<int:station_id>/links/new", methods=["GET", "POST"])
@admin_required
def link_create(station_id: int):
    return _link_form(None, db.session.get(Station, station_id) or abort(404))


@bp.route("/admin/links/<int:link_id>", methods=["GET", "POST"])
@admin_required
def link_edit(link_id: int):
    return _link_form(db.session.get(Link, link_id) or abort(404), None)


@bp.route("/admin/stations/import", methods=["GET", "POST"])
@admin_required
def station_import():
    form = ImportForm()
    errors = []
    if form.validate_on_submit():
        load = csv_io.import_stations if form.what.data == "stations" else csv_io.import_links
        try:
            count = load(form.file.data.read())
        except DomainError as exc:
            flash(exc.message, "danger")
            errors = exc.details.get("errors", [])
        else:
            flash(ngettext("%(num)d row imported.", "%(num)d rows imported.", count), "success")
            return redirect(url_for(".station_list"))
    return render_template("logistics/import.html", form=form, errors=errors)


def _csv_response(data: bytes, filename: str) -> Response:
    return Response(
        data,
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )


@bp.get("/admin/stations/export.csv")
@admin_required
def stations_export():
    return _csv_response(csv_io.export_stations(), "stations.csv")


@bp.get("/admin/links/export.csv")
@admin_required
def links_export():
    return _csv_response(csv_io.export_links(), "links.csv")
