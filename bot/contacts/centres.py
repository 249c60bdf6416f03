"""Language centres and their contacts, kept the way employers and employer contacts are.

A centre contact's phone number is unique across every kind of contact, so an inbound SMS
always has one owner.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from bot.contacts.centre_models import CentreContact, LanguageCentre
from bot.contacts.service import (
    ContactInputError,
    NotFound,
    change_contact,
    check_language,
    check_name,
    free_phone,
)


def create_centre(
    *, session: Session, name: str, address: str | None = None, now: datetime
) -> LanguageCentre:
    clean = check_name(name)
    if session.exec(select(LanguageCentre).where(LanguageCentre.name == clean)).first() is not None:
        raise ContactInputError("name", f"a language centre named '{clean}' already exists")
    centre = LanguageCentre(name=clean, address=address, created_at=now)
    session.add(centre)
    session.flush()
    return centre


def update_centre(*, session: Session, centre: LanguageCentre, changes: Mapping[str, Any]) -> LanguageCentre:
    """A new name (still unique) or address; a centre is never deleted."""
    for key, value in changes.items():
        if key == "name":
            clean = check_name(value)
            other = session.exec(select(LanguageCentre).where(LanguageCentre.name == clean)).first()
            if other is not None and other.id != centre.id:
                raise ContactInputError("name", f"a language centre named '{clean}' already exists")
            centre.name = clean
        elif key == "address":
            centre.address = (value or "").strip() or None
        else:
            raise ContactInputError(key, "this field cannot be changed")
    session.add(centre)
    session.flush()
    return centre


def get_centre(*, session: Session, centre_id: int) -> LanguageCentre:
    centre = session.get(LanguageCentre, centre_id)
    if centre is None:
        raise NotFound(f"There is no language centre with id {centre_id}.")
    return centre


def list_centres(*, session: Session) -> list[LanguageCentre]:
    return list(session.exec(select(LanguageCentre).order_by(col(LanguageCentre.name))).all())


def create_centre_contact(
    *,
    session: Session,
    centre_id: int,
    name: str,
    phone: str | None,
    language: str = "da",
    region: str = "DK",
    now: datetime,
) -> CentreContact:
    get_centre(session=session, centre_id=centre_id)
    contact = CentreContact(
        centre_id=centre_id,
        name=check_name(name),
        phone=free_phone(session, phone, region=region, kind="centre_contact", own_id=None),
        language=check_language(language),
        created_at=now,
    )
    session.add(contact)
    session.flush()
    return contact


def contacts_of_centre(*, session: Session, centre_id: int) -> list[CentreContact]:
    return list(
        session.exec(
            select(CentreContact).where(CentreContact.centre_id == centre_id).order_by(col(CentreContact.id))
        ).all()
    )


def get_centre_contact(*, session: Session, centre_id: int, contact_id: int) -> CentreContact:
    contact = session.get(CentreContact, contact_id)
    if contact is None or contact.centre_id != centre_id:
        raise NotFound(f"Language centre {centre_id} has no contact with id {contact_id}.")
    return contact


def update_centre_contact(
    *, session: Session, contact: CentreContact, changes: Mapping[str, Any], region: str = "DK", now: datetime
) -> CentreContact:
    """As an employer contact: a contact who asked for no SMS is kept, marked ``opted_out``."""
    change_contact(session, contact, changes, kind="centre_contact", region=region, now=now)
    session.add(contact)
    session.flush()
    return contact
