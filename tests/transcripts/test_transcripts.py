"""Golden transcripts: whole conversations per language, held through the real pipeline.

Each file in ``tests/transcripts/<language>/`` lists turns: ``send`` (what the citizen
texts), the ``replies`` expected by message id (``text`` when the exact words matter,
``locale`` when the language of the reply does), and the ``effects`` the flow hands to
the domains (compared on the keys given). ``reminder`` stands for a reminder that asked
"are you coming?" about an appointment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.config import Settings
from bot.contacts.models import Citizen
from bot.conversations import registry
from bot.conversations.models import Conversation
from bot.conversations.pipeline import store_inbound  # noqa: F401 - the pipeline under test
from bot.conversations.responder import expect_attendance_reply, neutral_ack
from bot.flows.yaml_loader import load_yaml
from bot.i18n import LANGUAGES, render

HERE = Path(__file__).parent
FILES = sorted(HERE.glob("*/*.yaml"))
EFFECT_KINDS = (
    "record_sick_notice", "end_sick_notice", "confirm_appointment", "record_cancellation",
    "next_appointments", "handover", "flow_expired",
)
PHONE = "+4520123456"


def test_at_least_five_conversations_per_language() -> None:
    for language in LANGUAGES:
        assert len(list((HERE / language).glob("*.yaml"))) >= 5, language


class Recording:
    """Stands in for the domains: keeps each effect and answers with the neutral acknowledgement."""

    def __init__(self) -> None:
        self.effects: list[dict[str, Any]] = []

    def __call__(self, **kwargs: Any) -> list[registry.Reply]:
        effect = kwargs["effect"]
        self.effects.append(effect)
        return neutral_ack(effect, kwargs["contact"].language)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_transcript(path: Path, engine: Engine, settings: Settings, send: Any, now: Any) -> None:
    doc = load_yaml(path)
    recording = Recording()
    for kind in EFFECT_KINDS:
        registry.register_effect(kind, recording)
    with Session(engine) as session:
        session.add(Citizen(name="Test Person", phone=PHONE, language=doc["language"]))
        session.commit()
    for number, turn in enumerate(doc["turns"], start=1):
        where = f"{path.parent.name}/{path.name} turn {number}"
        before = len(recording.effects)
        if "reminder" in turn:
            with Session(engine) as session:
                conversation = session.exec(select(Conversation).where(Conversation.phone == PHONE)).first()
                conversation = conversation or Conversation(phone=PHONE, contact_kind="citizen")
                session.add(conversation)
                expect_attendance_reply(session, conversation, settings=settings, now=now,
                                        appointment_id=int(turn["reminder"]["appointment_id"]))
                session.commit()
            continue
        replies = send(str(turn["send"]), now)
        assert [m.template for m in replies] == list(turn["replies"]), where
        if "text" in turn:
            rendered = [render(m.template, m.locale or "da", m.params) for m in replies]
            assert rendered == list(turn["text"]), where
        if "locale" in turn:
            assert {m.locale for m in replies} == {turn["locale"]}, where
        got = recording.effects[before:]
        expected = list(turn.get("effects") or [])
        assert [e["kind"] for e in got] == [e["kind"] for e in expected], where
        for want, have in zip(expected, got, strict=True):
            assert {key: have.get(key) for key in want} == want, where
