"""Staff change a record (a citizen, a company, a company contact): the change and its audit
entry in one action, so the panel's forms only read the fields and show the result.

An update is on record only when something changed, naming the fields that did.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.access import Viewer
from bot.audit import service as audit
from bot.contacts import service
from bot.contacts.models import Citizen, Employer, EmployerContact

CITIZEN_FIELDS = ("name", "phone", "language", "nickname", "consultant_id", "opted_out")
EMPLOYER_FIELDS = ("name", "cvr", "address", "consultant_id")


def record_changes(session: Session, acting_staff: Viewer, row: object, subject: str, fields: Iterable[str],
                   change: Callable[[], object], *, now: datetime, address: str | None,
                   details: Mapping[str, Any]) -> list[str]:
    """Run ``change`` on ``row`` and return which of ``fields`` it changed; an update is on
    record, with ``details`` and those fields, only when something did."""
    before = audit.snapshot(row, fields)
    change()
    changed = audit.changed_fields(before, row)
    if changed:
        audit.record_by(session, acting_staff, "update", subject, now, address,
                        {**details, "fields": changed})
    return changed


def create_citizen(
    *,
    session: Session,
    acting_staff: Viewer,
    name: str,
    phone: str | None,
    language: str,
    nickname: str | None,
    consultant_id: int | None,
    region: str,
    now: datetime,
    via: str,
    address: str | None = None,
    shares_phone: bool = False,
) -> Citizen:
    citizen = service.create_citizen(session=session, name=name, phone=phone, language=language,
                                     nickname=nickname, consultant_id=consultant_id, region=region, now=now,
                                     shares_phone=shares_phone)
    audit.record_by(session, acting_staff, "create", f"citizen:{citizen.id}", now, address, {"via": via})
    return citizen


def update_citizen(
    *,
    session: Session,
    acting_staff: Viewer,
    citizen: Citizen,
    changes: Mapping[str, Any],
    region: str,
    now: datetime,
    via: str,
    address: str | None = None,
) -> list[str]:
    """The fields that changed; none changed, nothing is recorded."""
    return record_changes(
        session, acting_staff, citizen, f"citizen:{citizen.id}", CITIZEN_FIELDS,
        lambda: service.update_citizen(session=session, citizen=citizen, changes=changes, region=region,
                                       now=now),
        now=now, address=address, details={"via": via})


def create_employer(
    *,
    session: Session,
    acting_staff: Viewer,
    name: str,
    cvr: str | None,
    consultant_id: int | None,
    employer_address: str | None,
    now: datetime,
    via: str,
    address: str | None = None,
) -> Employer:
    employer = service.create_employer(session=session, name=name, cvr=cvr, consultant_id=consultant_id,
                                       address=employer_address, now=now)
    audit.record_by(session, acting_staff, "create", f"employer:{employer.id}", now, address, {"via": via})
    return employer


def update_employer(
    *,
    session: Session,
    acting_staff: Viewer,
    employer: Employer,
    changes: Mapping[str, Any],
    now: datetime,
    via: str,
    address: str | None = None,
) -> list[str]:
    """The fields that changed; none changed, nothing is recorded."""
    return record_changes(
        session, acting_staff, employer, f"employer:{employer.id}", EMPLOYER_FIELDS,
        lambda: service.update_employer(session=session, employer=employer, changes=changes),
        now=now, address=address, details={"via": via})


def create_employer_contact(
    *,
    session: Session,
    acting_staff: Viewer,
    employer_id: int,
    name: str,
    phone: str | None,
    language: str,
    region: str,
    now: datetime,
    via: str,
    address: str | None = None,
) -> EmployerContact:
    contact = service.create_employer_contact(session=session, employer_id=employer_id, name=name,
                                              phone=phone, language=language, region=region, now=now)
    audit.record_by(session, acting_staff, "create", f"employer_contact:{contact.id}", now, address,
            {"via": via, "employer_id": employer_id})
    return contact


def update_employer_contact(
    *,
    session: Session,
    acting_staff: Viewer,
    contact: EmployerContact,
    changes: Mapping[str, Any],
    region: str,
    now: datetime,
    via: str,
    address: str | None = None,
) -> EmployerContact:
    service.update_employer_contact(session=session, contact=contact, changes=changes, region=region, now=now)
    audit.record_by(session, acting_staff, "update", f"employer_contact:{contact.id}", now, address,
            {"via": via, "employer_id": contact.employer_id})
    return contact
