"""X-Twilio-Signature: Twilio's published example, and the webhook's verdict over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from twilio.request_validator import RequestValidator

from bot.app import create_app
from bot.channels import metrics
from bot.channels.models import Message
from bot.channels.routes import Fields, signature_matches
from bot.channels.simulator import SimulatorTransport
from bot.config import Settings
from tests.channels.webhook_helpers import PUBLIC_URL, inbound_params, post_signed, sign

EXAMPLE_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
EXAMPLE_PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+12349013030",
    "Digits": "1234",
    "From": "+12349013030",
    "To": "+18005551212",
}
EXAMPLE_SIGNATURE = "0/KCTR6DLpKmkAf8muzZqo1nDgQ="


def test_twilio_published_example_vector() -> None:
    validator = RequestValidator("12345")
    assert validator.compute_signature(EXAMPLE_URL, EXAMPLE_PARAMS) == EXAMPLE_SIGNATURE
    assert validator.validate(EXAMPLE_URL, EXAMPLE_PARAMS, EXAMPLE_SIGNATURE)
    assert not validator.validate(EXAMPLE_URL, {**EXAMPLE_PARAMS, "Digits": "1235"}, EXAMPLE_SIGNATURE)


@pytest.mark.parametrize("signed_as", [
    "https://mycompany.com/myapp.php?foo=1&bar=2",
    "https://mycompany.com:443/myapp.php?foo=1&bar=2",
    "http://bot.example.dk:8080/sms/inbound",
    "http://bot.example.dk/sms/inbound",
])
@pytest.mark.parametrize("checked_at", [
    "https://mycompany.com/myapp.php?foo=1&bar=2",
    "https://mycompany.com:443/myapp.php?foo=1&bar=2",
    "http://bot.example.dk:8080/sms/inbound",
    "http://bot.example.dk/sms/inbound",
])
def test_the_webhook_check_agrees_with_twilios_validator(signed_as: str, checked_at: str) -> None:
    """Same verdict as ``RequestValidator.validate`` with and without ports, for repeated fields too."""
    validator = RequestValidator("12345")
    fields = Fields({name: [value] for name, value in EXAMPLE_PARAMS.items()})
    fields["Media"] = ["b", "a", "b"]
    for params in (fields, Fields({**fields, "Digits": ["1235"]})):
        for signature in (validator.compute_signature(signed_as, fields), EXAMPLE_SIGNATURE, "", "x" * 28):
            expected = bool(signature) and validator.validate(checked_at, params, signature)
            assert signature_matches("12345", checked_at, params, signature) == expected


@pytest.fixture
def client(engine: Engine, settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings, engine=engine, transport=SimulatorTransport())
    with TestClient(app, base_url="http://internal:8080") as test_client:
        yield test_client


def _stored(engine: Engine) -> list[Message]:
    with Session(engine) as session:
        return list(session.exec(select(Message)).all())


def test_the_example_vector_is_accepted_over_http(engine: Engine, settings: Settings) -> None:
    settings.public_url = "https://mycompany.com"
    app = create_app(settings, engine=engine, transport=SimulatorTransport())
    params = {**EXAMPLE_PARAMS, "MessageSid": "SM" + "a" * 32, "Body": "hej"}
    with TestClient(app) as client:
        ok = client.post(
            "/sms/inbound?foo=1&bar=2",
            data=params,
            headers={"X-Twilio-Signature": sign("12345", "https://mycompany.com/sms/inbound?foo=1&bar=2", params)},
        )
        assert ok.status_code == 200
        bad = client.post(
            "/sms/inbound?foo=1&bar=2", data=params, headers={"X-Twilio-Signature": EXAMPLE_SIGNATURE}
        )
        assert bad.status_code == 403


def test_signed_for_the_public_url_is_accepted_behind_a_proxy(client: TestClient, engine: Engine) -> None:
    # The test client talks to http://internal:8080; Twilio signed https://bot.example.dk.
    response = post_signed(client, "/sms/inbound", inbound_params("SM" + "1" * 32, "+4520123456"))
    assert response.status_code == 200
    assert "<Response/>" in response.text
    [message] = [m for m in _stored(engine) if m.direction == "inbound"]
    assert message.signature == "valid"


@pytest.mark.parametrize(
    "signature",
    ["", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", "not base64 at all"],
    ids=["empty", "other-request", "garbage"],
)
def test_wrong_signature_is_refused_counted_and_stores_nothing(
    client: TestClient, engine: Engine, signature: str
) -> None:
    before = metrics.rejected_signatures("inbound")
    state_before = getattr(client.app.state, "rejected_signatures", 0)  # type: ignore[attr-defined]

    response = post_signed(client, "/sms/inbound", inbound_params("SM" + "2" * 32, "+4520123456"), signature=signature)

    assert response.status_code == 403
    assert metrics.rejected_signatures("inbound") == before + 1
    assert client.app.state.rejected_signatures == state_before + 1  # type: ignore[attr-defined]
    assert _stored(engine) == []


def test_missing_signature_header_is_refused(client: TestClient, engine: Engine) -> None:
    response = client.post("/sms/inbound", data=inbound_params("SM" + "3" * 32, "+4520123456"))
    assert response.status_code == 403
    assert _stored(engine) == []


def test_signature_over_other_parameters_is_refused(client: TestClient, engine: Engine) -> None:
    params = inbound_params("SM" + "4" * 32, "+4520123456")
    signature = sign("12345", PUBLIC_URL + "/sms/inbound", params)
    tampered = {**params, "Body": "something else"}
    response = client.post("/sms/inbound", data=tampered, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403
    assert _stored(engine) == []


def test_signature_with_another_token_is_refused(client: TestClient, engine: Engine) -> None:
    response = post_signed(client, "/sms/inbound", inbound_params("SM" + "5" * 32, "+4520123456"), token="54321")
    assert response.status_code == 403


def test_status_callback_needs_a_signature_too(client: TestClient) -> None:
    before = metrics.rejected_signatures("status")
    response = client.post("/sms/status", data={"MessageSid": "SM" + "6" * 32, "MessageStatus": "delivered"})
    assert response.status_code == 403
    assert metrics.rejected_signatures("status") == before + 1
