"""Who may see what, enforced in the queries themselves.

Every list and every lookup of a citizen, company, open item or phone goes through here, so a
record outside a person's remit is simply not found (404), never shown and then hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import false, or_, true
from sqlmodel import Session, col, select

from bot.contacts.models import Citizen, Employer, EmployerContact, Role
from bot.items.models import ItemKind, OpenItem

# Open items a caseworker handles for every citizen: absence and attendance work.
ABSENCE_ITEM_KINDS = frozenset(
    {
        ItemKind.sick_notice.value,
        ItemKind.ask_documentation.value,
        ItemKind.attendance_missing.value,
        ItemKind.cancellation.value,
        "attendance_check",
        "hearing_awaiting_remarks",
        "hearing_awaiting_decision",
    }
)
# Open items for the benefits department: hearing cases waiting for the decision.
BENEFITS_ITEM_KINDS = frozenset({"hearing_awaiting_decision"})


@dataclass(frozen=True)
class Viewer:
    staff_id: int
    role: Role
    name: str = ""

    @property
    def is_lead(self) -> bool:
        return self.role is Role.team_lead

    @property
    def sees_citizens(self) -> bool:
        return self.role in (Role.consultant, Role.caseworker, Role.team_lead)

    @property
    def sees_companies(self) -> bool:
        return self.role in (Role.consultant, Role.team_lead)

    @property
    def sees_absences(self) -> bool:
        return self.role in (Role.caseworker, Role.team_lead)

    @property
    def sees_hearings(self) -> bool:
        return self.role in (Role.caseworker, Role.benefits, Role.team_lead)

    @property
    def prepares_hearings(self) -> bool:
        """Opening a case, documentation, remarks, the assessment and the guidance: caseworkers
        (and their team lead). Consultants only read; the benefits department only decides."""
        return self.role in (Role.caseworker, Role.team_lead)

    @property
    def decides_hearings(self) -> bool:
        """The benefits department decides; the software and everyone else only prepare."""
        return self.role is Role.benefits

    @property
    def sees_escalations(self) -> bool:
        """All tickets; a consultant sees only those assigned to them (``ticket_filter``)."""
        return self.role is Role.team_lead

    @property
    def is_admin(self) -> bool:
        return self.role is Role.admin


def citizen_filter(viewer: Viewer) -> Any:
    if viewer.role is Role.consultant:
        return Citizen.consultant_id == viewer.staff_id
    if viewer.role in (Role.caseworker, Role.team_lead):
        return true()
    return false()


def employer_filter(viewer: Viewer) -> Any:
    if viewer.role is Role.consultant:
        return Employer.consultant_id == viewer.staff_id
    if viewer.role is Role.team_lead:
        return true()
    return false()


def own_citizen_ids(viewer: Viewer) -> Any:
    return select(Citizen.id).where(Citizen.consultant_id == viewer.staff_id)


def own_employer_ids(viewer: Viewer) -> Any:
    return select(Employer.id).where(Employer.consultant_id == viewer.staff_id)


def item_filter(viewer: Viewer) -> Any:
    if viewer.role is Role.team_lead:
        return true()
    if viewer.role is Role.consultant:
        return or_(
            col(OpenItem.assignee_id) == viewer.staff_id,
            col(OpenItem.citizen_id).in_(own_citizen_ids(viewer)),
            col(OpenItem.employer_id).in_(own_employer_ids(viewer)),
        )
    if viewer.role is Role.caseworker:
        return or_(
            col(OpenItem.kind).in_(sorted(ABSENCE_ITEM_KINDS)), col(OpenItem.assignee_id) == viewer.staff_id
        )
    if viewer.role is Role.benefits:
        return or_(
            col(OpenItem.kind).in_(sorted(BENEFITS_ITEM_KINDS)), col(OpenItem.assignee_id) == viewer.staff_id
        )
    return false()


def citizen(session: Session, viewer: Viewer, citizen_id: int) -> Citizen | None:
    return session.exec(select(Citizen).where(Citizen.id == citizen_id, citizen_filter(viewer))).first()


def employer(session: Session, viewer: Viewer, employer_id: int) -> Employer | None:
    return session.exec(select(Employer).where(Employer.id == employer_id, employer_filter(viewer))).first()


def item(session: Session, viewer: Viewer, item_id: int) -> OpenItem | None:
    return session.exec(select(OpenItem).where(OpenItem.id == item_id, item_filter(viewer))).first()


def phone_visible(session: Session, viewer: Viewer, phone: str) -> bool:
    """May ``viewer`` read and answer the conversation with ``phone``?"""
    if viewer.role is Role.team_lead:
        return True
    if viewer.sees_citizens:
        found = session.exec(select(Citizen.id).where(Citizen.phone == phone, citizen_filter(viewer))).first()
        if found is not None:
            return True
    if viewer.sees_companies:
        found = session.exec(
            select(EmployerContact.id)
            .join(Employer, col(Employer.id) == col(EmployerContact.employer_id))
            .where(EmployerContact.phone == phone, employer_filter(viewer))
        ).first()
        if found is not None:
            return True
    # An open item about this phone given to this person (e.g. an unknown sender).
    assigned = session.exec(
        select(OpenItem.id).where(
            OpenItem.phone == phone,
            col(OpenItem.assignee_id) == viewer.staff_id,
            col(OpenItem.resolved_at).is_(None),
        )
    ).first()
    return assigned is not None
