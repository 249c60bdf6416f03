"""What staff read about citizens and companies: lists filtered by who is looking, and single
records whose every opening (and every export) is recorded in the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, or_, select

from bot import access
from bot.access import Viewer
from bot.audit import service as audit
from bot.contacts.models import Citizen, Employer, EmployerContact, Staff

EXPORT_COLUMNS = ["id", "name", "phone", "language", "opted_out", "consultant"]


def _citizen_search(viewer: Viewer, q: str, query: Any) -> Any:
    query = query.where(access.citizen_filter(viewer))
    q = q.strip()
    if q:
        pattern = f"%{q.lower()}%"
        query = query.where(or_(func.lower(Citizen.name).like(pattern), col(Citizen.phone).like(f"%{q}%")))
    return query.order_by(col(Citizen.name), col(Citizen.id))


def citizen_page(
    session: Session, viewer: Viewer, q: str, *, page: int, size: int
) -> tuple[list[Citizen], bool]:
    """One page of the citizens the viewer sees matching ``q`` (name or phone), and whether more follow."""
    query = _citizen_search(viewer, q, select(Citizen))
    rows = list(session.exec(query.offset((max(page, 1) - 1) * size).limit(size + 1)).all())
    return rows[:size], len(rows) > size


def export_citizens(
    session: Session, *, viewer: Viewer, q: str, acting_staff: int, now: datetime, address: str | None = None
) -> list[list[Any]]:
    """The rows of the citizen export (``EXPORT_COLUMNS``); the export itself is audited."""
    base = select(Citizen, Staff.name).outerjoin(Staff, col(Staff.id) == col(Citizen.consultant_id))
    rows = [
        [c.id, c.name, c.phone or "", c.language, "yes" if c.opted_out else "no", consultant_name or ""]
        for c, consultant_name in session.exec(_citizen_search(viewer, q, base)).all()
    ]
    audit.record(
        session,
        staff_id=acting_staff,
        action="export",
        subject="citizens",
        details={"rows": len(rows), "q": q[:100]},
        address=address,
        now=now,
    )
    return rows


def read_citizen(
    session: Session,
    *,
    viewer: Viewer,
    citizen_id: int,
    acting_staff: int,
    now: datetime,
    address: str | None = None,
) -> Citizen | None:
    """The citizen if the viewer may see them, with the look recorded."""
    citizen = access.citizen(session, viewer, citizen_id)
    if citizen is not None:
        audit.record(
            session,
            staff_id=acting_staff,
            action="view",
            subject=f"citizen:{citizen_id}",
            address=address,
            now=now,
        )
    return citizen


def record_opening(
    session: Session, *, acting_staff: int | None, citizen_id: int, now: datetime, via: str
) -> None:
    """A citizen's record opened through another door (the API), on record as the panel's are."""
    audit.record(session, staff_id=acting_staff, action="view", subject=f"citizen:{citizen_id}", now=now,
                 details={"via": via})


def companies(session: Session, viewer: Viewer, q: str, *, limit: int = 500) -> list[Employer]:
    query = select(Employer).where(access.employer_filter(viewer))
    if q.strip():
        query = query.where(func.lower(Employer.name).like(f"%{q.strip().lower()}%"))
    return list(session.exec(query.order_by(col(Employer.name)).limit(limit)).all())


def read_company(
    session: Session,
    *,
    viewer: Viewer,
    employer_id: int,
    acting_staff: int,
    now: datetime,
    address: str | None = None,
) -> Employer | None:
    """The company if the viewer may see it, with the look recorded."""
    company = access.employer(session, viewer, employer_id)
    if company is not None:
        audit.record(
            session,
            staff_id=acting_staff,
            action="view",
            subject=f"employer:{employer_id}",
            address=address,
            now=now,
        )
    return company


def company_contacts(session: Session, employer_id: int) -> list[EmployerContact]:
    return list(
        session.exec(
            select(EmployerContact)
            .where(EmployerContact.employer_id == employer_id)
            .order_by(col(EmployerContact.name))
        ).all()
    )
