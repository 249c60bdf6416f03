"""Only Twilio may post to the webhooks: a missing or wrong signature is refused and changes nothing."""

from __future__ import annotations

import pytest
from sqlmodel import Session, func, select

from bot.channels.models import Message
from tests.security.conftest import signed, sms


def _count(engine) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(Message)).one()


def test_a_correctly_signed_post_is_stored(client, settings, engine):
    body, headers = signed(settings, sms())
    assert client.post("/sms/inbound", content=body, headers=headers).status_code == 200
    assert _count(engine) >= 1


@pytest.mark.parametrize(
    "tamper",
    ["no signature", "empty signature", "wrong token", "other url", "body changed", "field added",
     "signature of another post", "status endpoint signature"],
)
def test_a_missing_or_wrong_signature_gets_403_and_stores_nothing(client, settings, engine, tamper):
    fields = sms(body="Jeg er syg")
    body, headers = signed(settings, fields)
    if tamper == "no signature":
        del headers["X-Twilio-Signature"]
    elif tamper == "empty signature":
        headers["X-Twilio-Signature"] = ""
    elif tamper == "wrong token":
        body, headers = signed(settings.model_copy(update={"twilio_auth_token": "not-the-token"}), fields)
    elif tamper == "other url":
        body, headers = signed(settings.model_copy(update={"public_url": "https://evil.example.com"}), fields)
    elif tamper == "body changed":
        body = body.replace(b"Jeg+er+syg", b"Jeg+kommer")
    elif tamper == "field added":
        body += b"&Extra=1"
    elif tamper == "signature of another post":
        headers["X-Twilio-Signature"] = signed(settings, sms())[1]["X-Twilio-Signature"]
    elif tamper == "status endpoint signature":
        headers["X-Twilio-Signature"] = signed(settings, fields, path="/sms/status")[1]["X-Twilio-Signature"]
    response = client.post("/sms/inbound", content=body, headers=headers)
    assert response.status_code == 403
    assert _count(engine) == 0


def test_an_unsigned_status_callback_changes_nothing(client, settings, engine):
    body, headers = signed(settings, sms(), path="/sms/status")
    del headers["X-Twilio-Signature"]
    assert client.post("/sms/status", content=body, headers=headers).status_code == 403
    assert _count(engine) == 0


def test_sql_looking_text_is_stored_as_text(client, settings, engine):
    attack = "'; DROP TABLE citizen; --"
    body, headers = signed(settings, sms(body=attack))
    assert client.post("/sms/inbound", content=body, headers=headers).status_code == 200
    with Session(engine) as s:
        stored = s.exec(select(Message).where(Message.direction == "inbound")).one()
        assert stored.body == attack
        s.exec(select(func.count()).select_from(Message)).one()
    from bot.contacts.models import Citizen

    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(Citizen)).one() == 0
