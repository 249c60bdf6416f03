"""POST /sms/status: statuses move forward only; 21610 opts out; failures reach staff."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.app import create_app
from bot.channels.models import EarlyStatus, Message, MessageStatus
from bot.channels.simulator import SimulatorTransport
from bot.config import Settings
from bot.contacts.models import EmployerContact
from tests.channels.helpers import add_citizen, add_employer_contact, citizen, get_message, open_items, queue
from tests.channels.webhook_helpers import post_signed

SID = "SM" + "9" * 32


@pytest.fixture
def client(engine: Engine, settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings, engine=engine, transport=SimulatorTransport())
    with TestClient(app) as test_client:
        yield test_client


def _sent(engine: Engine, now: datetime, **kwargs: Any) -> int:
    message_id = queue(engine, now, **kwargs)
    with Session(engine) as session:
        message = session.get(Message, message_id)
        assert message is not None
        message.status = MessageStatus.sent
        message.provider_sid = SID
        session.commit()
    return message_id


def _status(client: TestClient, status: str, error_code: str | None = None) -> Any:
    params = {"MessageSid": SID, "MessageStatus": status, "AccountSid": "AC" + "0" * 32}
    if error_code:
        params["ErrorCode"] = error_code
    return post_signed(client, "/sms/status", params)


def test_delivered_is_recorded(client: TestClient, engine: Engine, now: datetime) -> None:
    message_id = _sent(engine, now)
    assert _status(client, "delivered").status_code == 200
    stored = get_message(engine, message_id)
    assert stored.status == MessageStatus.delivered
    assert stored.delivered_at is not None


def test_a_late_sent_does_not_overwrite_delivered(client: TestClient, engine: Engine, now: datetime) -> None:
    message_id = _sent(engine, now)
    _status(client, "delivered")
    _status(client, "sent")
    _status(client, "queued")
    assert get_message(engine, message_id).status == MessageStatus.delivered


def test_undelivered_opens_a_call_this_person_item(client: TestClient, engine: Engine, now: datetime) -> None:
    citizen_id = add_citizen(engine)
    message_id = _sent(engine, now, contact_id=citizen_id)

    _status(client, "undelivered", "30003")
    _status(client, "undelivered", "30003")  # Twilio repeats callbacks; one item

    stored = get_message(engine, message_id)
    assert (stored.status, stored.error_code) == (MessageStatus.undelivered, "30003")
    [item] = open_items(engine, "delivery_failed")
    assert item.citizen_id == citizen_id
    assert "call this person" in item.summary


def test_unsubscribed_marks_the_citizen_opted_out(client: TestClient, engine: Engine, now: datetime) -> None:
    citizen_id = add_citizen(engine)
    _sent(engine, now, contact_id=citizen_id)

    assert _status(client, "failed", "21610").status_code == 200

    stored = citizen(engine, citizen_id)
    assert stored.opted_out
    assert stored.opted_out_at is not None
    assert len(open_items(engine, "delivery_failed")) == 1


def test_unsubscribed_marks_an_employer_contact_opted_out(
    client: TestClient, engine: Engine, now: datetime
) -> None:
    contact_id = add_employer_contact(engine, phone="+4531313131")
    _sent(engine, now, phone="+4531313131", contact_kind="employer_contact", contact_id=contact_id)

    _status(client, "undelivered", "21610")

    with Session(engine) as session:
        contact = session.get(EmployerContact, contact_id)
        assert contact is not None and contact.opted_out
    [item] = open_items(engine, "delivery_failed")
    assert item.employer_id is not None


def test_status_for_an_unknown_message_is_acknowledged_and_kept(client: TestClient, engine: Engine) -> None:
    assert _status(client, "delivered").status_code == 200
    with Session(engine) as session:
        [kept] = session.exec(select(EarlyStatus)).all()
    assert (kept.provider_sid, kept.status, kept.applied_at) == (SID, MessageStatus.delivered, None)


def test_status_without_fields_is_refused(client: TestClient) -> None:
    response = post_signed(client, "/sms/status", {"MessageSid": SID})
    assert response.status_code == 400
    assert "MessageStatus" in response.text
