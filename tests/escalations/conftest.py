"""A company with a key-account consultant, a contact, an intern, and a team lead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlmodel import Session

from bot.contacts.models import Citizen, Employer, EmployerContact, Role, Staff
from bot.reminders.models import Placement


@dataclass
class Company:
    consultant: Staff
    lead: Staff
    employer: Employer
    contact: EmployerContact
    intern: Citizen
    placement: Placement


def make_company(session: Session, *, language: str = "da") -> Company:
    consultant = Staff(
        name="Mette Hansen",
        email="mette@kommune.dk",
        phone="+4520000001",
        role=Role.consultant,
        languages=["da"],
    )
    lead = Staff(
        name="Lars Holm", email="lars@kommune.dk", phone="+4520000009", role=Role.team_lead, languages=["da"]
    )
    session.add_all([consultant, lead])
    session.flush()
    employer = Employer(name="Fynsk Bageri ApS", cvr="12345678", consultant_id=consultant.id)
    session.add(employer)
    session.flush()
    assert employer.id is not None
    contact = EmployerContact(
        employer_id=employer.id, name="Hanne Berg", phone="+4530000001", language=language
    )
    intern = Citizen(name="Amal Yusuf", phone="+4540000001", language="ar", consultant_id=consultant.id)
    session.add_all([contact, intern])
    session.flush()
    assert intern.id is not None
    placement = Placement(citizen_id=intern.id, employer_id=employer.id, start_date=date(2026, 11, 2))
    session.add(placement)
    session.commit()
    return Company(consultant, lead, employer, contact, intern, placement)


@pytest.fixture
def company(session: Session) -> Company:
    return make_company(session)
