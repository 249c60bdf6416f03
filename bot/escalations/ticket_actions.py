"""Staff actions on tickets beyond answering: visits with their real time, merge and split.

Each action is keyword-only, takes the acting staff member and writes its own audit entry, so
the panel and the API cannot disagree about what was done or forget to record it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.audit import service as audit
from bot.config import Settings
from bot.contacts.models import EmployerContact, Staff
from bot.escalations import notify, service
from bot.escalations.models import Ticket, TicketEvent, TicketEventKind, TicketKind, TicketStatus
from bot.escalations.service import TicketError
from bot.i18n import N_


def _audit(
    session: Session, staff_id: int, action: str, ticket: Ticket, now: datetime, **details: Any
) -> None:
    audit.record(session, staff_id=staff_id, action=action, subject=f"ticket:{ticket.id}", now=now,
                 details={k: v for k, v in details.items() if v is not None})


def record_visit(
    session: Session, *, ticket_id: int, acting_staff: int, now: datetime, at: datetime | None = None,
    note: str | None = None,
) -> Ticket:
    """The consultant was at the company at ``at`` (default now): the visit clock stops then."""
    visited = at or now
    if visited > now:
        raise TicketError("at", "a visit that has not happened yet is planned, not recorded")
    ticket = service.mark_visited(session, ticket_id=ticket_id, staff_id=acting_staff, now=now, note=note,
                                  at=visited)
    _audit(session, acting_staff, "visited", ticket, now, at=visited.isoformat())
    return ticket


def plan_visit(
    session: Session, *, ticket_id: int, acting_staff: int, at: datetime, now: datetime, settings: Settings,
    note: str | None = None,
) -> Ticket:
    """"Visit planned for Thursday 13:00": the company is told; planned within the visit deadline,
    the visit clock does not escalate (the sweep reads ``visit_planned_for``)."""
    ticket = service.get(session, ticket_id)
    if not ticket.is_active:
        raise TicketError("status", f"ticket {ticket.reference} is {ticket.status.value}")
    if at <= now:
        raise TicketError("at", "a planned visit lies ahead; record a visit that took place instead")
    ticket.visit_planned_for = at
    ticket.updated_at = now
    session.add(ticket)
    within = ticket.visit_due_at is None or at <= ticket.visit_due_at
    service.add_event(session, ticket, TicketEventKind.visit_planned, now=now, staff_id=acting_staff,
                      body=note, details={"at": at.isoformat(), "within_deadline": within})
    contact = session.get(EmployerContact, ticket.contact_id) if ticket.contact_id else None
    staff = session.get(Staff, acting_staff)
    if contact is not None:
        params: dict[str, Any] = {"reference": ticket.reference,
                                  "consultant": notify.first_name(staff.name if staff else "")}
        params.update(notify.when_params(at, contact.language, settings.timezone))
        notify.to_employer(session, contact, template=N_("employer.visit_planned"), params=params, now=now)
    _audit(session, acting_staff, "visit_planned", ticket, now, at=at.isoformat(), within_deadline=within)
    return ticket


def merge(session: Session, *, ticket_id: int, into_id: int, acting_staff: int, now: datetime) -> Ticket:
    """Two tickets about one matter: ``ticket_id`` is closed with a pointer to ``into_id``,
    whose timeline gets its summary; the employer's next messages go to the one left open."""
    ticket, target = service.get(session, ticket_id), service.get(session, into_id)
    if ticket.id == target.id or ticket.employer_id != target.employer_id:
        raise TicketError("into", "merge into another ticket of the same company")
    if not ticket.is_active or not target.is_active:
        raise TicketError("status", "only open tickets can be merged")
    ticket.status = TicketStatus.closed
    ticket.resolved_at = now
    ticket.resolved_by_id = acting_staff
    ticket.updated_at = target.updated_at = now
    if ticket.first_response_at is None:
        ticket.first_response_at = now  # its clock goes on on the ticket it joined
    session.add_all([ticket, target])
    service.add_event(session, ticket, TicketEventKind.merged, now=now, staff_id=acting_staff,
                      details={"into": target.reference})
    service.add_event(session, target, TicketEventKind.merged, now=now, staff_id=acting_staff,
                      body=ticket.summary, details={"from": ticket.reference})
    _audit(session, acting_staff, "merged", ticket, now, into=target.reference)
    return target


def split(
    session: Session, *, ticket_id: int, event_id: int, kind: TicketKind | str, acting_staff: int,
    now: datetime, settings: Settings,
) -> Ticket:
    """An employer message on a ticket is really a matter of its own: it opens a new ticket
    (clocks from now, the consultant told); both timelines point to each other."""
    ticket = service.get(session, ticket_id)
    event = session.get(TicketEvent, event_id)
    if event is None or event.ticket_id != ticket.id or event.kind not in (
        TicketEventKind.employer_message, TicketEventKind.opened
    ):
        raise TicketError("event_id", "choose a message from the company on this ticket")
    new = service.open_ticket(
        session, employer_id=ticket.employer_id, contact_id=ticket.contact_id, kind=kind,
        summary=event.body or "", now=now, settings=settings, message_id=event.message_id,
        citizen_id=ticket.citizen_id if TicketKind(kind) == ticket.kind else None,
        details={"split_from": ticket.reference},
    )
    service.add_event(session, ticket, TicketEventKind.split_off, now=now, staff_id=acting_staff,
                      body=event.body, details={"to": new.reference, "event_id": event_id})
    _audit(session, acting_staff, "split", ticket, now, to=new.reference, event_id=event_id)
    return new
