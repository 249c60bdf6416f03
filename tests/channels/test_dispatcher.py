"""The outbox dispatcher through the official twilio client against the fake Twilio API."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.channels.dispatcher import dispatch, reconcile_sending
from bot.channels.models import Message, MessageStatus
from bot.channels.ratelimit import TokenBucket
from bot.channels.service import resend
from bot.channels.simulator import SimulatorTransport
from bot.channels.twilio_transport import TwilioTransport
from bot.composition import delivery_peers
from bot.config import Settings
from bot.i18n import render
from tests.channels.conftest import FROM_NUMBER
from tests.channels.helpers import (
    add_citizen,
    add_inbound,
    citizen,
    get_message,
    open_items,
    queue,
)
from tests.fakes.twilio_api import FakeTwilio

PEERS = delivery_peers()


def test_queued_message_goes_out_through_the_twilio_client(
    engine: Engine, now: datetime, fake_twilio: FakeTwilio, twilio_settings: Settings,
    twilio_transport: TwilioTransport,
) -> None:
    citizen_id = add_citizen(engine, language="da")
    message_id = queue(engine, now, contact_id=citizen_id)

    report = dispatch(engine, twilio_settings, twilio_transport, now, peers=PEERS)

    assert report.sent == 1
    [request] = fake_twilio.create_requests()
    assert request.authorised
    assert request.form["To"] == "+4520123456"
    assert request.form["From"] == FROM_NUMBER
    assert request.form["Body"] == render("reply.help", "da")
    assert request.form["StatusCallback"] == "https://bot.example.dk/sms/status"
    stored = get_message(engine, message_id)
    assert stored.status == MessageStatus.sent
    assert stored.provider_sid == fake_twilio.created()[0]["sid"]
    assert stored.provider_sid is not None and stored.provider_sid.startswith("SM")
    assert stored.body == render("reply.help", "da")


def test_message_is_rendered_in_the_recipients_language(
    engine: Engine, now: datetime, fake_twilio: FakeTwilio, twilio_settings: Settings,
    twilio_transport: TwilioTransport,
) -> None:
    queue(engine, now, language="en")
    dispatch(engine, twilio_settings, twilio_transport, now, peers=PEERS)
    assert fake_twilio.created()[0]["body"] == render("reply.help", "en")
    assert render("reply.help", "en") != render("reply.help", "da")


def test_messaging_service_sid_is_used_when_configured(
    engine: Engine, now: datetime, fake_twilio: FakeTwilio, twilio_settings: Settings
) -> None:
    transport = TwilioTransport(
        account_sid=fake_twilio.account_sid, auth_token=fake_twilio.auth_token, api_url=fake_twilio.url,
        messaging_service_sid="MG" + "1" * 32,
    )
    queue(engine, now)
    dispatch(engine, twilio_settings, transport, now, peers=PEERS)
    [request] = fake_twilio.create_requests()
    assert request.form["MessagingServiceSid"] == "MG" + "1" * 32
    assert "From" not in request.form


def test_wrong_credentials_are_a_refusal_not_a_retry(
    engine: Engine, now: datetime, fake_twilio: FakeTwilio, twilio_settings: Settings
) -> None:
    transport = TwilioTransport(
        account_sid=fake_twilio.account_sid, auth_token="wrong", api_url=fake_twilio.url, from_number=FROM_NUMBER,
    )
    message_id = queue(engine, now)
    report = dispatch(engine, twilio_settings, transport, now, peers=PEERS)
    assert report.failed == 1
    assert get_message(engine, message_id).error_code == "20003"


@pytest.mark.parametrize("fault", ["429", "500", "timeout"])
def test_throttling_server_errors_and_timeouts_are_retried_with_backoff(
    engine: Engine, now: datetime, fake_twilio: FakeTwilio, twilio_settings: Settings,
    twilio_transport: TwilioTransport, fault: str,
) -> None:
    if fault == "timeout":
        fake_twilio.stall_next(1, seconds=5)
    else:
        fake_twilio.fail_next(1, status=int(fault))
    message_id = queue(engine, now)

    first = dispatch(engine, twilio_settings, twilio_transport, now, peers=PEERS)

    assert first.retried == 1
    waiting = get_message(engine, message_id)
    assert waiting.status == MessageStatus.queued
    assert waiting.due_at is not None and waiting.due_at > now
    # Not due yet: nothing is sent again at once.
    assert dispatch(engine, twilio_settings, twilio_transport, now + timedelta(seconds=1), peers=PEERS).handled == 0

    later = dispatch(engine, twilio_settings, twilio_transport, waiting.due_at, peers=PEERS)

    assert later.sent == 1
    assert get_message(engine, message_id).status == MessageStatus.sent
    assert len(fake_twilio.created()) == 1


def test_backoff_grows_and_gives_up_after_max_attempts_with_an_item(
    engine: Engine, now: datetime, fake_twilio: FakeTwilio, twilio_settings: Settings,
    twilio_transport: TwilioTransport,
) -> None:
    twilio_settings.send_max_attempts = 3
    fake_twilio.fail_next(10, status=503)
    citizen_id = add_citizen(engine)
    message_id = queue(engine, now, contact_id=citizen_id)
    waits: list[timedelta] = []
    at = now
    for _ in range(3):
        dispatch(engine, twilio_settings, twilio_transport, at, peers=PEERS)
        stored = get_message(engine, message_id)
        if stored.status != MessageStatus.queued:
            break
        assert stored.due_at is not None
        waits.append(stored.due_at - at)
        at = stored.due_at

    assert waits[1] > waits[0]
    stored = get_message(engine, message_id)
    assert stored.status == MessageStatus.failed
    assert stored.attempts == 3
    [item] = open_items(engine, "delivery_failed")
    assert item.citizen_id == citizen_id
    assert item.message_id == message_id
    assert item.assignee_id is not None


@pytest.mark.parametrize("code", [21211, 21614])
def test_a_refusal_is_never_retried(
    engine: Engine, now: datetime, fake_twilio: FakeTwilio, twilio_settings: Settings,
    twilio_transport: TwilioTransport, code: int,
) -> None:
    fake_twilio.refuse_next(code)
    message_id = queue(engine, now)

    report = dispatch(engine, twilio_settings, twilio_transport, now, peers=PEERS)
    dispatch(engine, twilio_settings, twilio_transport, now + timedelta(days=1), peers=PEERS)

    assert report.failed == 1
    assert len(fake_twilio.create_requests()) == 1
    stored = get_message(engine, message_id)
    assert stored.status == MessageStatus.failed
    assert stored.error_code == str(code)
    assert len(open_items(engine, "delivery_failed")) == 1


def test_unsubscribed_refusal_marks_the_citizen_opted_out(
    engine: Engine, now: datetime, fake_twilio: FakeTwilio, twilio_settings: Settings,
    twilio_transport: TwilioTransport,
) -> None:
    citizen_id = add_citizen(engine)
    fake_twilio.refuse_next(21610)
    queue(engine, now, contact_id=citizen_id)

    dispatch(engine, twilio_settings, twilio_transport, now, peers=PEERS)

    stored = citizen(engine, citizen_id)
    assert stored.opted_out
    assert stored.opted_out_at == now


def test_opted_out_recipient_is_cancelled_and_never_sent(
    engine: Engine, now: datetime, fake_twilio: FakeTwilio, twilio_settings: Settings,
    twilio_transport: TwilioTransport,
) -> None:
    citizen_id = add_citizen(engine)
    with Session(engine) as session:
        from bot.contacts.models import Citizen

        row = session.get(Citizen, citizen_id)
        assert row is not None
        row.opted_out = True
        session.commit()
    message_id = queue(engine, now, contact_id=citizen_id)

    report = dispatch(engine, twilio_settings, twilio_transport, now, peers=PEERS)

    assert report.cancelled == 1
    assert fake_twilio.requests == []
    assert get_message(engine, message_id).status == MessageStatus.cancelled


def _stuck_sending(engine: Engine, message_id: int, claimed_at: datetime, sid: str | None = None) -> None:
    with Session(engine) as session:
        row = session.get(Message, message_id)
        assert row is not None
        row.status = MessageStatus.sending
        row.claimed_at = claimed_at
        row.attempts = 1
        row.provider_sid = sid
        session.commit()


def test_stale_sending_without_sid_is_shown_to_staff_not_resent(
    engine: Engine, now: datetime, fake_twilio: FakeTwilio, twilio_settings: Settings,
    twilio_transport: TwilioTransport,
) -> None:
    citizen_id = add_citizen(engine)
    message_id = queue(engine, now, contact_id=citizen_id)
    _stuck_sending(engine, message_id, now)
    later = now + timedelta(minutes=30)

    # Recently claimed rows belong to a dispatcher that may still be working on them.
    assert reconcile_sending(engine, twilio_settings, twilio_transport, now + timedelta(minutes=1), peers=PEERS) == 0
    assert reconcile_sending(engine, twilio_settings, twilio_transport, later, peers=PEERS) == 1
    dispatch(engine, twilio_settings, twilio_transport, later, peers=PEERS)

    assert fake_twilio.requests == []
    assert get_message(engine, message_id).error_code == "maybe_not_sent"
    [item] = open_items(engine, "maybe_not_sent")
    assert item.citizen_id == citizen_id

    with Session(engine) as session:
        copy = resend(session, message_id, later, peers=PEERS)
        session.commit()
        copy_id = copy.id
    dispatch(engine, twilio_settings, twilio_transport, later, peers=PEERS)

    assert copy_id is not None and get_message(engine, copy_id).status == MessageStatus.sent
    assert len(fake_twilio.created()) == 1
    assert open_items(engine, "maybe_not_sent") == []


def test_stale_sending_with_sid_asks_the_provider(
    engine: Engine, now: datetime, fake_twilio: FakeTwilio, twilio_settings: Settings,
    twilio_transport: TwilioTransport,
) -> None:
    sent = twilio_transport.send(to="+4520123456", body="hej", channel="sms", status_callback=None)
    fake_twilio.set_status(sent.provider_sid, "delivered")
    message_id = queue(engine, now)
    _stuck_sending(engine, message_id, now, sid=sent.provider_sid)

    assert reconcile_sending(engine, twilio_settings, twilio_transport, now + timedelta(hours=1), peers=PEERS) == 1

    assert get_message(engine, message_id).status == MessageStatus.delivered
    assert len(fake_twilio.created()) == 1


class FakeClock:
    def __init__(self) -> None:
        self.value = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.value

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.value += seconds


def test_rate_cap_spaces_sends(engine: Engine, now: datetime, settings: Settings) -> None:
    settings.sms_max_per_second = 2
    clock = FakeClock()
    bucket = TokenBucket(2, monotonic=clock.monotonic, sleep=clock.sleep)
    transport = SimulatorTransport()
    for i in range(6):
        queue(engine, now, phone=f"+452012340{i}")

    report = dispatch(engine, settings, transport, now, bucket=bucket, peers=PEERS)

    assert report.sent == 6
    # A burst of two, then one every half second: six sends take two seconds.
    assert sum(clock.slept) == pytest.approx(2.0)
    assert max(clock.slept) <= 0.5 + 1e-9


def test_whatsapp_inside_the_24_hour_window_goes_by_whatsapp(
    engine: Engine, now: datetime, fake_twilio: FakeTwilio, twilio_settings: Settings,
    twilio_transport: TwilioTransport,
) -> None:
    add_inbound(engine, phone="+4520123456", channel="whatsapp", at=now - timedelta(hours=23), sid="SMin1")
    message_id = queue(engine, now, channel="whatsapp")

    dispatch(engine, twilio_settings, twilio_transport, now, peers=PEERS)

    [request] = fake_twilio.create_requests()
    assert request.form["To"] == "whatsapp:+4520123456"
    assert request.form["From"] == "whatsapp:" + FROM_NUMBER
    stored = get_message(engine, message_id)
    assert (stored.channel, stored.sent_channel) == ("whatsapp", "whatsapp")


def test_whatsapp_outside_the_window_falls_back_to_sms(
    engine: Engine, now: datetime, fake_twilio: FakeTwilio, twilio_settings: Settings,
    twilio_transport: TwilioTransport,
) -> None:
    add_inbound(engine, phone="+4520123456", channel="whatsapp", at=now - timedelta(hours=25), sid="SMin1")
    message_id = queue(engine, now, channel="whatsapp")

    dispatch(engine, twilio_settings, twilio_transport, now, peers=PEERS)

    [request] = fake_twilio.create_requests()
    assert request.form["To"] == "+4520123456"
    assert request.form["From"] == FROM_NUMBER
    stored = get_message(engine, message_id)
    assert (stored.channel, stored.sent_channel) == ("whatsapp", "sms")


def test_whatsapp_without_a_whatsapp_sender_goes_by_sms(
    engine: Engine, now: datetime, fake_twilio: FakeTwilio, twilio_settings: Settings
) -> None:
    transport = TwilioTransport(
        account_sid=fake_twilio.account_sid, auth_token=fake_twilio.auth_token, api_url=fake_twilio.url,
        messaging_service_sid="MG" + "1" * 32,
    )
    add_inbound(engine, phone="+4520123456", channel="whatsapp", at=now - timedelta(hours=1), sid="SMin1")
    message_id = queue(engine, now, channel="whatsapp")

    dispatch(engine, twilio_settings, transport, now, peers=PEERS)

    [request] = fake_twilio.create_requests()
    assert request.form["To"] == "+4520123456"
    stored = get_message(engine, message_id)
    assert (stored.channel, stored.sent_channel) == ("whatsapp", "sms")


def test_the_stop_confirmation_still_reaches_an_opted_out_recipient(
    engine: Engine, now: datetime, fake_twilio: FakeTwilio, twilio_settings: Settings,
    twilio_transport: TwilioTransport,
) -> None:
    from bot.channels.models import OPT_OUT_CONFIRMATION
    from bot.contacts.models import Citizen

    citizen_id = add_citizen(engine)
    with Session(engine) as session:
        row = session.get(Citizen, citizen_id)
        assert row is not None
        row.opted_out = True
        session.commit()
    confirmation = queue(engine, now, contact_id=citizen_id, purpose=OPT_OUT_CONFIRMATION)
    reminder = queue(engine, now, contact_id=citizen_id)

    report = dispatch(engine, twilio_settings, twilio_transport, now, peers=PEERS)

    assert len(fake_twilio.requests) == 1
    assert report.cancelled == 1
    assert get_message(engine, confirmation).status == MessageStatus.sent
    assert get_message(engine, reminder).status == MessageStatus.cancelled
