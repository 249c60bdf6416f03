"""Employer tickets: open, join, reply, visit, resolve, reassign; every step on the timeline."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot import references
from bot.audit import service as audit
from bot.config import Settings
from bot.contacts.models import Citizen, Employer, EmployerContact, Staff
from bot.escalations import notify, session_cache, sla
from bot.escalations.models import (
    ACTIVE_STATUSES,
    OUTCOMES,
    Ticket,
    TicketEvent,
    TicketEventKind,
    TicketKind,
    TicketStatus,
)
from bot.escalations.signature import without_own_sign_off
from bot.i18n import N_, render
from bot.preferences.models import Preference
from bot.reminders.models import Placement
from bot.sms_segments import count_segments

MAX_REPLY_LENGTH = 1000
MAX_SMS_PARTS = 3


class TicketError(ValueError):
    """A change that cannot be made; ``field`` names what to correct."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class TicketNotFound(LookupError):
    pass


def policy_table(
    settings: Settings, session: Session | None = None, *, now: datetime | None = None
) -> dict[str, sla.SlaPolicy]:
    """The SLA per ticket kind: 24 wall-clock hours unless settings name business-hours kinds;
    with a ``session``, the hours per kind staff set in the panel, and with ``now`` also the
    municipality's closing days (around this year) off the business-hours clock."""
    kinds = settings.sla_business_hours_kinds
    if session is None:
        return sla.policies(timezone=settings.timezone, business_hours_kinds=kinds)
    key = ("sla", settings.timezone, tuple(kinds), now.year if now is not None else None)
    return dict(session_cache.cached(session, key, lambda: _staff_policies(settings, session, now),
                                     (Preference,)))


def _staff_policies(settings: Settings, session: Session, now: datetime | None) -> dict[str, sla.SlaPolicy]:
    kinds = settings.sla_business_hours_kinds
    table = sla.policies(timezone=settings.timezone, business_hours_kinds=kinds)
    from bot.preferences import operating

    hours = operating.sla_hours(session)
    closed = (
        frozenset(operating.closing_days(session, date(now.year - 1, 1, 1), date(now.year + 1, 12, 31)))
        if now is not None
        else frozenset()
    )
    return {
        kind: replace(policy, hours=hours.get(kind, policy.hours), closed_dates=policy.closed_dates | closed)
        for kind, policy in table.items()
    }


def add_event(
    session: Session,
    ticket: Ticket,
    kind: TicketEventKind,
    *,
    now: datetime,
    staff_id: int | None = None,
    message_id: int | None = None,
    body: str | None = None,
    details: dict[str, Any] | None = None,
) -> TicketEvent:
    assert ticket.id is not None
    event = TicketEvent(
        ticket_id=ticket.id,
        at=now,
        kind=kind,
        staff_id=staff_id,
        message_id=message_id,
        body=body,
        details=dict(details or {}),
    )
    # Not flushed: a ticket's events of one message go to the database together, with its next
    # flush (a read that needs them flushes them first).
    session.add(event)
    return event


def get(session: Session, ticket_id: int) -> Ticket:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise TicketNotFound(f"ticket {ticket_id} does not exist")
    return ticket


def assignee_for(session: Session, employer: Employer) -> Staff | None:
    """The company's key-account consultant; the first team lead when it has none (or they left)."""
    if employer.consultant_id is not None:
        consultant = session.get(Staff, employer.consultant_id)
        if consultant is not None and consultant.active:
            return consultant
    leads = notify.team_leads(session)
    return leads[0] if leads else None


_NEW_TEMPLATES = {
    TicketKind.problem: N_("ticket.consultant_new_problem"),
    TicketKind.recruitment: N_("ticket.consultant_new_recruitment"),
    TicketKind.question: N_("ticket.consultant_new"),
}


def _due_map(ticket: Ticket) -> dict[str, datetime]:
    due: dict[str, datetime] = {}
    if ticket.response_due_at is not None:
        due["due"] = ticket.response_due_at
    if ticket.visit_due_at is not None:
        due["visit"] = ticket.visit_due_at
    return due


