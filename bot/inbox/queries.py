"""What waits for staff: conversations and tickets, newest waiting first, within the reader's remit.

Each source is one indexed query with a limit (conversations by ``last_inbound_at``, open items
by ``resolved_at, due_at``, tickets by ``status`` and ``created_at``); the lines are merged in
Python, so a page never sorts a whole table. A conversation waits when the contact's last
inbound message has no staff reply after it (``ix_message_phone_created`` answers that per
conversation) and nobody marked it done since, or when an open item about the phone is open.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, false, or_, true
from sqlmodel import Session, col, select

from bot.access import Viewer, citizen_filter, employer_filter, item_filter
from bot.channels.models import Direction, Message
from bot.contacts.models import Citizen, Employer, EmployerContact, Role
from bot.conversations.models import Conversation
from bot.escalations.models import ACTIVE_STATUSES, OUTCOMES, Ticket
from bot.inbox.models import InboxThread
from bot.items.models import OpenItem

LIMIT = 50
STAFF_REPLY = "staff_reply"  # Message.purpose of what staff typed in the panel
FILTERS = ("waiting", "mine", "unassigned", "team", "closed")


@dataclass(frozen=True)
class Line:
    """One line of the inbox: a conversation (``phone:...``) or a ticket (``ticket:12``)."""

    key: str
    kind: str  # conversation | ticket
    waiting_since: datetime | None
    phone: str | None = None
    name: str | None = None
    reference: str | None = None
    preview: str | None = None  # the last message's text, only for readers of health data
    assignee_id: int | None = None
    assignee_name: str | None = None
    started_at: datetime | None = None  # when the clock towards ``due_at`` started
    due_at: datetime | None = None
    item_kinds: tuple[str, ...] = ()
    ticket_id: int | None = None
    unread: bool = False
    closed: bool = False


def ticket_filter(viewer: Viewer) -> Any:
    """As the ticket pages decide: team leads every ticket, a consultant those assigned to them."""
    if viewer.role is Role.team_lead:
        return true()
    if viewer.role is Role.consultant:
        return col(Ticket.assignee_id) == viewer.staff_id
    return false()


def phone_filter(viewer: Viewer, phone: Any) -> Any:
    """The SQL form of ``bot.access.phone_visible`` for a column of phone numbers."""
    if viewer.role is Role.team_lead:
        return true()
    reach = [
        phone.in_(
            select(OpenItem.phone).where(
                col(OpenItem.assignee_id) == viewer.staff_id, col(OpenItem.resolved_at).is_(None)
            )
        )
    ]
    if viewer.sees_citizens:
        reach.append(phone.in_(select(Citizen.phone).where(citizen_filter(viewer))))
    if viewer.sees_companies:
        reach.append(
            phone.in_(
                select(EmployerContact.phone)
                .join(Employer, col(Employer.id) == col(EmployerContact.employer_id))
                .where(employer_filter(viewer))
            )
        )
    return or_(*reach)


def _unanswered() -> Any:
    answered = exists().where(
        col(Message.phone) == col(Conversation.phone),
        col(Message.direction) == Direction.outbound,
        col(Message.purpose) == STAFF_REPLY,
        col(Message.created_at) >= col(Conversation.last_inbound_at),
    )
    return and_(
        col(Conversation.last_inbound_at).is_not(None),
        ~answered,
        or_(
            col(InboxThread.closed_at).is_(None),
            col(InboxThread.closed_at) < col(Conversation.last_inbound_at),
        ),
    )


def _assigned(query: Any, assignee: Any, viewer: Viewer, which: str) -> Any:
    """The "mine" and "unassigned" views, by whichever column holds the assignee."""
    if which == "mine":
        return query.where(assignee == viewer.staff_id)
    if which == "unassigned":
        return query.where(assignee.is_(None))
    return query


def _conversations(session: Session, viewer: Viewer, which: str, limit: int) -> list[Line]:
    query = (
        select(Conversation, InboxThread)
        .join(InboxThread, col(InboxThread.phone) == col(Conversation.phone), isouter=True)
        .where(phone_filter(viewer, col(Conversation.phone)))
    )
    if which == "closed":
        query = query.where(col(InboxThread.closed_at) >= col(Conversation.last_inbound_at))
    else:
        query = query.where(_unanswered())
    query = _assigned(query, col(InboxThread.assignee_id), viewer, which)
    rows = session.exec(query.order_by(col(Conversation.last_inbound_at).desc()).limit(limit)).all()
    return [
        Line(
            key=f"phone:{conv.phone}",
            kind="conversation",
            phone=conv.phone,
            waiting_since=conv.last_inbound_at,
            assignee_id=thread.assignee_id if thread else None,
            closed=which == "closed",
        )
        for conv, thread in rows
    ]


def _items(session: Session, viewer: Viewer, which: str, limit: int) -> list[Line]:
    if which == "closed":
        return []
    query = select(OpenItem).where(
        col(OpenItem.resolved_at).is_(None), col(OpenItem.phone).is_not(None), item_filter(viewer)
    )
    query = _assigned(query, col(OpenItem.assignee_id), viewer, which)
    rows = session.exec(query.order_by(col(OpenItem.due_at)).limit(limit)).all()
    return [
        Line(
            key=f"phone:{item.phone}",
            kind="conversation",
            phone=item.phone,
            waiting_since=item.created_at,
            assignee_id=item.assignee_id,
            started_at=item.created_at,
            due_at=item.due_at,
            item_kinds=(item.kind,),
        )
        for item in rows
    ]


def _next_deadline(ticket: Ticket) -> datetime | None:
    running = []
    if ticket.first_response_at is None and ticket.response_due_at is not None:
        running.append(ticket.response_due_at)
    if ticket.visited_at is None and ticket.visit_due_at is not None:
        running.append(ticket.visit_due_at)
    return min(running) if running else None


def _tickets(session: Session, viewer: Viewer, which: str, limit: int) -> list[Line]:
    statuses = OUTCOMES if which == "closed" else ACTIVE_STATUSES
    query = select(Ticket).where(col(Ticket.status).in_(statuses), ticket_filter(viewer))
    query = _assigned(query, col(Ticket.assignee_id), viewer, which)
    rows = session.exec(query.order_by(col(Ticket.created_at).desc()).limit(limit)).all()
    return [
        Line(
            key=f"ticket:{t.id}",
            kind="ticket",
            ticket_id=t.id,
            reference=t.reference,
            waiting_since=t.last_employer_message_at or t.created_at,
            assignee_id=t.assignee_id,
            started_at=t.created_at,
            due_at=None if which == "closed" else _next_deadline(t),
            closed=which == "closed",
        )
        for t in rows
    ]


def _merge(lines: list[Line]) -> list[Line]:
    """One line per conversation: the latest wait, the earliest deadline, every item kind."""
    merged: dict[str, Line] = {}
    for line in lines:
        have = merged.get(line.key)
        if have is None:
            merged[line.key] = line
            continue
        waits = [w for w in (have.waiting_since, line.waiting_since) if w is not None]
        due = (
            have if line.due_at is None or (have.due_at is not None and have.due_at <= line.due_at) else line
        )
        merged[line.key] = replace(
            have,
            waiting_since=max(waits) if waits else None,
            assignee_id=have.assignee_id or line.assignee_id,
            started_at=due.started_at,
            due_at=due.due_at,
            item_kinds=tuple(sorted(set(have.item_kinds) | set(line.item_kinds))),
        )
    return list(merged.values())
