"""What the order page shows, built by the view so the template only displays: each
parcel's panel (pickup code, tracking, cash due) and the order's payments."""

from dataclasses import dataclass, field

from ..extras import Extra, extras_for
from ..logistics.models import Parcel
from ..logistics.pages import TrackingPanel, tracking_panel
from ..logistics.services import pickup_code_visible
from ..payments.pages import PaymentLine, order_payments
from ..status import StatusEvent, events_for
from .models import Fulfilment, FulfilmentStatus, Order, PaymentMethod


@dataclass(frozen=True)
class FulfilmentPanel:
    """One cooperative's part of the order and its parcel."""

    fulfilment: Fulfilment
    parcel: Parcel | None
    show_pickup_code: bool
    tracking: TrackingPanel | None  # None without a parcel, or once cancelled
    cash_due_fen: int  # still to pay in cash at pickup; 0 when nothing is
    events: list[StatusEvent]
    # Delivered by an express carrier (not picked up at a village point): says so.
    received_from_carrier: bool = False
    # What other packages add below the parcel (its claims: `claims` answers).
    extras: list[Extra] = field(default_factory=list)


@dataclass(frozen=True)
class OrderPage:
    """The order page (orders/order_detail.html)."""

    order: Order
    events: list[StatusEvent]
    fulfilments: list[FulfilmentPanel]
    payments: list[PaymentLine]
    cancel_form: object | None  # the form, when the viewer may still cancel
    confirm_form: object | None = None  # 确认收货, when the buyer has parcels with a carrier


def _panel(fulfilment: Fulfilment, viewer) -> FulfilmentPanel:
    parcel = fulfilment.parcel
    live = fulfilment.status != FulfilmentStatus.cancelled
    cash = fulfilment.order.payment_method == PaymentMethod.cash_at_pickup
    return FulfilmentPanel(
        fulfilment=fulfilment,
        parcel=parcel,
        show_pickup_code=pickup_code_visible(viewer, parcel),
        tracking=tracking_panel(parcel) if parcel is not None and live else None,
        cash_due_fen=fulfilment.amount_due_fen if live and cash else 0,
        events=events_for("fulfilment", fulfilment.id),
        received_from_carrier=(
            fulfilment.status == FulfilmentStatus.delivered
            and parcel is not None
            and parcel.carrier is not None
        ),
        extras=extras_for("order.fulfilment", fulfilment, viewer),
    )


def order_page(order: Order, viewer, cancel_form=None, confirm_form=None) -> OrderPage:
    """The order as `viewer` sees it; `cancel_form` only when they may cancel it."""
    return OrderPage(
        order=order,
        events=events_for("order", order.id),
        fulfilments=[_panel(f, viewer) for f in order.fulfilments],
        payments=order_payments(order),
        cancel_form=cancel_form,
        confirm_form=confirm_form,
    )
