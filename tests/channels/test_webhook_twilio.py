"""Inbound through the webhook, reply out through the official twilio client to the fake API."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from bot.app import create_app
from bot.channels.twilio_transport import TwilioTransport
from bot.config import Settings
from tests.channels.conftest import FROM_NUMBER
from tests.channels.webhook_helpers import inbound_params, post_signed
from tests.fakes.twilio_api import FakeTwilio


def test_reply_to_an_unknown_sender_goes_out_through_twilio(
    engine: Engine, fake_twilio: FakeTwilio, twilio_settings: Settings, twilio_transport: TwilioTransport
) -> None:
    app = create_app(twilio_settings, engine=engine, transport=twilio_transport)
    with TestClient(app) as client:
        response = post_signed(
            client, "/sms/inbound", inbound_params("SM" + "7" * 32, "+4520998877"), token=fake_twilio.auth_token
        )

        assert response.status_code == 200
        [sent] = fake_twilio.created()
        assert sent["to"] == "+4520998877"
        assert sent["from"] == FROM_NUMBER
        assert sent["status_callback"] == "https://bot.example.dk/sms/status"

        delivered = post_signed(
            client, "/sms/status", {"MessageSid": sent["sid"], "MessageStatus": "delivered"},
            token=fake_twilio.auth_token,
        )
        assert delivered.status_code == 200
        listed = client.get("/simulator/messages", params={"phone": "+4520998877"})
        assert listed.status_code == 404  # no simulator in production


def test_throttled_reply_stays_queued_for_the_dispatcher(
    engine: Engine, fake_twilio: FakeTwilio, twilio_settings: Settings, twilio_transport: TwilioTransport
) -> None:
    from sqlmodel import Session, select

    from bot.channels.models import Direction, Message, MessageStatus

    fake_twilio.fail_next(1, status=429)
    app = create_app(twilio_settings, engine=engine, transport=twilio_transport)
    with TestClient(app) as client:
        response = post_signed(
            client, "/sms/inbound", inbound_params("SM" + "8" * 32, "+4520998877"), token=fake_twilio.auth_token
        )
    assert response.status_code == 200
    with Session(engine) as session:
        [reply] = session.exec(select(Message).where(Message.direction == Direction.outbound)).all()
    assert reply.status == MessageStatus.queued
    assert reply.error_code == "429"
