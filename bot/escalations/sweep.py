"""The SLA sweep: warn the assignee at 75 %, escalate to the team lead at the deadline.

Due tickets are claimed with row locks (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, the single
writer on SQLite) and their ``*_warned_at`` / ``*_escalated_at`` markers are set in the same
transaction as the SMS is queued, so any number of sweeps running at once warn and escalate
each ticket exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col, select

from bot.config import Settings
from bot.contacts.models import Staff
from bot.db import claim_clause
from bot.escalations import notify
from bot.escalations.models import ACTIVE_STATUSES, Ticket, TicketEventKind
from bot.escalations.service import add_event
from bot.i18n import N_

BATCH = 100


@dataclass
class SweepResult:
    warned: list[str] = field(default_factory=list)  # "V-2026-000001:response"
    escalated: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Clock:
    name: str
    due: str
    warn: str
    stopped: str
    warned: str
    escalated: str
    warning_template: str
    escalation_template: str
    planned: str | None = None


CLOCKS = (
    _Clock(
        "response",
        "response_due_at",
        "response_warn_at",
        "first_response_at",
        "response_warned_at",
        "response_escalated_at",
        N_("ticket.warning"),
        N_("ticket.escalated_lead"),
    ),
    _Clock(
        "visit",
        "visit_due_at",
        "visit_warn_at",
        "visited_at",
        "visit_warned_at",
        "visit_escalated_at",
        N_("ticket.warning_visit"),
        N_("ticket.escalated_lead_visit"),
        "visit_planned_for",
    ),
)


def _running(clock: _Clock, now: datetime) -> object:
    """SQL: this clock is untouched, not yet escalated, and at least at its warning time."""
    return and_(
        col(getattr(Ticket, clock.stopped)).is_(None),
        col(getattr(Ticket, clock.escalated)).is_(None),
        col(getattr(Ticket, clock.warn)).is_not(None),
        col(getattr(Ticket, clock.warn)) <= now,
        *_not_planned(clock),
    )


def _not_planned(clock: _Clock) -> tuple[ColumnElement[bool], ...]:
    """A visit planned within the deadline holds the visit clock: nobody is late yet."""
    if clock.planned is None:
        return ()
    planned = col(getattr(Ticket, clock.planned))
    return (or_(planned.is_(None), planned > col(getattr(Ticket, clock.due))),)


def _held(ticket: Ticket, clock: _Clock) -> bool:
    planned: datetime | None = getattr(ticket, clock.planned) if clock.planned else None
    due: datetime | None = getattr(ticket, clock.due)
    return planned is not None and due is not None and planned <= due


def claim_due(session: Session, *, now: datetime, limit: int = BATCH) -> list[Ticket]:
    query = (
        select(Ticket)
        .where(col(Ticket.status).in_(list(ACTIVE_STATUSES)))
        .where(or_(*(_running(clock, now) for clock in CLOCKS)))  # type: ignore[arg-type]
        .order_by(col(Ticket.id))
        .limit(limit)
        .with_for_update(**claim_clause(session))
    )
    return list(session.exec(query).all())


def sweep(session: Session, *, now: datetime, settings: Settings, limit: int = BATCH) -> SweepResult:
    """Warn and escalate what is due now; the caller commits."""
    result = SweepResult()
    for ticket in claim_due(session, now=now, limit=limit):
        for clock in CLOCKS:
            due: datetime | None = getattr(ticket, clock.due)
            warn: datetime | None = getattr(ticket, clock.warn)
            if due is None or warn is None or getattr(ticket, clock.stopped) is not None:
                continue
            if getattr(ticket, clock.escalated) is not None or _held(ticket, clock):
                continue
            if now >= due:
                _escalate(session, ticket, clock, now=now, settings=settings)
                result.escalated.append(f"{ticket.reference}:{clock.name}")
            elif now >= warn and getattr(ticket, clock.warned) is None:
                _warn(session, ticket, clock, now=now, settings=settings)
                result.warned.append(f"{ticket.reference}:{clock.name}")
        session.add(ticket)
    session.flush()
    return result


def _warn(session: Session, ticket: Ticket, clock: _Clock, *, now: datetime, settings: Settings) -> None:
    setattr(ticket, clock.warned, now)
    if ticket.warned_at is None:
        ticket.warned_at = now
    assignee = session.get(Staff, ticket.assignee_id) if ticket.assignee_id else None
    sent = None
    if assignee is not None:
        sent = notify.to_staff(
            session,
            assignee,
            template=clock.warning_template,
            params=notify.ticket_facts(session, ticket),
            now=now,
            timezone=settings.timezone,
            due={"due": getattr(ticket, clock.due)},
        )
    add_event(
        session,
        ticket,
        TicketEventKind.warned,
        now=now,
        staff_id=ticket.assignee_id,
        message_id=sent.id if sent else None,
        details={"clock": clock.name, "sent": sent is not None},
    )


def _escalate(session: Session, ticket: Ticket, clock: _Clock, *, now: datetime, settings: Settings) -> None:
    setattr(ticket, clock.escalated, now)
    if ticket.escalated_at is None:
        ticket.escalated_at = now
    leads = notify.team_leads(session)
    if ticket.assignee_id is None and leads:
        # Nobody had it: the team lead owns it from now on.
        ticket.assignee_id = leads[0].id
    assignee = session.get(Staff, ticket.assignee_id) if ticket.assignee_id else None
    params = notify.ticket_facts(session, ticket)
    params["assignee"] = assignee.name if assignee else "-"
    sent_to: list[int] = []
    for lead in leads:
        sent = notify.to_staff(
            session,
            lead,
            template=clock.escalation_template,
            params=params,
            now=now,
            timezone=settings.timezone,
            due={"due": getattr(ticket, clock.due)},
        )
        if sent is not None and sent.id is not None:
            sent_to.append(sent.id)
    add_event(
        session,
        ticket,
        TicketEventKind.escalated,
        now=now,
        staff_id=ticket.assignee_id,
        details={"clock": clock.name, "team_leads": [lead.id for lead in leads], "messages": sent_to},
    )