def open_ticket(
    session: Session,
    *,
    employer_id: int,
    kind: TicketKind | str,
    summary: str,
    now: datetime,
    settings: Settings,
    contact_id: int | None = None,
    citizen_id: int | None = None,
    message_id: int | None = None,
    policies: Mapping[str, sla.SlaPolicy] | None = None,
    details: Mapping[str, Any] | None = None,
) -> Ticket:
    """Open a ticket, start its clocks, and tell the assignee by SMS.

    ``details`` go on the opening event (the FAQ answer that did not help, a no-show).
    """
    kind = TicketKind(kind)
    employer = session.get(Employer, employer_id)
    if employer is None:
        raise TicketError("employer_id", f"employer {employer_id} does not exist")
    contact = session.get(EmployerContact, contact_id) if contact_id is not None else None
    if contact_id is not None and (contact is None or contact.employer_id != employer_id):
        raise TicketError("contact_id", f"contact {contact_id} is not a contact at employer {employer_id}")
    if citizen_id is not None and session.get(Citizen, citizen_id) is None:
        raise TicketError("citizen_id", f"citizen {citizen_id} does not exist")
    table = policies if policies is not None else policy_table(settings, session, now=now)
    policy = table.get(kind.value, sla.WALL_CLOCK_24H)
    assignee = assignee_for(session, employer)
    year = now.astimezone(ZoneInfo(settings.timezone)).year
    ticket = Ticket(
        reference=references.next_reference(session, prefix=references.TICKET, year=year),
        employer_id=employer_id,
        contact_id=contact_id,
        citizen_id=citizen_id,
        kind=kind,
        status=TicketStatus.open,
        assignee_id=assignee.id if assignee else None,
        summary=summary.strip(),
        language=contact.language if contact else "da",
        response_due_at=sla.deadline(now, policy),
        response_warn_at=sla.warning_at(now, policy),
        last_employer_message_at=now,
        created_at=now,
        updated_at=now,
    )
    if sla.VISIT in sla.CLOCKS.get(kind.value, ()):
        ticket.visit_due_at = sla.deadline(now, policy)
        ticket.visit_warn_at = sla.warning_at(now, policy)
    session.add(ticket)
    session.flush()
    add_event(
        session,
        ticket,
        TicketEventKind.opened,
        now=now,
        message_id=message_id,
        body=ticket.summary,
        details={
            "kind": kind.value, "assignee_id": ticket.assignee_id, "citizen_id": citizen_id, **(details or {})
        },
    )
    if assignee is not None:
        _notify_assignee(session, ticket, assignee, template=_NEW_TEMPLATES[kind], now=now, settings=settings)
    return ticket


def _notify_assignee(
    session: Session, ticket: Ticket, assignee: Staff, *, template: str, now: datetime, settings: Settings
) -> None:
    sent = notify.to_staff(
        session,
        assignee,
        template=template,
        params=notify.ticket_facts(session, ticket),
        now=now,
        timezone=settings.timezone,
        due=_due_map(ticket),
    )
    add_event(
        session,
        ticket,
        TicketEventKind.consultant_notified,
        now=now,
        staff_id=assignee.id,
        message_id=sent.id if sent else None,
        details={"template": template, "sent": sent is not None},
    )


def add_employer_message(
    session: Session,
    ticket: Ticket,
    *,
    body: str,
    now: datetime,
    settings: Settings,
    message_id: int | None = None,
) -> Ticket:
    """A further message from the employer: on the timeline, and the assignee is told."""
    ticket.last_employer_message_at = now
    ticket.updated_at = now
    session.add(ticket)
    add_event(session, ticket, TicketEventKind.employer_message, now=now, message_id=message_id, body=body)
    assignee = session.get(Staff, ticket.assignee_id) if ticket.assignee_id else None
    if assignee is not None:
        facts = notify.ticket_facts(session, ticket)
        facts["summary"] = body if len(body) <= 120 else body[:117] + "..."
        notify.to_staff(
            session,
            assignee,
            template=N_("ticket.employer_followup"),
            params=facts,
            now=now,
            timezone=settings.timezone,
        )
    return ticket


