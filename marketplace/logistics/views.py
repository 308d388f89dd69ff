"""Pages of the logistics package: station operators' pages and parcel tracking here; the
administrators' station and link pages in admin_views.py, 代买 and cash in till_views.py."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from .. import datefmt
from ..accounts.models import Role
from ..accounts.permissions import role_required
from ..caching import no_store
from ..clock import utcnow
from ..errors import DomainError
from ..extensions import db, limiter
from ..regions.services import village_shown
from ..transaction import after_commit
from . import board, codes, estimate, pages, services
from .consolidation import replan
from .forms import HandoverForm, ScanForm, TrackForm
from .labels import SCAN_ACTION_LABELS, all_labels
from .models import Manifest, Station, StationKind
from .network import operates, stations_of
from .scans import PickupRefused, locked_parcels, pickup_locked_until, record_scan

bp = Blueprint("logistics", __name__)
operator_required = role_required(Role.station_operator, Role.admin)


@bp.app_context_processor
def logistics_globals():
    # The tracking partial is included by the orders pages, so its labels are app-wide.
    return {
        "logistics_labels": all_labels(),
        "parcel_qr": codes.qr_svg,  # the parcel code as QR and Code 128 (slips, labels)
        "parcel_barcode": codes.code128_svg,
        "pickup_window": pickup_window,
    }


def pickup_window(eta) -> str:
    """The day and time window a parcel can be picked up ('' if not planned)."""
    span = estimate.window(eta)
    return datefmt.window(*span) if span else ""


@village_shown.connect
def village_points(village) -> dict:
    """A village page shows the open stations in the village (its village point)."""
    stmt = (
        db.select(Station)
        .where(Station.region_id == village.id, Station.active.is_(True))
        .order_by(Station.id)
    )
    return {"points": list(db.session.scalars(stmt))}


def station_or_403(station_id: int) -> Station:
    """The station, if the current user works there (or is an administrator)."""
    station = db.session.get(Station, station_id) or abort(404)
    if not operates(current_user, station):
        abort(403)
    return station


@bp.get("/stations")
@operator_required
def my_stations():
    return render_template("logistics/my_stations.html", stations=stations_of(current_user))


@bp.get("/stations/<int:station_id>")
@operator_required
def station_dashboard(station_id: int):
    station = station_or_403(station_id)
    today = board.station_board(station, utcnow())
    form = ScanForm(code=request.args.get("code", "")[:40])
    form.start_on(board.suggested_action(today, form.code.data))
    return render_template(
        "logistics/dashboard.html",
        board=today,
        locked=locked_parcels([p.id for p in today.ready]),
        returns=[(p, services.next_scan(p)) for p in services.parcels_to_return(station)],
        form=form,
    )


@bp.post("/stations/<int:station_id>/scan")
@operator_required
def scan(station_id: int):
    station = station_or_403(station_id)
    form = ScanForm()
    if not form.validate_on_submit():
        flash(_("Type the parcel code and choose the scan."), "danger")
        return redirect(url_for(".station_dashboard", station_id=station.id))
    parcel = services.find_parcel(form.code.data)
    if parcel is None:
        flash(_("No parcel has the code %(code)s.", code=form.code.data), "danger")
        return redirect(url_for(".station_dashboard", station_id=station.id))
    if form.action.data == "handed_to_carrier" and station.kind == StationKind.county_center:
        # The carrier and its tracking number are asked on their own page.
        return redirect(url_for(".carrier_handover", station_id=station.id, code=parcel.code))
    try:
        record_scan(parcel, station, form.action.data, current_user)
    except DomainError as exc:
        flash(exc.message, "danger")
        # Back with the code kept and the step this parcel allows chosen.
        return redirect(url_for(".station_dashboard", station_id=station.id, code=parcel.code))
    else:
        flash(
            _(
                "Parcel %(code)s: %(action)s.",
                code=parcel.code,
                action=SCAN_ACTION_LABELS[form.action.data],
            ),
            "success",
        )
    return redirect(url_for(".station_dashboard", station_id=station.id))


@bp.route("/stations/<int:station_id>/handover", methods=["GET", "POST"])
@operator_required
def handover(station_id: int):
    station = station_or_403(station_id)
    form = HandoverForm(code=request.args.get("code", ""))
    parcel = services.find_parcel(form.code.data or "") if form.code.data else None
    if form.validate_on_submit():
        if parcel is None:
            form.code.errors.append(_("No parcel has this code."))
        else:
            try:
                record_scan(
                    parcel,
                    station,
                    "handed_over",
                    current_user,
                    pickup_code=form.pickup_code.data,
                    cash_received_fen=form.cash_received.fen,
                )
            except PickupRefused as refused:
                # The wrong try must be committed, whatever the page answers.
                refusal = refused.refusal
                return after_commit(lambda: _handover_page(station, form, parcel, refusal))
            except DomainError as exc:
                _field_for(form, exc).errors.append(exc.message)
            else:
                flash(_("Parcel %(code)s handed over.", code=parcel.code), "success")
                return redirect(url_for(".station_dashboard", station_id=station.id))
    return _handover_page(station, form, parcel)


def _field_for(form, refusal: DomainError):
    """The hand-over field a refusal belongs under: the cash box for a wrong amount, the
    parcel code for a parcel that cannot be handed over here, else the pickup code."""
    reason = refusal.details.get("reason")
    if reason == "wrong_cash_amount":
        return form.cash_received
    if reason in ("wrong_pickup_code", "pickup_code_locked"):
        return form.pickup_code
    return form.code


def _handover_page(station, form, parcel, refusal: DomainError | None = None):
    """The hand-over form; a locked parcel answers 429 with why (a wrong code stays 200)."""
    if refusal is not None:
        form.pickup_code.errors.append(refusal.message)
    here = parcel if parcel is not None and parcel.current_station_id == station.id else None
    locked_until = pickup_locked_until(here.id) if here is not None else None
    status = 429 if refusal is not None and refusal.status_code == 429 else 200
    page = render_template(
        "logistics/handover.html",
        station=station,
        form=form,
        parcel=here,
        locked_until=locked_until,
    )
    headers = {}
    if status == 429:
        headers["Retry-After"] = str(refusal.details.get("retry_after", 900))
    return page, status, headers


@bp.post("/stations/<int:station_id>/runs")
@operator_required
def replan_runs(station_id: int):
    station = station_or_403(station_id)
    replan(station)
    flash(_("The runs of this station were planned again."), "success")
    return redirect(url_for(".station_dashboard", station_id=station.id))


@bp.get("/manifests/<int:manifest_id>")
@operator_required
def manifest(manifest_id: int):
    run = db.session.get(Manifest, manifest_id) or abort(404)
    ends = [run.link.from_station, run.link.to_station]
    if not any(s is not None and operates(current_user, s) for s in ends):
        abort(403)
    return render_template(
        "logistics/manifest.html",
        manifest=run,
        rows=board.manifest_rows(run),
        weight_g=board.parcel_weight_g(run),
    )


def _track_limit() -> str:
    return current_app.config["TRACK_RATE_LIMIT"]


def _track_key() -> str:
    """Wrong phone digits are counted per parcel (like pickup codes), whoever types them."""
    return "track:" + services.normalise_code(request.view_args.get("code", ""))[:40]


@bp.route("/track/<code>", methods=["GET", "POST"])
@limiter.limit(
    _track_limit, key_func=_track_key, methods=["POST"], deduct_when=lambda r: g.get("track_miss")
)
@limiter.limit("30 per hour", methods=["POST"])  # and per address, across parcels
@no_store  # the buyer's pickup code
def track(code: str):
    """The buyer, the operator who ordered and operators on the route see everything, as
    before; anyone else (a family member) gives the last 4 digits of the buyer's phone
    and sees the route and the status only: no names, no order, no pickup code."""
    parcel = services.find_parcel(code)
    if parcel is not None and services.can_track(current_user, parcel):
        return render_template("logistics/track.html", page=pages.track_page(parcel, current_user))
    form = TrackForm()
    if form.validate_on_submit():
        if parcel is not None and services.phone_matches(parcel, form.phone_last4.data):
            panel = pages.tracking_panel(parcel)
            return render_template("logistics/track_public.html", tracking=panel, form=None)
        g.track_miss = True
        form.phone_last4.errors.append(
            _("These digits do not match the parcel code. Check both and try again.")
        )
    shown = services.normalise_code(code)[:40]
    return render_template("logistics/track_public.html", tracking=None, form=form, code=shown)


from . import (  # noqa: E402, F401  (they add routes to bp)
    admin_views,
    carrier_views,
    station_app,
    till_views,
)
