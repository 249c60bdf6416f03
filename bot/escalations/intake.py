"""Taking in an employer's request: open a ticket with an acknowledgement, or join the open one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.config import Settings
from bot.contacts.models import Employer, EmployerContact, Staff
from bot.conversations.registry import Reply
from bot.escalations import no_show, notify, service, threads
from bot.escalations.models import Ticket, TicketEventKind, TicketKind
from bot.i18n import N_


class EmployerContext:
    """The contact, their company and its consultant (or the team lead) for one message."""

    def __init__(self, session: Session, contact: EmployerContact, employer: Employer) -> None:
        self.session = session
        self.contact = contact
        self.employer = employer
        self.consultant: Staff | None = service.assignee_for(session, employer)

    @property
    def consultant_first_name(self) -> str:
        return notify.first_name(self.consultant.name) if self.consultant else ""

    def facts(self) -> dict[str, str]:
        consultant = self.consultant
        return {
            "consultant_name": consultant.name if consultant else "",
            "consultant_phone": (consultant.phone or "") if consultant else "",
            "consultant_email": consultant.email if consultant else "",
            "company": self.employer.name,
        }


def help_reply(ctx: EmployerContext) -> Reply:
    return Reply(
        N_("employer.help"),
        {"name": notify.first_name(ctx.contact.name), "consultant": ctx.facts()["consultant_name"]},
    )


def open_or_join(
    ctx: EmployerContext,
    kind: TicketKind,
    text: str,
    *,
    now: datetime,
    settings: Settings,
    message_id: int | None,
    citizen_id: int | None = None,
    absence_of: int | None = None,
    new_topic: bool = True,
    details: dict[str, Any] | None = None,
) -> list[Reply]:
    """A new ticket with an acknowledgement and a stated deadline, or a message on the one it continues.

    ``absence_of`` names a citizen whose no-show was just recorded; the timeline says so.
    ``details`` (the FAQ answer that did not help, say) go on the opening event for staff.
    """
    session = ctx.session
    if citizen_id is None and kind == TicketKind.problem:
        today = no_show.local_today(now, settings.timezone)
        named = no_show.named_in(
            text, no_show.interns_at(session, employer_id=ctx.employer.id or 0, day=today)
        )
        citizen_id = named[0].citizen_id if len(named) == 1 else None
    existing = threads.thread_for(
        session, contact_id=ctx.contact.id or 0, kind=kind, citizen_id=citizen_id, now=now,
        new_topic=new_topic, question=threads.is_question(text),
    )
    if existing is not None:
        service.add_employer_message(
            session, existing, body=text, now=now, settings=settings, message_id=message_id
        )
        _note_absence(session, existing, absence_of, now)
        assignee = session.get(Staff, existing.assignee_id) if existing.assignee_id else None
        name = notify.first_name(assignee.name) if assignee else ctx.consultant_first_name
        return [Reply(N_("employer.ack_joined"), {"reference": existing.reference, "consultant": name})]
    ticket = service.open_ticket(
        session,
        employer_id=ctx.employer.id or 0,
        contact_id=ctx.contact.id,
        citizen_id=citizen_id,
        kind=kind,
        summary=text,
        now=now,
        settings=settings,
        message_id=message_id,
        details=details,
    )
    reply = acknowledgement(session, ticket, ctx.contact.language, settings.timezone)
    _note_absence(session, ticket, absence_of, now)
    service.add_event(
        session, ticket, TicketEventKind.acknowledged, now=now, details={"template": reply.template}
    )
    return [reply]


def _note_absence(session: Session, ticket: Ticket, citizen_id: int | None, now: datetime) -> None:
    if citizen_id is not None:
        service.add_event(
            session, ticket, TicketEventKind.absence_recorded, now=now, details={"citizen_id": citizen_id}
        )


def acknowledgement(session: Session, ticket: Ticket, language: str, timezone: str) -> Reply:
    """ "You will hear from <first name> by <weekday, time>", in the employer's language."""
    assignee = session.get(Staff, ticket.assignee_id) if ticket.assignee_id else None
    params: dict[str, Any] = {"reference": ticket.reference}
    if ticket.response_due_at is not None:
        params.update(
            {f"due_{k}": v for k, v in notify.when_params(ticket.response_due_at, language, timezone).items()}
        )
    if ticket.visit_due_at is not None:
        params.update(
            {f"visit_{k}": v for k, v in notify.when_params(ticket.visit_due_at, language, timezone).items()}
        )
    if assignee is None:
        return Reply(N_("employer.ack_nobody"), params)
    params["consultant"] = notify.first_name(assignee.name)
    if ticket.kind == TicketKind.problem:
        return Reply(N_("employer.ack_problem"), params)
    return Reply(N_("employer.ack"), params)


def acknowledge_by_sms(session: Session, ticket: Ticket, *, now: datetime, timezone: str) -> None:
    """Send the acknowledgement to the ticket's contact (a ticket staff opened after a phone call)."""
    contact = session.get(EmployerContact, ticket.contact_id) if ticket.contact_id else None
    if contact is None:
        return
    reply = acknowledgement(session, ticket, contact.language, timezone)
    sent = notify.to_employer(session, contact, template=reply.template, params=reply.params, now=now)
    service.add_event(
        session,
        ticket,
        TicketEventKind.acknowledged,
        now=now,
        message_id=sent.id if sent else None,
        details={"template": reply.template, "sent": sent is not None},
    )
