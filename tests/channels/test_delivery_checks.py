"""Delivery reports are never lost: early callbacks are kept, and silent messages are looked up.

Twilio is the official client against the local fake; the webhook is the real app.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.app import create_app
from bot.channels.dispatcher import dispatch
from bot.channels.jobs import delivery_checks_job
from bot.channels.models import EarlyStatus, Message, MessageStatus
from bot.channels.simulator import SimulatorTransport
from bot.channels.twilio_transport import TwilioTransport
from bot.composition import delivery_peers
from bot.config import Settings
from tests.channels.helpers import add_citizen, get_message, open_items, queue
from tests.channels.webhook_helpers import post_signed
from tests.fakes.twilio_api import FakeTwilio

PEERS = delivery_peers()


@pytest.fixture
def client(
    shared_engine: Engine, now: datetime, twilio_settings: Settings, twilio_transport: TwilioTransport
) -> Iterator[TestClient]:
    """The app at ``now``: the webhook stamps what it stores with the clock's time."""
    app = create_app(twilio_settings, engine=shared_engine, transport=twilio_transport)
    with time_machine.travel(now, tick=False), TestClient(app) as test_client:
        yield test_client


def _report(client: TestClient, settings: Settings, sid: str, status: str, error_code: str | None = None) -> Any:
    params = {"MessageSid": sid, "MessageStatus": status, "AccountSid": settings.twilio_account_sid}
    if error_code:
        params["ErrorCode"] = error_code
    return post_signed(client, "/sms/status", params, token=settings.twilio_auth_token)


def _early_rows(engine: Engine) -> list[EarlyStatus]:
    with Session(engine) as session:
        return list(session.exec(select(EarlyStatus).order_by(EarlyStatus.id)).all())


# -- a report that overtakes the provider's answer -----------------------------------------------


def test_a_report_that_arrives_before_the_sid_is_recorded_is_applied_when_it_is(
    shared_engine: Engine, now: datetime, fake_twilio: FakeTwilio, twilio_settings: Settings,
    twilio_transport: TwilioTransport, client: TestClient,
) -> None:
    answers: list[int] = []
    fake_twilio.before_create_answer = lambda created: answers.append(
        _report(client, twilio_settings, created["sid"], "delivered").status_code
    )
    message_id = queue(shared_engine, now)

    report = dispatch(shared_engine, twilio_settings, twilio_transport, now, peers=PEERS)

    assert (report.sent, answers) == (1, [200])
    stored = get_message(shared_engine, message_id)
    assert stored.provider_sid == fake_twilio.created()[0]["sid"]
    assert stored.status == MessageStatus.delivered
    assert stored.delivered_at == now  # when the provider said so
    [kept] = _early_rows(shared_engine)
    assert (kept.provider_sid, kept.status, kept.message_id) == (stored.provider_sid, "delivered", message_id)
    assert (kept.received_at, kept.applied_at) == (now, now)


def test_an_early_failure_reaches_staff(
    shared_engine: Engine, now: datetime, fake_twilio: FakeTwilio, twilio_settings: Settings,
    twilio_transport: TwilioTransport, client: TestClient,
) -> None:
    citizen_id = add_citizen(shared_engine)
    fake_twilio.before_create_answer = lambda created: _report(
        client, twilio_settings, created["sid"], "undelivered", "30003"
    )
    message_id = queue(shared_engine, now, contact_id=citizen_id)

    dispatch(shared_engine, twilio_settings, twilio_transport, now, peers=PEERS)

    stored = get_message(shared_engine, message_id)
    assert (stored.status, stored.error_code) == (MessageStatus.undelivered, "30003")
    [item] = open_items(shared_engine, "delivery_failed")
    assert (item.message_id, item.citizen_id) == (message_id, citizen_id)


def test_a_report_kept_while_the_dispatcher_was_recording_is_applied_by_the_sweep(
    shared_engine: Engine, now: datetime, twilio_settings: Settings, twilio_transport: TwilioTransport,
    client: TestClient,
) -> None:
    """The report is stored after the record step looked for kept reports: the sweep applies it."""
    sid = "SM" + "4" * 32
    assert _report(client, twilio_settings, sid, "delivered").status_code == 200
    assert [row.provider_sid for row in _early_rows(shared_engine)] == [sid]
    message_id = queue(shared_engine, now)
    with Session(shared_engine) as session:
        message = session.get(Message, message_id)
        assert message is not None
        message.provider_sid, message.status, message.sent_at = sid, MessageStatus.sent, now
        session.commit()

    delivery_checks_job(shared_engine, twilio_settings, twilio_transport, now + timedelta(minutes=1), peers=PEERS)

    assert get_message(shared_engine, message_id).status == MessageStatus.delivered
    [kept] = _early_rows(shared_engine)
    assert (kept.message_id, kept.applied_at) == (message_id, now + timedelta(minutes=1))


def test_a_report_for_a_sid_never_recorded_is_let_go_after_a_week(
    shared_engine: Engine, now: datetime, twilio_settings: Settings, twilio_transport: TwilioTransport,
    client: TestClient,
) -> None:
    _report(client, twilio_settings, "SM" + "5" * 32, "delivered")
    delivery_checks_job(shared_engine, twilio_settings, twilio_transport, now + timedelta(days=6), peers=PEERS)
    assert len(_early_rows(shared_engine)) == 1
    delivery_checks_job(shared_engine, twilio_settings, twilio_transport, now + timedelta(days=8), peers=PEERS)
    assert _early_rows(shared_engine) == []


