"""Shared builders for the reminder tests."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.config import Settings
from bot.contacts.models import Citizen, Employer, EmployerContact
from bot.reminders.config import ReminderSettings, build_policy
from bot.reminders.policy import Policy

CPH = ZoneInfo("Europe/Copenhagen")


def local(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=CPH)


def policy() -> Policy:
    return build_policy(Settings(_env_file=None), ReminderSettings(_env_file=None))  # type: ignore[call-arg]


def citizen(session: Session, *, name: str = "Amina", phone: str | None = "+4520000001",
            language: str = "ar", opted_out: bool = False) -> Citizen:
    row = Citizen(name=name, phone=phone, language=language, opted_out=opted_out)
    session.add(row)
    session.flush()
    return row


def employer_with_contact(session: Session, *, phone: str = "+4530000001") -> tuple[Employer, EmployerContact]:
    employer = Employer(name="Bager Hansen", address="Stengade 1, Helsingør")
    session.add(employer)
    session.flush()
    assert employer.id is not None
    contact = EmployerContact(employer_id=employer.id, name="Lone", phone=phone, language="da")
    session.add(contact)
    session.flush()
    return employer, contact
