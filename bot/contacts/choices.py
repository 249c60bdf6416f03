"""What the record forms offer to choose from: citizens, the staff a record can be given to, and
a consultant's own caseload. Queries only; who may choose what is the caller's rule."""

from __future__ import annotations

from sqlmodel import Session, col, select

from bot.contacts.models import Citizen, Employer, EmployerContact, Role, Staff

CHOICES_LIMIT = 1000  # a select box longer than this helps nobody


def citizens(session: Session, *, consultant_id: int | None = None) -> list[Citizen]:
    """Citizens by name, all of them or those of one consultant's caseload."""
    query = select(Citizen).order_by(col(Citizen.name), col(Citizen.id)).limit(CHOICES_LIMIT)
    if consultant_id is not None:
        query = query.where(Citizen.consultant_id == consultant_id)
    return list(session.exec(query).all())


def consultants(session: Session) -> list[tuple[int, str]]:
    """(id, name) of everyone active a citizen or company can be given to."""
    query = select(Staff).where(
        col(Staff.role).in_([Role.consultant, Role.team_lead]), col(Staff.active).is_(True)
    )
    return [(s.id, s.name) for s in session.exec(query.order_by(col(Staff.name))).all() if s.id is not None]


def caseload_ids(session: Session, consultant_id: int) -> set[int]:
    """The ids of the citizens a consultant has."""
    found = session.exec(select(Citizen.id).where(Citizen.consultant_id == consultant_id)).all()
    return {citizen_id for citizen_id in found if citizen_id is not None}


def employers(session: Session) -> list[tuple[int, str]]:
    """(id, name) of every company a placement can be at."""
    query = select(Employer).order_by(col(Employer.name), col(Employer.id)).limit(CHOICES_LIMIT)
    return [(e.id, e.name) for e in session.exec(query).all() if e.id is not None]


def employer_contacts(session: Session, employer_id: int) -> list[tuple[int, str]]:
    """(id, name) of the people at one company a citizen can meet there."""
    query = select(EmployerContact).where(EmployerContact.employer_id == employer_id)
    return [(c.id, c.name) for c in session.exec(query.order_by(col(EmployerContact.name))).all()
            if c.id is not None]
