"""Search across names, phone numbers, references and message text, within the reader's remit.

Names, phones and references are matched in the contact and case tables, each bounded by
``bot.access`` in the query. Message text is health data: it is searched only for roles that
may read it, and only in the most recently active conversations the reader may open (at most
``TEXT_SCOPE``), so the search walks ``ix_message_phone_created`` for a bounded set of phones
instead of every message ever stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.access import Viewer, citizen_filter, employer_filter, reads_health_data
from bot.channels.models import Message
from bot.contacts.models import Citizen, Employer, EmployerContact
from bot.conversations.models import Conversation
from bot.escalations.models import Ticket
from bot.hearings.models import HearingCase
from bot.inbox.queries import phone_filter, ticket_filter
from bot.sick_notices.models import Cancellation, SickNotice

PER_KIND = 20
TEXT_SCOPE = 500
REFERENCE = re.compile(r"^[SAVH]-\d{2,4}(-\d*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Hit:
    kind: str  # citizen | contact | reference | ticket | message
    name: str
    href: str
    phone: str | None = None
    reference: str | None = None
    snippet: str | None = None


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").lower() + "%"


def search(session: Session, viewer: Viewer, text: str) -> list[Hit]:
    query = text.strip()
    if len(query) < 2:
        return []
    if REFERENCE.match(query):
        return references(session, viewer, query.upper())
    hits = people(session, viewer, query)
    if reads_health_data(viewer.role):
        hits += messages(session, viewer, query)
    return hits


def _phone_part(query: str) -> str | None:
    digits = re.sub(r"\D", "", query)
    return digits if len(digits) >= 4 and len(digits) >= len(query.replace(" ", "")) - 1 else None


def people(session: Session, viewer: Viewer, query: str) -> list[Hit]:
    pattern = _like(query)
    digits = _phone_part(query)
    hits: list[Hit] = []
    if viewer.sees_citizens:
        match: Any = func.lower(Citizen.name).like(pattern, escape="\\")
        if digits:
            match = match | col(Citizen.phone).like(f"%{digits}%")
        for c in session.exec(select(Citizen).where(match, citizen_filter(viewer)).limit(PER_KIND)).all():
            hits.append(Hit("citizen", c.name, f"/admin/citizens/{c.id}", phone=c.phone))
    if viewer.sees_companies:
        match = func.lower(EmployerContact.name).like(pattern, escape="\\") | func.lower(Employer.name).like(
            pattern, escape="\\"
        )
        if digits:
            match = match | col(EmployerContact.phone).like(f"%{digits}%")
        rows = session.exec(
            select(EmployerContact, Employer)
            .join(Employer, col(Employer.id) == col(EmployerContact.employer_id))
            .where(match, employer_filter(viewer))
            .limit(PER_KIND)
        ).all()
        for contact, company in rows:
            hits.append(
                Hit(
                    "contact",
                    f"{contact.name} · {company.name}",
                    f"/admin/conversations/{contact.phone}",
                    phone=contact.phone,
                )
            )
    return hits


def references(session: Session, viewer: Viewer, query: str) -> list[Hit]:
    """S- sick notices, A- cancellations, H- hearing cases (the citizen's page), V- tickets."""
    hits: list[Hit] = []
    prefix = query + "%"
    if query.startswith("V-"):
        for t in session.exec(
            select(Ticket).where(col(Ticket.reference).like(prefix), ticket_filter(viewer)).limit(PER_KIND)
        ).all():
            hits.append(Hit("ticket", t.reference, f"/admin/tickets/{t.id}", reference=t.reference))
        return hits
    table = {"S-": SickNotice, "A-": Cancellation, "H-": HearingCase}[query[:2]]
    rows = session.exec(
        select(table.reference, Citizen)  # type: ignore[attr-defined]
        .join(Citizen, col(Citizen.id) == table.citizen_id)  # type: ignore[attr-defined]
        .where(table.reference.like(prefix), citizen_filter(viewer))  # type: ignore[attr-defined]
        .limit(PER_KIND)
    ).all()
    for reference, citizen in rows:
        hits.append(
            Hit(
                "reference",
                citizen.name,
                f"/admin/citizens/{citizen.id}",
                phone=citizen.phone,
                reference=reference,
            )
        )
    return hits


def messages(session: Session, viewer: Viewer, query: str) -> list[Hit]:
    recent = (
        select(Conversation.phone)
        .where(col(Conversation.last_inbound_at).is_not(None), phone_filter(viewer, col(Conversation.phone)))
        .order_by(col(Conversation.last_inbound_at).desc())
        .limit(TEXT_SCOPE)
    )
    # The matches are found among ids, phones, times and texts only, so SQLite reads them from
    # ``ix_message_text`` alone (``body IS NOT NULL`` is that index's condition); only the few
    # found are then read whole.
    found = (
        select(Message.id)
        .where(col(Message.phone).in_(recent), col(Message.body).is_not(None),
               func.lower(Message.body).like(_like(query), escape="\\"))
        .order_by(col(Message.created_at).desc())
        .limit(PER_KIND)
    )
    rows = session.exec(
        select(Message).where(col(Message.id).in_(found)).order_by(col(Message.created_at).desc())
    ).all()
    return [
        Hit(
            "message",
            m.phone,
            f"/admin/conversations/{m.phone}#message-{m.id}",
            phone=m.phone,
            snippet=(m.body or "")[:140],
        )
        for m in rows
    ]
