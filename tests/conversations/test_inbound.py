"""The inbound webhook end to end: stored first, processed once, answered once."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.channels.dispatcher import dispatch
from bot.channels.inbound_store import store_inbound
from bot.channels.models import Direction, Message, MessageStatus
from bot.channels.simulator import SimulatorTransport
from bot.contacts.models import Citizen
from bot.conversations import registry
from bot.conversations.models import Conversation
from bot.conversations.pipeline import reprocess_received
from bot.conversations.registry import Reply
from bot.i18n import render
from tests.channels.helpers import add_citizen, add_employer_contact, open_items, queue
from tests.channels.webhook_helpers import inbound_params, post_signed


def _messages(engine: Engine, direction: str | None = None) -> list[Message]:
    with Session(engine) as session:
        query = select(Message).order_by(Message.id)  # type: ignore[arg-type]
        if direction:
            query = query.where(Message.direction == direction)
        return list(session.exec(query).all())


def _post(client: TestClient, sid: str, sender: str, body: str = "hej") -> Any:
    return post_signed(client, "/sms/inbound", inbound_params(sid, sender, body))


@pytest.fixture
def no_citizen_responder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(registry._responders, "citizen", raising=False)
    monkeypatch.delitem(registry._responders, "employer_contact", raising=False)


def test_unknown_sender_is_stored_answered_in_three_languages_and_shown_to_staff(
    client: TestClient, engine: Engine, transport: SimulatorTransport
) -> None:
    # "?" names no language (a message that does is answered in it: tests/i18n/test_unknown_sender.py).
    response = _post(client, "SM" + "a" * 32, "+45 20 99 88 77", "?")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    [inbound] = _messages(engine, "inbound")
    assert inbound.phone == "+4520998877"
    assert inbound.body == "?"
    assert inbound.raw_payload["MessageSid"] == "SM" + "a" * 32
    assert inbound.status == MessageStatus.processed
    [reply] = _messages(engine, "outbound")
    assert reply.status == MessageStatus.delivered  # the simulator delivers at once
    assert reply.in_reply_to_id == inbound.id
    [sent] = transport.sent
    assert sent.to == "+4520998877"
    assert "medarbejder" in sent.body and "staff" in sent.body and "رسالتك" in sent.body
    # Three UCS-2 segments at most.
    assert len(sent.body) <= 3 * 67
    [item] = open_items(engine, "unknown_sender")
    assert item.phone == "+4520998877"
    assert item.message_id == inbound.id


def test_unknown_sender_writing_again_gets_no_second_reply_or_item(
    client: TestClient, engine: Engine, transport: SimulatorTransport
) -> None:
    _post(client, "SM" + "a" * 32, "+4520998877")
    _post(client, "SM" + "b" * 32, "+4520998877", "hello?")

    assert len(_messages(engine, "inbound")) == 2
    assert len(transport.sent) == 1
    assert len(open_items(engine, "unknown_sender")) == 1


def test_repeated_message_sid_has_no_second_effect(
    client: TestClient, engine: Engine, transport: SimulatorTransport
) -> None:
    first = _post(client, "SM" + "c" * 32, "+4520998877")
    again = _post(client, "SM" + "c" * 32, "+4520998877")

    assert first.status_code == again.status_code == 200
    assert len(_messages(engine, "inbound")) == 1
    assert len(_messages(engine, "outbound")) == 1
    assert len(transport.sent) == 1


def test_known_citizen_without_a_responder_gets_help_in_their_language(
    client: TestClient, engine: Engine, transport: SimulatorTransport, no_citizen_responder: None
) -> None:
    citizen_id = add_citizen(engine, phone="+4520123456", language="en")

    _post(client, "SM" + "d" * 32, "20123456")

    [inbound] = _messages(engine, "inbound")
    assert (inbound.contact_kind, inbound.contact_id) == ("citizen", citizen_id)
    [sent] = transport.sent
    assert sent.body == render("reply.help", "en")
    assert open_items(engine, "unknown_sender") == []
    with Session(engine) as session:
        conversation = session.exec(select(Conversation)).one()
    assert conversation.phone == "+4520123456"
    assert conversation.contact_kind == "citizen"
    assert conversation.last_inbound_at == inbound.created_at


def test_known_contact_goes_to_the_responder_for_its_kind(
    client: TestClient, engine: Engine, transport: SimulatorTransport, monkeypatch: pytest.MonkeyPatch
) -> None:
    contact_id = add_employer_contact(engine, phone="+4531313131", language="da")
    seen: list[Any] = []

    def responder(**kwargs: Any) -> list[Reply]:
        seen.append(kwargs)
        return [Reply("reply.help", language="en"), Reply("reply.help", to_phone="+4520000001")]

    monkeypatch.setitem(registry._responders, "employer_contact", responder)

    _post(client, "SM" + "e" * 32, "+4531313131", "Praktikanten kom ikke")

    [call] = seen
    assert call["contact"].id == contact_id
    assert call["message"].body == "Praktikanten kom ikke"
    assert call["conversation"].phone == "+4531313131"
    assert sorted(s.to for s in transport.sent) == ["+4520000001", "+4531313131"]


def test_whatsapp_sender_is_stored_as_whatsapp_and_answered_there(
    client: TestClient, engine: Engine, transport: SimulatorTransport, no_citizen_responder: None
) -> None:
    add_citizen(engine, phone="+4520123456", language="da")

    _post(client, "SM" + "f" * 32, "whatsapp:+4520123456")

    [inbound] = _messages(engine, "inbound")
    assert (inbound.channel, inbound.phone) == ("whatsapp", "+4520123456")
    [sent] = transport.sent
    assert (sent.channel, sent.to) == ("whatsapp", "+4520123456")


def test_a_crash_in_processing_is_kept_for_staff_and_still_acknowledged(
    client: TestClient, engine: Engine, transport: SimulatorTransport, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_citizen(engine, phone="+4520123456")

    def broken(**kwargs: Any) -> list[Reply]:
        raise RuntimeError("flow exploded")

    monkeypatch.setitem(registry._responders, "citizen", broken)

    response = _post(client, "SM" + "1" * 32, "+4520123456", "syg")

    assert response.status_code == 200
    [inbound] = _messages(engine, "inbound")
    assert inbound.status == MessageStatus.process_failed
    assert inbound.body == "syg"
    [item] = open_items(engine, "processing_failed")
    assert item.message_id == inbound.id
    assert transport.sent == []
    # A retry by Twilio does not run it again.
    _post(client, "SM" + "1" * 32, "+4520123456", "syg")
    assert len(_messages(engine, "inbound")) == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"From": "+4520123456", "Body": "hej"}, "MessageSid"),
        ({"MessageSid": "SM" + "2" * 32, "Body": "hej"}, "From"),
    ],
)
def test_missing_fields_are_refused_with_a_clear_text(
    client: TestClient, engine: Engine, params: dict[str, str], field: str
) -> None:
    response = post_signed(client, "/sms/inbound", params)
    assert response.status_code == 400
    assert field in response.text
    assert _messages(engine) == []


def test_a_non_form_post_is_refused(client: TestClient, engine: Engine) -> None:
    response = client.post("/sms/inbound", json={"From": "+4520123456"})
    assert response.status_code == 415
    assert _messages(engine) == []


def test_repeated_fields_are_refused(client: TestClient, engine: Engine) -> None:
    from tests.channels.webhook_helpers import sign

    class Repeated(dict[str, str]):
        def getlist(self, name: str) -> list[str]:
            return ["+4520123456", "+4520123457"] if name == "From" else [self[name]]

    signature = sign("12345", "https://bot.example.dk/sms/inbound", Repeated(MessageSid="SM1", From=""))
    response = client.post(
        "/sms/inbound",
        content="MessageSid=SM1&From=%2B4520123456&From=%2B4520123457",
        headers={"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature},
    )
    assert response.status_code == 400
    assert "From" in response.text
    assert _messages(engine) == []


def test_long_bodies_in_any_script_with_control_characters_are_stored(
    client: TestClient, engine: Engine
) -> None:
    body = ("مرحبا \u202e\u200d😀 ሰላም \x00\x07" * 700)[:10_000]

    response = _post(client, "SM" + "3" * 32, "+4520998877", body)

    assert response.status_code == 200
    [inbound] = _messages(engine, "inbound")
    assert inbound.body is not None and len(inbound.body) == 10_000
    assert "\x00" not in inbound.body
    assert inbound.body.startswith("مرحبا \u202e\u200d😀")


def test_invalid_percent_escapes_are_stored_not_crashed(client: TestClient, engine: Engine) -> None:
    params = inbound_params("SM" + "4" * 32, "+4520998877", "\ufffd\ufffd")
    from tests.channels.webhook_helpers import sign

    signature = sign("12345", "https://bot.example.dk/sms/inbound", params)
    raw = "&".join(
        f"{k}=%FF%FE" if k == "Body" else f"{k}={v.replace('+', '%2B')}" for k, v in params.items()
    )
    response = client.post(
        "/sms/inbound",
        content=raw,
        headers={"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature},
    )
    assert response.status_code == 200
    [inbound] = _messages(engine, "inbound")
    assert inbound.body == "\ufffd\ufffd"


def test_logs_carry_sids_but_no_bodies(
    client: TestClient, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.channels")
    _post(client, "SM" + "5" * 32, "+4520998877", "jeg er syg med feber")

    records = [r for r in caplog.records if r.name.startswith("bot.channels")]
    assert any(getattr(r, "sid", None) == "SM" + "5" * 32 for r in records)
    assert any(r.name == "bot.channels.outbound" and getattr(r, "sid", None) for r in records)
    for record in records:
        assert "feber" not in record.getMessage()
        assert all("feber" not in str(value) for value in vars(record).values())


def test_a_message_stored_but_never_processed_is_picked_up_by_the_sweep(
    engine: Engine, settings: Any, now: datetime, no_citizen_responder: None
) -> None:
    add_citizen(engine, phone="+4520123456", language="en")
    with Session(engine) as session:
        from bot.channels.models import SignatureVerdict

        stored = store_inbound(
            session, provider_sid="SM" + "6" * 32, from_address="+4520123456", body="hej",
            raw_payload={}, signature=SignatureVerdict.valid, now=now,
        )

    # Too fresh: the request that stored it may still be processing it.
    assert reprocess_received(engine, settings, now + timedelta(seconds=5)) == []
    reply_ids = reprocess_received(engine, settings, now + timedelta(minutes=2))
    assert len(reply_ids) == 1
    assert reprocess_received(engine, settings, now + timedelta(minutes=3)) == []
    with Session(engine) as session:
        message = session.get(Message, stored.message_id)
        assert message is not None and message.status == MessageStatus.processed
        reply = session.get(Message, reply_ids[0])
        assert reply is not None and reply.direction == Direction.outbound
        assert reply.status == MessageStatus.queued


def test_a_sick_notice_after_stop_is_recorded_and_receipted_while_reminders_stay_stopped(
    client: TestClient, engine: Engine, transport: SimulatorTransport
) -> None:
    from bot.sick_notices.models import SickNotice

    citizen_id = add_citizen(engine, phone="+4520123456", language="da")
    _post(client, "SM" + "5" * 32, "+4520123456", "STOP")
    _post(client, "SM" + "6" * 32, "+4520123456", "syg i dag")

    with Session(engine) as session:
        [notice] = session.exec(select(SickNotice)).all()
        said = session.exec(select(Message).where(Message.body == "syg i dag")).one()
        citizen = session.get(Citizen, citizen_id)
    assert notice.citizen_id == citizen_id and notice.inbound_message_id == said.id
    assert notice.received_at == said.created_at
    assert citizen is not None and citizen.opted_out  # still stopped: only START starts again
    # The STOP's confirmation and the notice's receipt reach them; nothing of our own accord does.
    assert [m.to for m in transport.sent] == ["+4520123456", "+4520123456"]
    assert notice.reference in transport.sent[-1].body
    reminder_id = queue(engine, said.created_at, contact_id=citizen_id, purpose="reminder")
    app = client.app
    dispatch(engine, app.state.settings, transport, said.created_at + timedelta(seconds=1),  # type: ignore[attr-defined]
             peers=app.state.delivery_peers)  # type: ignore[attr-defined]
    with Session(engine) as session:
        reminder = session.get(Message, reminder_id)
    assert reminder is not None and reminder.status == MessageStatus.cancelled
