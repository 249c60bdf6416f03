"""With the database away, Twilio gets a non-2xx (so it retries) and nothing is half-written."""

from __future__ import annotations

from fastapi.testclient import TestClient

from bot.app import create_app
from bot.channels.simulator import SimulatorTransport
from bot.config import Settings
from bot.db import make_engine
from tests.channels.webhook_helpers import inbound_params, post_signed


def test_inbound_gets_503_when_the_database_does_not_answer(settings: Settings) -> None:
    # Nothing listens on port 1: every connection attempt is refused at once.
    unreachable = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/none")
    app = create_app(settings, engine=unreachable, transport=SimulatorTransport())
    try:
        with TestClient(app) as client:
            response = post_signed(client, "/sms/inbound", inbound_params("SM" + "0" * 32, "+4520123456"))
            status = post_signed(client, "/sms/status", {"MessageSid": "SM" + "0" * 32, "MessageStatus": "sent"})
    finally:
        unreachable.dispose()
    assert response.status_code == 503
    assert "try again" in response.text
    assert status.status_code == 503
