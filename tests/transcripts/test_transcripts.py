"""Golden transcripts: whole conversations per language, held through the real pipeline.

Each file in ``tests/transcripts/<language>/`` lists turns: ``send`` (what the citizen
texts), the ``replies`` expected by message id (``text`` when the exact words matter,
``locale`` when the language of the reply does), and the ``effects`` the flow hands to
the domains (compared on the keys given). ``reminder`` stands for a reminder that asked
"are you coming?" about an appointment. A file with ``appointments`` (id, title, starts_at)
stores them as appointments whose reminder asked, and the reminders' own handlers answer
confirmations and cancellations, so which appointment an answer lands on is held too.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.channels.inbound_store import store_inbound  # noqa: F401 - the pipeline under test
from bot.config import Settings
from bot.contacts.models import Citizen
from bot.conversations import registry
from bot.conversations.models import Conversation
from bot.conversations.responder import neutral_ack
from bot.flows.yaml_loader import load_yaml
from bot.i18n import LANGUAGES, render
from bot.reminders import replies as reminder_replies
from bot.reminders.conversation_hook import ask_attendance
from bot.reminders.models import Appointment, AppointmentKind, Reminder, ReminderStatus
from bot.sick_notices import handlers as absence_handlers

HERE = Path(__file__).parent
FILES = sorted(HERE.glob("*/*.yaml"))
EFFECT_KINDS = (
    "record_sick_notice", "set_sick_notice_length", "sick_check_in", "end_sick_notice",
    "confirm_appointment", "record_cancellation", "add_cancellation_reason", "next_appointments",
    "handover", "flow_expired",
)
# The domains' own handlers answer, so the receipts a citizen gets are part of the transcript.
REAL: dict[str, registry.EffectHandler] = {
    "record_sick_notice": absence_handlers.record_sick_notice_effect,
    "set_sick_notice_length": absence_handlers.set_length_effect,
    "sick_check_in": absence_handlers.sick_check_in_effect,
    "end_sick_notice": absence_handlers.end_sick_notice_effect,
    "add_cancellation_reason": absence_handlers.add_cancellation_reason_effect,
    "confirm_appointment": reminder_replies.confirm_appointment,
    "record_cancellation": reminder_replies.record_cancellation,
    "next_appointments": reminder_replies.next_appointments,
}
# The effect keys a transcript shows (others are bookkeeping: message ids, acks).
SHOWN_KEYS = ("appointment_id", "starts_on", "ends_on", "days", "reason", "chosen", "answered", "sick")
PHONE = "+4520123456"
# TRANSCRIPTS_UPDATE=1 writes what the conversation did back into the files (review the diff).
UPDATE = os.environ.get("TRANSCRIPTS_UPDATE") == "1"


def test_at_least_five_conversations_per_language() -> None:
    for language in LANGUAGES:
        assert len(list((HERE / language).glob("*.yaml"))) >= 5, language


class Recording:
    """Stands in for the domains: keeps each effect and answers with the neutral acknowledgement,
    or hands it to the real handler given for its kind."""

    def __init__(self, real: dict[str, registry.EffectHandler] | None = None) -> None:
        self.effects: list[dict[str, Any]] = []
        self.real = real or {}

    def __call__(self, **kwargs: Any) -> list[registry.Reply]:
        effect = kwargs["effect"]
        self.effects.append(effect)
        handler = self.real.get(str(effect["kind"]))
        if handler is not None:
            return list(handler(**kwargs))
        return neutral_ack(effect, kwargs["contact"].language)


def store_asked_appointments(session: Session, citizen_id: int, rows: list[dict[str, Any]], now: Any) -> None:
    """Appointments whose reminder has asked "are you coming?" (sent before ``now``)."""
    for row in rows:
        starts_at = datetime.fromisoformat(str(row["starts_at"]))
        session.add(Appointment(id=int(row["id"]), citizen_id=citizen_id, kind=AppointmentKind.meeting,
                                title=row.get("title"), starts_at=starts_at))
        session.flush()
        session.add(Reminder(appointment_id=int(row["id"]), recipient_id=citizen_id, kind="before_24h",
                             template="reminder.meeting", due_at=now - timedelta(hours=1),
                             status=ReminderStatus.sent, asks_confirmation=True))


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_transcript(path: Path, engine: Engine, settings: Settings, send: Any, now: Any) -> None:
    doc = load_yaml(path)
    recording = Recording(REAL)
    for kind in EFFECT_KINDS:
        registry.register_effect(kind, recording)
    with Session(engine) as session:
        person = Citizen(name="Test Person", phone=PHONE, language=doc["language"])
        session.add(person)
        session.flush()
        assert person.id is not None
        store_asked_appointments(session, person.id, list(doc.get("appointments") or []), now)
        session.commit()
    for number, turn in enumerate(doc["turns"], start=1):
        where = f"{path.parent.name}/{path.name} turn {number}"
        before = len(recording.effects)
        if "reminder" in turn:
            with Session(engine) as session:
                conversation = session.exec(select(Conversation).where(Conversation.phone == PHONE)).first()
                conversation = conversation or Conversation(phone=PHONE, contact_kind="citizen")
                session.add(conversation)
                ask_attendance(session, conversation, settings=settings, now=now,
                                        appointment_id=int(turn["reminder"]["appointment_id"]))
                session.commit()
            continue
        replies = send(str(turn["send"]), now)
        rendered = [render(m.template, m.locale or "da", m.params) for m in replies]
        got = recording.effects[before:]
        if UPDATE:
            turn["replies"] = [m.template for m in replies]
            turn["text"] = rendered
            turn["effects"] = [{"kind": e["kind"], **{k: e[k] for k in SHOWN_KEYS if e.get(k) is not None}}
                               for e in got]
            continue
        assert [m.template for m in replies] == list(turn["replies"]), where
        if "text" in turn:
            assert rendered == list(turn["text"]), where
        if "locale" in turn:
            assert {m.locale for m in replies} == {turn["locale"]}, where
        expected = list(turn.get("effects") or [])
        assert [e["kind"] for e in got] == [e["kind"] for e in expected], where
        for want, have in zip(expected, got, strict=True):
            assert {key: have.get(key) for key in want} == want, where
    if UPDATE:
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
