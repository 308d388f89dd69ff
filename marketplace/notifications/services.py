"""Telling people things: one call, `notify`, writes the inbox line and queues the SMS.

The SMS is a row in `sms_messages` (its key makes it once-only) and a `send-sms` job queued
in the caller's transaction: nothing is sent unless that transaction commits, and the
sending happens after it, in a worker, with retries (see `sending`).
"""

from ..accounts.models import User
from ..clock import utcnow
from ..extensions import db
from ..jobs import runner
from .messages import KINDS
from .models import Notification, NotificationSetting, SmsMessage


def sms_enabled(user: User | None) -> bool:
    """A person may turn SMS off for themselves (account page); on by default."""
    if user is None:
        return True
    setting = db.session.get(NotificationSetting, user.id)
    return setting is None or setting.sms_enabled


def set_sms_enabled(user: User, enabled: bool) -> None:
    setting = db.session.get(NotificationSetting, user.id)
    if setting is None:
        setting = NotificationSetting(user_id=user.id)
        db.session.add(setting)
    setting.sms_enabled = enabled
    db.session.flush()


def notify(
    kind: str,
    *,
    key: str,
    params: dict,
    user: User | None = None,
    phone: str | None = None,
    link: str | None = None,
) -> SmsMessage | None:
    """Tell `user` (inbox) and text `phone` (or the user's mobile number) about `kind`.

    `key` names the event (e.g. the parcel's id): the same kind and key never makes a second
    inbox line or SMS. Returns the SMS queued, if any. Flushes, never commits.
    """
    if kind not in KINDS:
        raise KeyError(kind)
    params = {k: str(v) for k, v in params.items()}
    event = f"{kind}-{key}"
    if user is not None:
        exists = db.session.scalar(
            db.select(Notification.id).where(
                Notification.user_id == user.id,
                Notification.kind == kind,
                Notification.link == (link or event),
            )
        )
        if exists is None:
            db.session.add(
                Notification(
                    user_id=user.id,
                    kind=kind,
                    params=params,
                    link=link or event,
                    created_at=utcnow(),
                )
            )
    phone = phone or (user.phone if user is not None else None)
    if not phone or KINDS[kind].sms_template is None or not sms_enabled(user):
        db.session.flush()
        return None
    message = db.session.scalars(db.select(SmsMessage).where(SmsMessage.key == event)).first()
    if message is None:
        message = SmsMessage(
            key=event,
            user_id=user.id if user is not None else None,
            phone=phone,
            template=KINDS[kind].sms_template,
            params=params,
            created_at=utcnow(),
        )
        db.session.add(message)
        db.session.flush()
        runner.enqueue("send-sms", f"sms-{event}", params={"message_id": message.id})
    return message


# --- the inbox --------------------------------------------------------------------------


def unread_count(user: User) -> int:
    return int(
        db.session.scalar(
            db.select(db.func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
    )


def inbox(user: User, limit: int = 100) -> list[Notification]:
    return list(
        db.session.scalars(
            db.select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id.desc())
            .limit(limit)
        )
    )


def mark_read(user: User, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications (or all of them) read; how many changed."""
    stmt = db.update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    changed = db.session.execute(
        stmt.values(read_at=utcnow()).execution_options(synchronize_session=False)
    ).rowcount
    return changed
