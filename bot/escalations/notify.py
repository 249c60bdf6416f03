"""Who hears about a ticket, and the parameters their messages carry.

Every SMS goes through the outbox; text is rendered in the recipient's language when sent,
so only message ids and already-formatted values (names, local times) are stored here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from bot.channels.models import Message
from bot.channels.outbox import enqueue
from bot.contacts.models import Employer, EmployerContact, Role, Staff
from bot.escalations.models import Ticket
from bot.i18n import format_datetime, normalise_language

# "onsdag 25. november" / "Wednesday 25 November": the date is there because a business-hours
# deadline can be more than a week away over Easter or Christmas.
_DAY_PATTERNS = {"da": "EEEE d. MMMM", "en": "EEEE d MMMM"}


def first_name(name: str | None) -> str:
    return (name or "").strip().split(" ", 1)[0]


def staff_language(staff: Staff) -> str:
    return normalise_language(staff.languages[0] if staff.languages else "da")


def when_params(value: datetime, language: str, timezone: str) -> dict[str, str]:
    """``{"day": ..., "time": ...}`` for a sentence like "by {day} at {time}", in local time."""
    language = normalise_language(language)
    pattern = _DAY_PATTERNS.get(language, "EEEE d MMMM")
    return {
        "day": format_datetime(value, language, timezone, pattern),
        "time": format_datetime(value, language, timezone, "HH:mm"),
    }


def team_leads(session: Session) -> list[Staff]:
    query = (
        select(Staff)
        .where(Staff.role == Role.team_lead)
        .where(col(Staff.active).is_(True))
        .order_by(col(Staff.id))
    )
    return list(session.exec(query).all())


def ticket_facts(session: Session, ticket: Ticket) -> dict[str, Any]:
    """Names staff need to recognise a ticket: reference, company, who wrote, a short summary."""
    employer = session.get(Employer, ticket.employer_id)
    contact = session.get(EmployerContact, ticket.contact_id) if ticket.contact_id else None
    summary = ticket.summary if len(ticket.summary) <= 120 else ticket.summary[:117] + "..."
    return {
        "reference": ticket.reference,
        "company": employer.name if employer else "",
        "contact": contact.name if contact else "",
        "contact_phone": contact.phone or "" if contact else "",
        "summary": summary,
    }


def to_staff(
    session: Session,
    staff: Staff,
    *,
    template: str,
    params: dict[str, Any],
    now: datetime,
    timezone: str,
    due: dict[str, datetime] | None = None,
) -> Message | None:
    """Queue an SMS to a staff member; None when they have no phone (the timeline says so)."""
    if not staff.phone or not staff.active:
        return None
    language = staff_language(staff)
    full = dict(params)
    for prefix, value in (due or {}).items():
        for key, text in when_params(value, language, timezone).items():
            full[f"{prefix}_{key}"] = text
    return enqueue(
        session,
        phone=staff.phone,
        template=template,
        params=full,
        language=language,
        purpose="ticket",
        contact_kind="staff",
        contact_id=staff.id,
        now=now,
    )


def to_employer(
    session: Session,
    contact: EmployerContact,
    *,
    template: str,
    params: dict[str, Any],
    now: datetime,
) -> Message | None:
    """Queue an SMS to an employer contact in their own language; None without a phone."""
    if not contact.phone:
        return None
    return enqueue(
        session,
        phone=contact.phone,
        template=template,
        params=params,
        language=contact.language,
        purpose="ticket",
        contact_kind="employer_contact",
        contact_id=contact.id,
        now=now,
    )
