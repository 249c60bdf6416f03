"""Who is behind a phone number: a citizen, an employer contact, a staff member, or nobody."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from bot.absences.models import CentreContact
from bot.contacts.models import Citizen, EmployerContact, Staff


@dataclass(frozen=True)
class ContactRef:
    kind: str  # citizen | employer_contact | staff | centre_contact
    id: int
    name: str
    language: str
    opted_out: bool = False


def find_by_phone(session: Session, phone: str) -> ContactRef | None:
    """The contact that owns ``phone`` (E.164); numbers are unique across contact kinds."""
    citizen = session.exec(select(Citizen).where(Citizen.phone == phone)).first()
    if citizen is not None and citizen.id is not None:
        return ContactRef("citizen", citizen.id, citizen.name, citizen.language, citizen.opted_out)
    contact = session.exec(select(EmployerContact).where(EmployerContact.phone == phone)).first()
    if contact is not None and contact.id is not None:
        return ContactRef(
            "employer_contact", contact.id, contact.name, contact.language, contact.opted_out
        )
    centre_contact = session.exec(select(CentreContact).where(CentreContact.phone == phone)).first()
    if centre_contact is not None and centre_contact.id is not None:
        return ContactRef(
            "centre_contact",
            centre_contact.id,
            centre_contact.name,
            centre_contact.language,
            centre_contact.opted_out,
        )
    staff = session.exec(select(Staff).where(Staff.phone == phone)).first()
    if staff is not None and staff.id is not None:
        language = staff.languages[0] if staff.languages else "da"
        return ContactRef("staff", staff.id, staff.name, language)
    return None