# -- messages left at "sent" ------------------------------------------------------------------------


def _sent_through_twilio(engine: Engine, settings: Settings, transport: TwilioTransport, now: datetime,
                         **kwargs: Any) -> tuple[int, str]:
    message_id = queue(engine, now, **kwargs)
    dispatch(engine, settings, transport, now, peers=PEERS)
    stored = get_message(engine, message_id)
    assert stored.status == MessageStatus.sent and stored.provider_sid is not None
    return message_id, stored.provider_sid


def test_a_message_left_at_sent_is_looked_up_with_the_provider(
    engine: Engine, now: datetime, fake_twilio: FakeTwilio, twilio_settings: Settings,
    twilio_transport: TwilioTransport,
) -> None:
    citizen_id = add_citizen(engine)
    message_id, sid = _sent_through_twilio(engine, twilio_settings, twilio_transport, now, contact_id=citizen_id)
    fake_twilio.set_status(sid, "undelivered", 30005)  # its report never reached us

    delivery_checks_job(engine, twilio_settings, twilio_transport, now + timedelta(minutes=59), peers=PEERS)
    assert fake_twilio.fetch_requests() == []  # not stale yet (default: 60 minutes)

    delivery_checks_job(engine, twilio_settings, twilio_transport, now + timedelta(minutes=61), peers=PEERS)

    [fetch] = fake_twilio.fetch_requests()
    assert fetch.authorised
    assert fetch.path == f"/2010-04-01/Accounts/{fake_twilio.account_sid}/Messages/{sid}.json"
    stored = get_message(engine, message_id)
    assert (stored.status, stored.error_code) == (MessageStatus.undelivered, "30005")
    [item] = open_items(engine, "delivery_failed")
    assert item.message_id == message_id


def test_the_stale_time_is_a_setting(
    engine: Engine, now: datetime, fake_twilio: FakeTwilio, twilio_settings: Settings,
    twilio_transport: TwilioTransport,
) -> None:
    settings = twilio_settings.model_copy(update={"stale_sent_minutes": 15})
    message_id, sid = _sent_through_twilio(engine, settings, twilio_transport, now)
    fake_twilio.set_status(sid, "delivered")

    delivery_checks_job(engine, settings, twilio_transport, now + timedelta(minutes=16), peers=PEERS)

    assert get_message(engine, message_id).status == MessageStatus.delivered


def test_a_message_still_sent_is_asked_about_once_per_stale_period_and_not_after_two_days(
    engine: Engine, now: datetime, fake_twilio: FakeTwilio, twilio_settings: Settings,
    twilio_transport: TwilioTransport,
) -> None:
    message_id, sid = _sent_through_twilio(engine, twilio_settings, twilio_transport, now)
    fake_twilio.set_status(sid, "sent")  # some networks never confirm delivery

    for minutes in (61, 62, 90, 122):
        delivery_checks_job(engine, twilio_settings, twilio_transport, now + timedelta(minutes=minutes), peers=PEERS)
    assert len(fake_twilio.fetch_requests()) == 2  # at 61 and at 122 minutes
    stored = get_message(engine, message_id)
    assert (stored.status, stored.checked_at) == (MessageStatus.sent, now + timedelta(minutes=122))

    delivery_checks_job(engine, twilio_settings, twilio_transport, now + timedelta(days=2, minutes=1), peers=PEERS)
    assert len(fake_twilio.fetch_requests()) == 2


def test_a_provider_error_leaves_the_message_to_be_asked_again(
    engine: Engine, now: datetime, fake_twilio: FakeTwilio, twilio_settings: Settings,
    twilio_transport: TwilioTransport,
) -> None:
    message_id, sid = _sent_through_twilio(engine, twilio_settings, twilio_transport, now)
    fake_twilio.set_status(sid, "delivered")
    fake_twilio.fail_next(1, status=500, code=20500)

    delivery_checks_job(engine, twilio_settings, twilio_transport, now + timedelta(minutes=61), peers=PEERS)
    assert get_message(engine, message_id).status == MessageStatus.sent

    delivery_checks_job(engine, twilio_settings, twilio_transport, now + timedelta(minutes=122), peers=PEERS)
    assert get_message(engine, message_id).status == MessageStatus.delivered


def test_the_simulator_answers_the_lookup_too(engine: Engine, now: datetime, settings: Settings) -> None:
    transport = SimulatorTransport()
    message_id = queue(engine, now)
    dispatch(engine, settings, transport, now, peers=PEERS)
    with Session(engine) as session:  # as if its delivery report had been lost
        message = session.get(Message, message_id)
        assert message is not None and message.status == MessageStatus.delivered
        message.status, message.delivered_at = MessageStatus.sent, None
        session.commit()

    delivery_checks_job(engine, settings, transport, now + timedelta(hours=1), peers=PEERS)

    assert get_message(engine, message_id).status == MessageStatus.delivered
