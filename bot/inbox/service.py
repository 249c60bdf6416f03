"""Inbox actions: read, assign, mark done, notes and saved replies; each checks reach and audits.

Every action takes ``acting_staff`` keyword-only and finds-and-checks in one step through
``bot.access`` (a phone or ticket outside the reader's remit is ``NotFound``, never "forbidden").
Marking a conversation read writes no audit entry: opening the conversation page already does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlmodel import Session, SQLModel, col, select

from bot.access import Viewer, item_filter, phone_visible
from bot.audit import service as audit
from bot.config import Settings
from bot.contacts.models import Role
from bot.escalations import service as tickets
from bot.escalations.models import Ticket
from bot.inbox.models import (
    InboxNote,
    InboxNoteCreate,
    InboxRead,
    InboxThread,
    SavedReply,
    SavedReplyCreate,
)
from bot.inbox.queries import ticket_filter
from bot.items.models import OpenItem

M = TypeVar("M", bound=SQLModel)


class NotFound(LookupError):
    """Missing, or outside the acting staff member's remit: the same answer for both."""


class Invalid(ValueError):
    """Input that cannot be stored; ``str()`` is the reason's key (empty, too_long, duplicate)."""


def _checked(model: type[M], **values: Any) -> M:
    """``values`` as the model's family accepts them, or ``Invalid`` with the first reason's key."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        too_long = all(error["type"] == "string_too_long" for error in exc.errors())
        raise Invalid("too_long" if too_long else "empty") from exc


def team_of(viewer: Viewer) -> str:
    """Saved replies are shared per role: everyone doing the same work uses the same texts."""
    return viewer.role.value


def mark_read(session: Session, *, acting_staff: Viewer, key: str, now: datetime) -> None:
    row = session.exec(
        select(InboxRead).where(InboxRead.staff_id == acting_staff.staff_id, InboxRead.key == key)
    ).first()
    if row is None:
        row = InboxRead(staff_id=acting_staff.staff_id, key=key)
    row.read_at = now
    session.add(row)
    session.flush()


def _thread(session: Session, phone: str) -> InboxThread:
    thread = session.exec(select(InboxThread).where(InboxThread.phone == phone)).first()
    return thread or InboxThread(phone=phone)


def thread_of(session: Session, phone: str) -> InboxThread | None:
    return session.exec(select(InboxThread).where(InboxThread.phone == phone)).first()


def assign_conversation(session: Session, *, phone: str, acting_staff: Viewer, now: datetime) -> InboxThread:
    """The conversation, and the open items about it the staff member handles, become theirs."""
    if not phone_visible(session, acting_staff, phone):
        raise NotFound(phone)
    thread = _thread(session, phone)
    previous = thread.assignee_id
    thread.assignee_id = acting_staff.staff_id
    thread.assigned_at = now
    session.add(thread)
    items = session.exec(
        select(OpenItem).where(
            OpenItem.phone == phone, col(OpenItem.resolved_at).is_(None), item_filter(acting_staff)
        )
    ).all()
    for item in items:
        item.assignee_id = acting_staff.staff_id
        session.add(item)
    audit.record(
        session,
        staff_id=acting_staff.staff_id,
        action="assign",
        subject=f"phone:{phone}",
        details={"from": previous, "to": acting_staff.staff_id, "items": [i.id for i in items]},
        now=now,
    )
    session.flush()
    return thread


def assign_ticket(
    session: Session, *, ticket_id: int, acting_staff: Viewer, now: datetime, settings: Settings
) -> Ticket:
    """Through the ticket's own ``reassign`` (its event, the SMS to the new assignee)."""
    found = session.exec(select(Ticket).where(Ticket.id == ticket_id, ticket_filter(acting_staff))).first()
    if found is None:
        raise NotFound(str(ticket_id))
    previous = found.assignee_id
    ticket = tickets.reassign(
        session,
        ticket_id=ticket_id,
        assignee_id=acting_staff.staff_id,
        now=now,
        settings=settings,
        staff_id=acting_staff.staff_id,
    )
    audit.record(
        session,
        staff_id=acting_staff.staff_id,
        action="assign",
        subject=f"ticket:{ticket_id}",
        details={"from": previous, "to": acting_staff.staff_id},
        now=now,
    )
    return ticket


def close_conversation(session: Session, *, phone: str, acting_staff: Viewer, now: datetime) -> InboxThread:
    """Done for now: the conversation leaves the inbox until the contact writes again."""
    if not phone_visible(session, acting_staff, phone):
        raise NotFound(phone)
    thread = _thread(session, phone)
    thread.closed_at = now
    thread.closed_by_id = acting_staff.staff_id
    session.add(thread)
    audit.record(session, staff_id=acting_staff.staff_id, action="close", subject=f"phone:{phone}", now=now)
    session.flush()
    return thread


def add_note(session: Session, *, phone: str, body: str, acting_staff: Viewer, now: datetime) -> InboxNote:
    """An internal note on the conversation; never sent. The audit entry names it, not its text."""
    if not phone_visible(session, acting_staff, phone):
        raise NotFound(phone)
    given = _checked(InboxNoteCreate, phone=phone, body=body.strip())
    note = InboxNote.model_validate(given, update={"staff_id": acting_staff.staff_id, "created_at": now})
    session.add(note)
    session.flush()
    audit.record(
        session,
        staff_id=acting_staff.staff_id,
        action="note",
        subject=f"phone:{phone}",
        details={"note_id": note.id},
        now=now,
    )
    return note


def notes(session: Session, phone: str, *, limit: int = 50) -> list[InboxNote]:
    """Newest first; callers have checked ``phone_visible``."""
    return list(
        session.exec(
            select(InboxNote)
            .where(InboxNote.phone == phone)
            .order_by(col(InboxNote.created_at).desc(), col(InboxNote.id).desc())
            .limit(limit)
        ).all()
    )


def saved_replies(session: Session, team: str) -> list[SavedReply]:
    return list(
        session.exec(select(SavedReply).where(SavedReply.team == team).order_by(col(SavedReply.name))).all()
    )


def _require_lead(acting_staff: Viewer) -> None:
    if acting_staff.role is not Role.team_lead:
        raise NotFound("saved replies")


def save_reply(
    session: Session, *, team: str, name: str, body: str, acting_staff: Viewer, now: datetime
) -> SavedReply:
    """Add a team's reply, or change the one with this name. Team leads only."""
    _require_lead(acting_staff)
    Role(team)  # an unknown team is a bad request, not a new team
    given = _checked(SavedReplyCreate, team=team, name=name.strip(), body=body.strip())
    reply = session.exec(
        select(SavedReply).where(SavedReply.team == team, SavedReply.name == given.name)
    ).first()
    reply = reply or SavedReply.model_validate(given)
    reply.body = given.body
    reply.updated_at = now
    reply.updated_by_id = acting_staff.staff_id
    session.add(reply)
    session.flush()
    audit.record(
        session, staff_id=acting_staff.staff_id, action="update", subject=f"saved_reply:{reply.id}", now=now
    )
    return reply


def delete_reply(session: Session, *, reply_id: int, acting_staff: Viewer, now: datetime) -> None:
    _require_lead(acting_staff)
    reply = session.get(SavedReply, reply_id)
    if reply is None:
        raise NotFound(str(reply_id))
    session.delete(reply)
    audit.record(
        session,
        staff_id=acting_staff.staff_id,
        action="delete",
        subject=f"saved_reply:{reply_id}",
        details={"team": reply.team, "name": reply.name},
        now=now,
    )
    session.flush()