def _require_active(ticket: Ticket, action: str) -> None:
    if not ticket.is_active:
        raise TicketError(
            "status", f"ticket {ticket.reference} is {ticket.status.value}; it cannot be {action}"
        )


def reply(
    session: Session,
    *,
    ticket_id: int,
    staff_id: int,
    body: str,
    now: datetime,
    address: str | None = None,
) -> Ticket:
    """A staff answer: sent to the employer by SMS, and the response clock stops; audited."""
    text = body.strip()
    if not text:
        raise TicketError("body", "write the answer to send to the company")
    if len(text) > MAX_REPLY_LENGTH:
        raise TicketError("body", f"keep the answer under {MAX_REPLY_LENGTH} characters (it is an SMS)")
    ticket = get(session, ticket_id)
    staff = session.get(Staff, staff_id)
    if staff is None:
        raise TicketError("staff_id", f"staff {staff_id} does not exist")
    # The SMS is signed "/<first name>, kommunen": a sign-off they typed would double it.
    text = without_own_sign_off(text, staff.name)
    contact = session.get(EmployerContact, ticket.contact_id) if ticket.contact_id else None
    if contact is None or not contact.phone:
        raise TicketError("contact_id", f"ticket {ticket.reference} has no employer contact with a phone")
    params = {"body": text, "staff_name": notify.first_name(staff.name), "reference": ticket.reference}
    parts = count_segments(render(N_("ticket.staff_reply"), contact.language, params)).count
    if parts > MAX_SMS_PARTS:
        raise TicketError(
            "body",
            f"the answer would be {parts} SMS; shorten it to fit {MAX_SMS_PARTS} "
            "(about 400 characters, or 170 with emoji or non-Danish letters)",
        )
    sent = notify.to_employer(session, contact, template=N_("ticket.staff_reply"), params=params, now=now)
    if ticket.first_response_at is None:
        ticket.first_response_at = now
    ticket.last_staff_reply_at = now
    if ticket.status == TicketStatus.open:
        ticket.status = TicketStatus.answered
    ticket.updated_at = now
    session.add(ticket)
    add_event(
        session,
        ticket,
        TicketEventKind.staff_reply,
        now=now,
        staff_id=staff_id,
        message_id=sent.id if sent else None,
        body=text,
    )
    audit.record(session, staff_id=staff_id, action="reply", subject=f"ticket:{ticket_id}", now=now,
                 address=address)
    return ticket


def mark_visited(
    session: Session,
    *,
    ticket_id: int,
    staff_id: int,
    now: datetime,
    note: str | None = None,
    at: datetime | None = None,
) -> Ticket:
    """A consultant has been at the company at ``at`` (default now): the visit clock stops then
    (and the response clock); the time entered is kept, never the time of the click."""
    ticket = get(session, ticket_id)
    _require_active(ticket, "marked visited")
    visited = at or now
    if ticket.visited_at is None:
        ticket.visited_at = visited
    # Being at the company is an answer too, so the response clock cannot run past a visit.
    if ticket.first_response_at is None:
        ticket.first_response_at = visited
    ticket.status = TicketStatus.visited
    ticket.updated_at = now
    session.add(ticket)
    add_event(session, ticket, TicketEventKind.visited, now=now, staff_id=staff_id, body=note,
              details={"at": visited.isoformat()})
    return ticket


