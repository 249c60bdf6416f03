"""What the panel reads about tickets, filtered by who is looking (``bot.access.Viewer``).

Team leads see every ticket; a consultant those assigned to them; nobody else any. Reading a
ticket's page is itself recorded, as every look at a record is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import false, true
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from bot.access import Viewer
from bot.audit import service as audit
from bot.contacts.models import Employer, Role, Staff
from bot.escalations.models import ACTIVE_STATUSES, Ticket, TicketEvent


def ticket_filter(viewer: Viewer) -> Any:
    if viewer.role is Role.team_lead:
        return true()
    if viewer.role is Role.consultant:
        return col(Ticket.assignee_id) == viewer.staff_id
    return false()


@dataclass(frozen=True)
class TicketLine:
    """What a list of active tickets needs: plain values, no ORM object."""

    id: int
    reference: str
    kind: str
    summary: str
    company: str
    escalated_at: datetime | None
    response_due_at: datetime | None
    first_response_at: datetime | None
    visit_due_at: datetime | None
    visited_at: datetime | None
    created_at: datetime | None


def next_deadline(ticket: Ticket | TicketLine) -> datetime | None:
    """The clock that runs out first: the answer, else the visit."""
    running = []
    if ticket.first_response_at is None and ticket.response_due_at is not None:
        running.append(ticket.response_due_at)
    if ticket.visited_at is None and ticket.visit_due_at is not None:
        running.append(ticket.visit_due_at)
    return min(running) if running else None


def _urgency(ticket: Ticket | TicketLine) -> tuple[bool, float, int]:
    """Red (escalated) first, then by the time left on the clock that runs out first."""
    due = next_deadline(ticket)
    return (ticket.escalated_at is None, due.timestamp() if due else float("inf"), ticket.id or 0)


def visible_ticket(session: Session, viewer: Viewer, ticket_id: int | None) -> Ticket | None:
    if ticket_id is None:
        return None
    return session.exec(select(Ticket).where(Ticket.id == ticket_id, ticket_filter(viewer))).first()


def read_ticket(
    session: Session,
    *,
    viewer: Viewer,
    ticket_id: int,
    acting_staff: int,
    now: datetime,
    address: str | None = None,
) -> Ticket | None:
    """The ticket if the viewer may see it, with the look recorded in the audit log."""
    ticket = visible_ticket(session, viewer, ticket_id)
    if ticket is not None:
        audit.record(
            session,
            staff_id=acting_staff,
            action="view",
            subject=f"ticket:{ticket_id}",
            address=address,
            now=now,
        )
    return ticket


def active_tickets(session: Session, viewer: Viewer, *, employer_id: int | None = None) -> list[Ticket]:
    query = select(Ticket).where(col(Ticket.status).in_(list(ACTIVE_STATUSES)), ticket_filter(viewer))
    if employer_id is not None:
        query = query.where(Ticket.employer_id == employer_id)
    return sorted(session.exec(query.limit(500)).all(), key=_urgency)


def active_lines(session: Session, viewer: Viewer) -> list[TicketLine]:
    query = (
        sa_select(
            col(Ticket.id),
            col(Ticket.reference),
            col(Ticket.kind),
            col(Ticket.summary),
            col(Employer.name),
            col(Ticket.escalated_at),
            col(Ticket.response_due_at),
            col(Ticket.first_response_at),
            col(Ticket.visit_due_at),
            col(Ticket.visited_at),
            col(Ticket.created_at),
        )
        .join(Employer, col(Employer.id) == col(Ticket.employer_id))
        .where(col(Ticket.status).in_(list(ACTIVE_STATUSES)), ticket_filter(viewer))
        .limit(2000)
    )
    return sorted((TicketLine(*row) for row in session.execute(query).all()), key=_urgency)


def company_tickets(session: Session, viewer: Viewer, employer_id: int | None) -> list[Ticket]:
    query = (
        select(Ticket)
        .where(Ticket.employer_id == employer_id, ticket_filter(viewer))
        .order_by(col(Ticket.created_at).desc(), col(Ticket.id).desc())
        .limit(500)
    )
    return list(session.exec(query).all())


def employer_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(Employer.id, Employer.name).where(col(Employer.id).in_(ids))).all()
    return {row[0]: row[1] for row in rows if row[0] is not None}


def staff_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {
        s.id: s.name
        for s in session.exec(select(Staff).where(col(Staff.id).in_(ids))).all()
        if s.id is not None
    }


def colleagues(session: Session) -> list[Staff]:
    """Who a ticket can be given to: active consultants and team leads, by name."""
    return list(
        session.exec(
            select(Staff)
            .where(col(Staff.active).is_(True), col(Staff.role).in_([Role.consultant, Role.team_lead]))
            .order_by(col(Staff.name))
        ).all()
    )


def merge_targets(session: Session, ticket: Ticket, viewer: Viewer) -> list[Ticket]:
    """The other open tickets of the same company that the viewer sees, newest first."""
    if not ticket.is_active:
        return []
    query = (
        select(Ticket)
        .where(Ticket.employer_id == ticket.employer_id, Ticket.id != ticket.id, ticket_filter(viewer))
        .where(col(Ticket.status).in_(list(ACTIVE_STATUSES)))
        .order_by(col(Ticket.created_at).desc(), col(Ticket.id).desc())
        .limit(50)
    )
    return list(session.exec(query).all())


def linked_references(session: Session, events: list[TicketEvent], viewer: Viewer) -> dict[str, int]:
    """Ticket references named by merge and split events, to link those the viewer may open."""
    named = {
        str(e.details[key])
        for e in events
        for key in ("into", "from", "to", "split_from")
        if isinstance(e.details, dict) and e.details.get(key)
    }
    if not named:
        return {}
    query = select(Ticket.reference, Ticket.id).where(
        col(Ticket.reference).in_(sorted(named)), ticket_filter(viewer)
    )
    return {ref: ticket_id for ref, ticket_id in session.exec(query).all() if ticket_id is not None}
