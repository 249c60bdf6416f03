"""The simulator page: a person texts as any number and reads the replies."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from bot.app import create_app
from bot.channels.simulator import SimulatorTransport
from bot.config import Settings
from bot.i18n import render
from tests.channels.helpers import add_citizen, open_items


@pytest.fixture
def client(engine: Engine, settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings, engine=engine, transport=SimulatorTransport())
    with TestClient(app) as test_client:
        yield test_client


def test_page_is_served_with_direction_auto(client: TestClient) -> None:
    response = client.get("/simulator")
    assert response.status_code == 200
    assert 'dir="auto"' in response.text
    assert "textContent" in response.text
    assert 'data-api="/simulator/messages"' in response.text


def test_texting_as_an_unknown_number_runs_the_real_pipeline(client: TestClient, engine: Engine) -> None:
    response = client.post("/simulator/messages", json={"phone": "20 99 88 77", "body": "<script>alert(1)</script>"})

    assert response.status_code == 200
    replies = response.json()["replies"]
    # In the language the text seems to be written in (if any), and in Danish.
    assert replies and all(r["status"] == "delivered" for r in replies)
    assert all(r["provider_sid"].startswith("SMsim") for r in replies)
    assert any("medarbejder" in r["body"] for r in replies)  # the Danish text is always among them
    assert len(open_items(engine, "unknown_sender")) == 1

    listed = client.get("/simulator/messages", params={"phone": "+4520998877"}).json()
    assert [m["direction"] for m in listed] == ["inbound"] + ["outbound"] * len(replies)
    assert listed[0]["body"] == "<script>alert(1)</script>"
    after = client.get("/simulator/messages", params={"phone": "+4520998877", "after": listed[0]["id"]}).json()
    assert [m["direction"] for m in after] == ["outbound"] * len(replies)


def test_a_known_citizen_is_answered_in_their_language(
    client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.conversations import registry

    monkeypatch.delitem(registry._responders, "citizen", raising=False)
    add_citizen(engine, phone="+4520123456", language="en")
    response = client.post("/simulator/messages", json={"phone": "+4520123456", "body": "hi", "channel": "whatsapp"})
    [reply] = response.json()["replies"]
    assert reply["body"] == render("reply.help", "en")
    assert reply["channel"] == "whatsapp"


def test_a_bad_number_is_refused_naming_the_field(client: TestClient) -> None:
    response = client.post("/simulator/messages", json={"phone": "not a number", "body": "hi"})
    assert response.status_code == 422
    assert "phone" in response.text


def test_simulator_is_not_mounted_with_twilio(engine: Engine, settings: Settings) -> None:
    settings.sms_transport = "twilio"
    settings.twilio_from_number = "+4570102030"
    app = create_app(settings, engine=engine, transport=SimulatorTransport())
    with TestClient(app) as client:
        assert client.get("/simulator").status_code == 404
        assert client.post("/simulator/messages", json={"phone": "+4520123456", "body": "x"}).status_code in (404, 405)