def resolve(
    session: Session,
    *,
    ticket_id: int,
    staff_id: int,
    outcome: TicketStatus | str,
    now: datetime,
    settings: Settings,
    note: str | None = None,
    address: str | None = None,
) -> Ticket:
    """Close a ticket as solved, placement ended (the placement ends today) or closed; audited."""
    chosen = next((o for o in OUTCOMES if o.value == str(outcome)), None)
    if chosen is None:
        names = ", ".join(o.value for o in OUTCOMES)
        raise TicketError("outcome", f"choose one of: {names}")
    ticket = get(session, ticket_id)
    _require_active(ticket, "resolved")
    details: dict[str, Any] = {"outcome": chosen.value}
    if chosen == TicketStatus.placement_ended:
        today = now.astimezone(ZoneInfo(settings.timezone)).date()
        details["placements_ended"] = _end_placements(session, ticket, today)
    ticket.status = chosen
    ticket.resolved_at = now
    ticket.resolved_by_id = staff_id
    ticket.updated_at = now
    session.add(ticket)
    add_event(
        session, ticket, TicketEventKind.resolved, now=now, staff_id=staff_id, body=note, details=details
    )
    audit.record(session, staff_id=staff_id, action="resolve", subject=f"ticket:{ticket_id}", now=now,
                 details={"outcome": chosen.value}, address=address)
    return ticket


def _end_placements(session: Session, ticket: Ticket, today: date) -> list[int]:
    """End the citizen's running placements at this company today (the ticket names the citizen)."""
    if ticket.citizen_id is None:
        return []
    query = (
        select(Placement)
        .where(Placement.citizen_id == ticket.citizen_id)
        .where(Placement.employer_id == ticket.employer_id)
        .where(col(Placement.start_date) <= today)
    )
    ended: list[int] = []
    for placement in session.exec(query).all():
        if placement.end_date is None or placement.end_date > today:
            placement.end_date = today
            session.add(placement)
            if placement.id is not None:
                ended.append(placement.id)
    session.flush()
    return ended


def reassign(
    session: Session,
    *,
    ticket_id: int,
    assignee_id: int,
    now: datetime,
    settings: Settings,
    staff_id: int | None = None,
    address: str | None = None,
) -> Ticket:
    """Give the ticket to another staff member, who is told by SMS. A staff member's choice is
    audited; the clock's own reassignments are on the ticket's timeline."""
    ticket = get(session, ticket_id)
    _require_active(ticket, "reassigned")
    new = session.get(Staff, assignee_id)
    if new is None or not new.active:
        raise TicketError("assignee_id", f"staff {assignee_id} does not exist or is inactive")
    previous = ticket.assignee_id
    ticket.assignee_id = assignee_id
    ticket.updated_at = now
    session.add(ticket)
    add_event(
        session,
        ticket,
        TicketEventKind.reassigned,
        now=now,
        staff_id=staff_id,
        details={"from": previous, "to": assignee_id},
    )
    if previous != assignee_id:
        _notify_assignee(session, ticket, new, template=N_("ticket.reassigned"), now=now, settings=settings)
    if staff_id is not None:
        audit.record(session, staff_id=staff_id, action="reassign", subject=f"ticket:{ticket_id}", now=now,
                     details={"to": assignee_id}, address=address)
    return ticket


def timeline(session: Session, ticket_id: int) -> list[TicketEvent]:
    query = (
        select(TicketEvent)
        .where(TicketEvent.ticket_id == ticket_id)
        .order_by(col(TicketEvent.at), col(TicketEvent.id))
    )
    return list(session.exec(query).all())


@dataclass(frozen=True)
class TicketFilter:
    status: TicketStatus | None = None
    assignee_id: int | None = None
    employer_id: int | None = None
    active_only: bool = False


def list_tickets(
    session: Session, flt: TicketFilter | None = None, *, limit: int = 200, offset: int = 0
) -> list[Ticket]:
    """Tickets, red ones first, then by the soonest deadline."""
    flt = flt or TicketFilter()
    query = select(Ticket)
    if flt.status is not None:
        query = query.where(Ticket.status == flt.status)
    if flt.active_only:
        query = query.where(col(Ticket.status).in_(list(ACTIVE_STATUSES)))
    if flt.assignee_id is not None:
        query = query.where(Ticket.assignee_id == flt.assignee_id)
    if flt.employer_id is not None:
        query = query.where(Ticket.employer_id == flt.employer_id)
    query = query.order_by(
        col(Ticket.escalated_at).is_(None),
        col(Ticket.response_due_at),
        col(Ticket.id),
    )
    return list(session.exec(query.offset(offset).limit(limit)).all())


session_cache.watch(Preference)
