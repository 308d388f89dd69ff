"""Notifications: the pickup code by SMS (once, even when the job is retried), the inbox
with its bell, and a person turning SMS off."""

from datetime import timedelta

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.jobs import runner as jobs
from marketplace.jobs.models import JobRun, RunStatus
from marketplace.notifications import services
from marketplace.notifications.messages import KINDS, sms_text
from marketplace.notifications.models import Notification, SmsMessage, SmsStatus

PHONE = "13800000001"


def _ready_parcel(create_sale, create_lot, create_user, phone=PHONE):
    buyer = create_user(email="villager@example.com", name="马兰", phone=phone)
    lot = create_lot(quantity=10)
    return create_sale((lot.product, [(lot, 2)]), buyer=buyer, until="ready"), buyer


def test_the_pickup_code_reaches_the_phone_once_even_if_the_job_is_retried(
    app, create_sale, create_lot, create_user, sms_standin
):
    fulfilment, buyer = _ready_parcel(create_sale, create_lot, create_user)
    parcel = fulfilment.parcel
    # The provider is down at first: the run fails and is tried again later.
    sms_standin.fail_next = 1

    first = jobs.run_due()
    assert [o.status for o in first if o.job == "send-sms"] == ["failed"]
    assert sms_standin.messages == []
    later = jobs.run_due(now=utcnow() + timedelta(minutes=5))
    assert [o.status for o in later if o.job == "send-sms"] == ["succeeded"]

    [message] = sms_standin.to(PHONE)
    assert message["template"] == "SMS_PARCEL_READY"
    assert message["params"]["pickup_code"] == parcel.pickup_code
    assert message["sign"] == "临夏农品"
    # The same run pushed again (a worker retrying it, a second worker): nothing more sent.
    run = db.session.scalars(db.select(JobRun).where(JobRun.job == "send-sms")).one()
    run.status = RunStatus.queued
    db.session.commit()
    jobs.run_due(now=utcnow() + timedelta(minutes=10))
    assert len(sms_standin.to(PHONE)) == 1
    # Telling the buyer again about the same parcel queues nothing new.
    from marketplace.orders.actions import tell_buyer

    tell_buyer(fulfilment, "parcel_ready")
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(SmsMessage.id))) == 1
    assert db.session.scalar(db.select(db.func.count(Notification.id))) == 1
    assert sms_standin.refused == 0


def test_nothing_is_queued_when_the_transaction_rolls_back(app, create_user):
    user = create_user(phone=PHONE)
    services.notify("refund", key="1", params={"order": "L1", "amount": "¥1.00"}, user=user)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(JobRun.id))) == 0
    assert db.session.scalar(db.select(db.func.count(SmsMessage.id))) == 0


def test_a_wrong_signature_is_refused_and_not_retried(app, create_user, sms_standin):
    app.config["SMS_ACCESS_KEY_SECRET"] = "not-the-secret"
    user = create_user(phone=PHONE)
    services.notify("refund", key="1", params={"order": "L1", "amount": "¥1.00"}, user=user)
    db.session.commit()
    [outcome] = jobs.run_due()[-1:]
    assert outcome.job == "send-sms" and outcome.status == "succeeded"
    assert sms_standin.refused == 1 and sms_standin.messages == []
    assert db.session.scalar(db.select(SmsMessage.status)) == SmsStatus.failed


def test_every_text_fits_one_sms():
    params = {
        "parcel": "P2612070001",
        "station": "陈井镇示例1村服务点",
        "pickup_code": "123456",
        "order": "LX20261207-0001",
        "date": "12-14",
        "amount": "¥1,234.50",
    }
    for kind, found in KINDS.items():
        if found.sms_template:
            text = sms_text(kind, params, "临夏农品")
            assert len(text) <= 70, (kind, len(text), text)


def test_the_inbox_shows_a_bell_and_marks_read(client, auth, create_user):
    user = create_user(email="reader@example.com", password="linxia-demo")
    services.notify("refund", key="7", params={"order": "LX1", "amount": "¥5.00"}, user=user)
    db.session.commit()
    auth.login("reader@example.com")

    page = client.get("/notifications")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-testid="unread-count">1<' in html
    assert "Order LX1: ¥5.00 has been refunded." in html

    assert client.post("/notifications/read").status_code == 302
    html = client.get("/notifications").get_data(as_text=True)
    assert 'data-testid="unread-count"' not in html


def test_a_person_can_turn_sms_off(client, auth, create_user):
    user = create_user(email="quiet@example.com", password="linxia-demo", phone=PHONE)
    auth.login("quiet@example.com")
    account = client.get("/account").get_data(as_text=True)
    assert 'data-testid="sms-setting"' in account

    response = client.post("/notifications/sms", data={"next": "account"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/account")
    user = db.session.get(type(user), user.id)
    assert services.sms_enabled(user) is False
    message = services.notify("refund", key="9", params={"order": "L", "amount": "1"}, user=user)
    db.session.commit()
    assert message is None
    assert db.session.scalar(db.select(db.func.count(Notification.id))) == 1
