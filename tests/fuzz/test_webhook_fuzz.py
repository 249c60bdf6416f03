"""Hostile and broken input to the inbound webhook: never a 500; stored (2xx) or refused (4xx)."""

from __future__ import annotations

import uuid
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from bench.harness import inbound_fields, signature
from bot.app import create_app
from bot.channels.models import Direction, Message
from bot.channels.simulator import SimulatorTransport
from bot.contacts.models import Citizen
from tests.fuzz.strategies import bodies

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                      HealthCheck.too_slow])
PHONES = st.sampled_from(["+4520123456", "20123456", "whatsapp:+4520123456", "+9647701234567", "Kommune",
                          "", "+", "not a phone", "+45 20 12 34 56"])


@pytest.fixture
def client(engine, settings):
    with Session(engine) as s:
        s.add(Citizen(name="Amal Hassan", phone="+4520123456", language="ar"))
        s.commit()
    app = create_app(settings, engine=engine, transport=SimulatorTransport())
    with TestClient(app, base_url="https://testserver") as test_client:
        yield test_client


def _post(client, app_settings, pairs, raw_body: bytes | None = None):
    sig = signature(pairs, token=app_settings.twilio_auth_token, public_url=app_settings.public_url)
    body = raw_body if raw_body is not None else "&".join(
        f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs
    ).encode()
    return client.post("/sms/inbound", content=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": sig})


def _still_texted(engine) -> None:
    """The database outlives examples: an earlier random body read as STOP ("stop sms tak" in some
    script) rightly silences the citizen, so each example starts from one who has not opted out."""
    with Session(engine) as s:
        citizen = s.exec(select(Citizen).where(Citizen.phone == "+4520123456")).one()
        citizen.opted_out, citizen.opted_out_at = False, None
        s.add(citizen)
        s.commit()


def _stored(engine, sid: str) -> int:
    with Session(engine) as s:
        return len(s.exec(select(Message).where(Message.provider_sid == sid)).all())


def _answers(engine, sid: str) -> int:
    with Session(engine) as s:
        inbound = s.exec(select(Message).where(Message.provider_sid == sid)).one()
        return len(s.exec(select(Message).where(Message.in_reply_to_id == inbound.id,
                                                Message.direction == Direction.outbound)).all())


@FUZZ
@given(body=bodies, phone=PHONES)
def test_any_body_from_any_sender_is_stored_or_refused(client, settings, engine, body, phone):
    message_sid = "SM" + uuid.uuid4().hex  # fresh: the database outlives examples
    _still_texted(engine)
    pairs = list(inbound_fields(sid=message_sid, phone=phone, body=body).items())
    response = _post(client, settings, pairs)
    assert response.status_code < 500, response.text
    if 200 <= response.status_code < 300:
        assert _stored(engine, message_sid) == 1
        if phone in ("+4520123456", "20123456", "+45 20 12 34 56"):
            assert _answers(engine, message_sid) >= 1, "the citizen got no answer"
    else:
        assert 400 <= response.status_code < 500
        assert _stored(engine, message_sid) == 0


@FUZZ
@given(
    drop=st.sets(st.sampled_from(["MessageSid", "SmsSid", "From", "To", "Body", "AccountSid"])),
    repeat=st.lists(st.tuples(st.sampled_from(["MessageSid", "From", "Body", "To", "NumMedia", "Other"]),
                              st.text(max_size=20)), max_size=3),
)
def test_missing_and_repeated_fields_never_break_the_webhook(client, settings, engine, drop, repeat):
    message_sid = "SM" + uuid.uuid4().hex  # fresh: the database outlives examples
    fields = inbound_fields(sid=message_sid, phone="+4520123456", body="hej")
    pairs = [(k, v) for k, v in fields.items() if k not in drop] + list(repeat)
    response = _post(client, settings, pairs)
    assert response.status_code < 500, response.text
    if 200 <= response.status_code < 300:
        assert _stored(engine, message_sid) <= 1
    else:
        assert 400 <= response.status_code < 500
        assert _stored(engine, message_sid) == 0


@FUZZ
@given(junk=st.lists(st.integers(0x80, 0xFF), min_size=1, max_size=8),
       prefix=st.text(max_size=20))
def test_invalid_utf8_percent_escapes_are_stored_or_refused(client, settings, engine, junk, prefix):
    message_sid = "SM" + uuid.uuid4().hex  # fresh: the database outlives examples
    escaped = quote(prefix, safe="") + "".join(f"%{byte:02X}" for byte in junk)
    decoded = (prefix.encode() + bytes(junk)).decode("utf-8", "replace")
    fields = inbound_fields(sid=message_sid, phone="+4520123456", body=decoded)
    raw = "&".join(
        f"{quote(k, safe='')}={escaped if k == 'Body' else quote(v, safe='')}" for k, v in fields.items()
    ).encode()
    response = _post(client, settings, list(fields.items()), raw_body=raw)
    assert response.status_code < 500, response.text
    stored = _stored(engine, message_sid)
    assert stored == (1 if response.status_code < 300 else 0)


def test_a_body_that_is_not_a_form_is_refused(client, settings):
    response = client.post("/sms/inbound", content=b"\xff\xfe{not a form", headers={
        "Content-Type": "application/json", "X-Twilio-Signature": "x"})
    assert 400 <= response.status_code < 500
