"""County centre pages for express parcels: hand a parcel to a carrier with its tracking
number, and the day's hand-over list per carrier (printable, for the courier to sign)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..clock import local_today
from ..errors import DomainError
from ..inputs import parse_date
from . import services
from .carrier_handovers import handovers_of_day, waiting_for_carrier
from .carriers import CARRIERS, carrier_choices, carrier_name
from .forms import CarrierHandoverForm
from .models import StationKind
from .scans import record_scan
from .views import bp, operator_required, station_or_403


def _county_centre_or_404(station_id: int):
    station = station_or_403(station_id)
    if station.kind != StationKind.county_center:
        abort(404)
    return station


@bp.route("/stations/<int:station_id>/carrier-handover", methods=["GET", "POST"])
@operator_required
def carrier_handover(station_id: int):
    station = _county_centre_or_404(station_id)
    chosen = request.args.get("carrier")
    form = CarrierHandoverForm(
        code=request.args.get("code", ""), carrier=chosen if chosen in CARRIERS else None
    )
    form.carrier.choices = carrier_choices()
    if form.validate_on_submit():
        parcel = services.find_parcel(form.code.data)
        if parcel is None:
            form.code.errors.append(_("No parcel has this code."))
        else:
            try:
                record_scan(
                    parcel,
                    station,
                    "handed_to_carrier",
                    current_user,
                    carrier=form.carrier.data,
                    tracking_no=form.tracking_no.data,
                )
            except DomainError as exc:
                field = exc.details.get("field")
                target = form.tracking_no if field == "tracking_no" else form.code
                if field == "carrier":
                    target = form.carrier
                target.errors.append(exc.message)
            else:
                flash(
                    _(
                        "Parcel %(code)s handed to %(carrier)s, tracking number %(number)s.",
                        code=parcel.code,
                        carrier=carrier_name(parcel.carrier),
                        number=parcel.tracking_no,
                    ),
                    "success",
                )
                # Ready for the next parcel, with the same carrier chosen.
                return redirect(
                    url_for(".carrier_handover", station_id=station.id, carrier=parcel.carrier)
                )
    # A scanner types into the focused field: the tracking number once the parcel is known.
    focus = form.tracking_no if form.code.data and not form.code.errors else form.code
    focus.render_kw = {**(focus.render_kw or {}), "autofocus": True}
    return render_template(
        "logistics/carrier_handover.html",
        station=station,
        form=form,
        waiting=waiting_for_carrier(station),
    )


@bp.get("/stations/<int:station_id>/carrier-handovers")
@operator_required
def carrier_handovers(station_id: int):
    """The day's hand-over list per carrier; `?print=1` is the printable view."""
    station = _county_centre_or_404(station_id)
    try:
        day = parse_date(request.args["day"]) if request.args.get("day") else local_today()
    except ValueError:
        abort(400, description=_("Give the day as YYYY-MM-DD."))
    carrier = request.args.get("carrier") or None
    if carrier is not None and carrier not in CARRIERS:
        abort(400, description=_("There is no such carrier."))
    printing = request.args.get("print") == "1"
    return render_template(
        "logistics/carrier_handovers.html",
        station=station,
        day=day,
        carrier=carrier,
        lists=handovers_of_day(station, day, carrier),
        printing=printing,
        carriers=carrier_choices(),
        carrier_name=carrier_name,
    )
