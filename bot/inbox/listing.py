"""The inbox page's lines: the waiting sources merged, then named, previewed and marked unread.

Enrichment is a handful of ``IN (...)`` look-ups for the page's lines only (names by phone,
the newest message per phone, the reader's read markers, assignees), never per line.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import literal, union_all
from sqlmodel import Session, col, select

from bot.access import Viewer, reads_health_data
from bot.channels.models import Direction, Message
from bot.contacts.models import Citizen, Employer, EmployerContact, Staff
from bot.escalations.models import Ticket
from bot.inbox.models import InboxRead
from bot.inbox.queries import FILTERS, LIMIT, Line, _conversations, _items, _merge, _tickets

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def inbox(session: Session, viewer: Viewer, *, which: str = "waiting", limit: int = LIMIT) -> list[Line]:
    """Lines for the reader under filter ``which`` (see ``FILTERS``), newest waiting first."""
    if which not in FILTERS:
        which = "waiting"
    lines = _merge(
        _conversations(session, viewer, which, limit)
        + _items(session, viewer, which, limit)
        + _tickets(session, viewer, which, limit)
    )
    lines.sort(key=lambda line: line.waiting_since or EPOCH, reverse=True)
    return enrich(session, viewer, lines[:limit])


def enrich(session: Session, viewer: Viewer, lines: list[Line]) -> list[Line]:
    phones = sorted({line.phone for line in lines if line.phone})
    names = names_by_phone(session, phones)
    previews = previews_by_phone(session, phones) if reads_health_data(viewer.role) else {}
    tickets = _ticket_names(session, [line.ticket_id for line in lines if line.ticket_id])
    keys = [line.key for line in lines]
    read = (
        dict(
            session.exec(
                select(InboxRead.key, InboxRead.read_at).where(
                    InboxRead.staff_id == viewer.staff_id, col(InboxRead.key).in_(keys)
                )
            ).all()
        )
        if keys
        else {}
    )
    staff_ids = sorted({line.assignee_id for line in lines if line.assignee_id})
    staff = (
        dict(session.exec(select(Staff.id, Staff.name).where(col(Staff.id).in_(staff_ids))).all())
        if staff_ids
        else {}
    )
    out = []
    for line in lines:
        seen = read.get(line.key)
        out.append(
            replace(
                line,
                name=names.get(line.phone or "") or tickets.get(line.ticket_id or 0),
                preview=previews.get(line.phone or ""),
                assignee_name=staff.get(line.assignee_id or 0),
                unread=not line.closed
                and (seen is None or (line.waiting_since is not None and seen < line.waiting_since)),
            )
        )
    return out


def names_by_phone(session: Session, phones: list[str]) -> dict[str, str]:
    if not phones:
        return {}
    names = dict(
        session.exec(select(Citizen.phone, Citizen.name).where(col(Citizen.phone).in_(phones))).all()
    )
    contacts = session.exec(
        select(EmployerContact.phone, EmployerContact.name, Employer.name)
        .join(Employer, col(Employer.id) == col(EmployerContact.employer_id))
        .where(col(EmployerContact.phone).in_(phones))
    ).all()
    for phone, person, company in contacts:
        names.setdefault(phone, f"{person} · {company}")
    return {p: n for p, n in names.items() if p is not None}


def previews_by_phone(session: Session, phones: list[str]) -> dict[str, str]:
    """The newest text the contact wrote, per phone, in one statement for the page's phones: what
    waits for staff is what they wrote, not the assistant's answer to it.

    Each phone's text is one index seek (``ix_message_text`` on SQLite, ``ix_message_phone_created``
    on PostgreSQL) in a correlated subquery, whatever the length of its history.
    """
    if not phones:
        return {}
    wanted = union_all(*(select(literal(phone).label("phone")) for phone in phones)).subquery()
    newest = (
        select(Message.body)
        .where(
            col(Message.phone) == wanted.c.phone,
            col(Message.body).is_not(None),
            col(Message.direction) == Direction.inbound,
        )
        .order_by(col(Message.created_at).desc(), col(Message.id).desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = session.exec(select(wanted.c.phone, newest)).all()
    return {phone: body[:140] for phone, body in rows if body}


def _ticket_names(session: Session, ids: list[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i]
    if not wanted:
        return {}
    rows = session.exec(
        select(Ticket.id, Employer.name)
        .join(Employer, col(Employer.id) == col(Ticket.employer_id))
        .where(col(Ticket.id).in_(wanted))
    ).all()
    return {tid: name for tid, name in rows if tid is not None}


def badge(started_at: datetime | None, due_at: datetime | None, now: datetime) -> str | None:
    """green, amber once 75 % of the time to the deadline is used, red when it has passed."""
    if due_at is None:
        return None
    if now >= due_at:
        return "red"
    if started_at is not None and due_at > started_at:
        used = (now - started_at) / (due_at - started_at)
        if used >= 0.75:
            return "amber"
    return "green"
