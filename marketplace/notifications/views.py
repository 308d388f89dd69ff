"""The inbox (a bell with the unread count in every page's header) and the SMS setting."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from . import services
from .messages import inbox_text

bp = Blueprint("notifications", __name__)


@bp.app_context_processor
def inject_unread():
    def unread_notifications() -> int:
        if not current_user.is_authenticated:
            return 0
        return services.unread_count(current_user)

    def sms_enabled_for_me() -> bool:
        return current_user.is_authenticated and services.sms_enabled(current_user)

    return {"unread_notifications": unread_notifications, "sms_enabled_for_me": sms_enabled_for_me}


@bp.get("/notifications")
@login_required
def inbox():
    items = services.inbox(current_user)
    return render_template(
        "notifications/inbox.html",
        items=[(n, inbox_text(n.kind, n.params or {})) for n in items],
        sms_enabled=services.sms_enabled(current_user),
    )


@bp.post("/notifications/read")
@login_required
def mark_read():
    raw = request.form.get("id", "")
    notification_id = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None
    services.mark_read(current_user, notification_id)
    return redirect(url_for("notifications.inbox"))


@bp.post("/notifications/sms")
@login_required
def sms_setting():
    enabled = request.form.get("sms") == "on"
    services.set_sms_enabled(current_user, enabled)
    flash(
        _l("Text messages are on.") if enabled else _l("Text messages are off."),
        "success",
    )
    target = request.form.get("next")
    if target == "account":
        return redirect(url_for("accounts.account"))
    return redirect(url_for("notifications.inbox"))
