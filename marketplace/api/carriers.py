"""Express carriers: the signed tracking webhook (`POST /carrier-events`) and the buyer's
confirmation of receipt (`POST /orders/{id}/confirm-receipt`)."""

import logging

from flask import request
from sqlalchemy.exc import IntegrityError

from .. import transaction
from ..errors import DomainError
from ..logistics import carrier_events as events
from ..logistics import carrier_gateway
from ..orders import actions as orders
from .auth import current_api_user, token_required
from .errors import ApiError, Invalid, error_response
from .orders import _order_body, _visible_order
from .views import bp

log = logging.getLogger(__name__)


@bp.post("/carrier-events")
def carrier_events():
    """A carrier's tracking event: verified, stored and applied once per id; 200. 400 (and
    nothing changes) when the signature is missing, wrong or stale, or the body is bad."""
    payload = request.get_data()
    try:
        event = carrier_gateway.verify_webhook(
            payload,
            request.headers.get(carrier_gateway.SIGNATURE_HEADER),
            carrier_gateway.webhook_secret(),
        )
    except carrier_gateway.InvalidWebhook as exc:
        log.warning("Refused a carrier webhook: %s", exc)
        return error_response(400, "invalid_signature", "invalid signature")
    try:
        incoming = events.parse_event(event)
    except DomainError as exc:
        raise Invalid({exc.details.get("field", "body"): exc.message}) from None
    try:
        outcome = events.process_carrier_event(incoming)
    except IntegrityError:
        # A concurrent delivery of the same id was stored first: this one changes nothing.
        transaction.rollback()
        if events.already_processed(incoming.event_id):
            return {"received": True, "outcome": "already processed"}
        raise
    return {"received": True, "outcome": outcome}


@bp.post("/orders/<int:order_id>/confirm-receipt")
@token_required
def confirm_receipt(order_id: int):
    """The buyer confirms receipt: parcels with a carrier become delivered; 200 with the
    order. Another buyer's order is 404; 409 while no parcel has reached a carrier."""
    order = _visible_order(order_id)
    user = current_api_user()
    if order.buyer_id != user.id:
        raise ApiError(404)
    orders.confirm_receipt(order, by=user)
    return _order_body(order)
