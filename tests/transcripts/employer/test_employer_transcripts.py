"""Golden employer conversations, Danish and English, through the real pipeline and handlers.

Each file in ``employer/<language>/`` sets up the company (``interns``: how many interns are
placed there today, 0-2) and lists turns: ``send`` (what the company texts, ``minutes`` after
the start), ``from: citizen`` for the first intern's own answer, and the texts expected back
(``replies``, rendered exactly as the phone shows them). ``tickets`` at the end lists every
ticket as ``reference kind``; ``citizen_sms`` the texts the first intern received;
``attendance`` the outcomes recorded for the first intern's internship day.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.attendance.models import Attendance
from bot.config import Settings
from bot.contacts.models import Citizen
from bot.conversations import registry
from bot.conversations.responder import register_effects, respond_citizen
from bot.escalations import faq
from bot.escalations import handlers as employer_handlers
from bot.escalations.conversation import respond as respond_employer
from bot.escalations.models import Ticket
from bot.flows.yaml_loader import load_yaml
from bot.reminders import replies as reminder_replies
from bot.reminders.models import Appointment, AppointmentKind, Placement
from bot.sick_notices import handlers as absence_handlers
from bot.sick_notices.models import SickNotice
from tests.escalations.chat import sent_to, text_in
from tests.escalations.conftest import make_company

HERE = Path(__file__).parent
FILES = sorted(HERE.glob("*/*.yaml"))
EMPLOYER = "+4530000001"
INTERN = "+4540000001"
# TRANSCRIPTS_UPDATE=1 writes what the conversation did back into the files (review the diff).
UPDATE = os.environ.get("TRANSCRIPTS_UPDATE") == "1"


@pytest.fixture(autouse=True)
def wired() -> Iterator[None]:
    registry.register_responder("employer_contact", respond_employer)
    registry.register_responder("citizen", respond_citizen)
    register_effects()
    employer_handlers.register()
    absence_handlers.register()
    reminder_replies.register()
    yield


def _company(engine: Engine, language: str, interns: int, now: datetime) -> int:
    """The company with ``interns`` placed today; the first has an internship day at 08:00-15:00."""
    with Session(engine, expire_on_commit=False) as session:
        company = make_company(session, language=language)
        faq.seed(session, now=now)
        if interns == 0:
            company.placement.end_date = date(2026, 11, 20)
            session.add(company.placement)
        if interns >= 2:
            other = Citizen(name="Omar Said", phone="+4540000002", language="ar")
            session.add(other)
            session.flush()
            session.add(Placement(citizen_id=other.id or 0, employer_id=company.employer.id or 0,
                                  start_date=date(2026, 11, 1)))
        session.add(Appointment(citizen_id=company.intern.id or 0, kind=AppointmentKind.internship_day,
                                placement_id=company.placement.id, starts_at=now,
                                ends_at=now + timedelta(hours=7), title="Praktik"))
        session.commit()
        return company.intern.id or 0


def _state(engine: Engine, intern_id: int) -> dict[str, Any]:
    with Session(engine) as session:
        tickets = session.exec(select(Ticket).order_by(col(Ticket.id))).all()
        outcomes = session.exec(
            select(Attendance).join(Appointment, col(Appointment.id) == col(Attendance.appointment_id))
            .where(Appointment.citizen_id == intern_id)
        ).all()
        notices = session.exec(select(SickNotice).where(SickNotice.citizen_id == intern_id)).all()
        return {
            "tickets": [f"{t.reference} {t.kind.value}" for t in tickets],
            "attendance": [str(a.outcome.value) for a in outcomes],
            "sick_notices": len(notices),
        }


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_employer_transcript(path: Path, engine: Engine, settings: Settings, now: datetime) -> None:
    doc = load_yaml(path)
    intern_id = _company(engine, doc["language"], int(doc.get("interns", 1)), now)
    for number, turn in enumerate(doc["turns"], start=1):
        at = now + timedelta(minutes=int(turn.get("minutes", 0)))
        phone = INTERN if turn.get("from") == "citizen" else EMPLOYER
        replies = text_in(engine, settings, phone, str(turn["send"]), at)
        if UPDATE:
            turn["replies"] = replies
            continue
        assert replies == list(turn.get("replies") or []), f"{path.name} turn {number}"
    state = _state(engine, intern_id)
    if UPDATE:
        doc.update({k: state[k] for k in ("tickets", "attendance", "sick_notices")})
        doc["citizen_sms"] = sent_to(engine, INTERN)
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
        return
    assert state["tickets"] == list(doc.get("tickets") or []), path.name
    if "attendance" in doc:
        assert state["attendance"] == doc["attendance"], path.name
    if "sick_notices" in doc:
        assert state["sick_notices"] == doc["sick_notices"], path.name
    if "citizen_sms" in doc:
        assert sent_to(engine, INTERN)[: len(doc["citizen_sms"])] == doc["citizen_sms"], path.name


def test_both_languages_have_a_transcript_for_every_case() -> None:
    for language in ("da", "en"):
        assert len(list((HERE / language).glob("*.yaml"))) >= 5, language
