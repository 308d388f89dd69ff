"""What the parcel pages show, built by the views so templates only display: a parcel's
tracking panel (also shown on the order page) and the tracking page."""

from dataclasses import dataclass

from .carrier_events import events_of
from .carriers import carrier_name
from .models import CarrierEvent, Parcel, ParcelScan
from .services import Stop, pickup_code_visible, tracking


@dataclass(frozen=True)
class TrackingPanel:
    """One parcel's timeline with the flags the panel needs (logistics/_tracking.html)."""

    parcel: Parcel
    stops: list[Stop]
    scans: list[ParcelScan]
    carrier: str | None
    badge: str  # Bootstrap colour of the status badge
    is_ready: bool  # waiting at the pickup point
    shows_eta: bool  # still travelling: the expected arrival is worth showing
    # Express parcels once handed to a carrier: its tracking number and what it reported.
    tracking_no: str | None = None
    carrier_events: tuple[CarrierEvent, ...] = ()


def tracking_panel(parcel: Parcel) -> TrackingPanel:
    """The panel of `parcel`: its route, scans and what its status means for the buyer."""
    timeline = tracking(parcel)
    if parcel.is_handed_over:
        badge = "success"
    elif parcel.is_ready:
        badge = "warning"
    else:
        badge = "secondary"
    return TrackingPanel(
        parcel=parcel,
        stops=timeline.stops,
        scans=timeline.scans,
        carrier=carrier_name(parcel.carrier) if parcel.carrier else timeline.carrier,
        badge=badge,
        is_ready=parcel.is_ready,
        shows_eta=parcel.is_under_way and not parcel.is_ready,
        tracking_no=parcel.tracking_no,
        carrier_events=tuple(events_of([parcel.id])[parcel.id]) if parcel.carrier else (),
    )


@dataclass(frozen=True)
class TrackPage:
    """The tracking page of one parcel (logistics/track.html)."""

    tracking: TrackingPanel
    show_pickup_code: bool


def track_page(parcel: Parcel, viewer) -> TrackPage:
    """The tracking page as `viewer` may see it (the pickup code only for the buyer)."""
    return TrackPage(tracking_panel(parcel), pickup_code_visible(viewer, parcel))
