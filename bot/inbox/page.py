"""The inbox's block on the conversation page, read in one place so the route stays thin."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from bot.access import Viewer
from bot.contacts.models import Staff
from bot.inbox import service
from bot.inbox.models import InboxNote, SavedReply
from bot.items.models import OpenItem


@dataclass(frozen=True)
class ConversationTools:
    assignee_id: int | None
    assignee_name: str | None
    notes: list[InboxNote]
    authors: dict[int, str]
    replies: list[SavedReply]
    note_error: bool = False


def conversation_tools(
    session: Session, viewer: Viewer, phone: str, *, note_error: bool = False
) -> ConversationTools:
    """Callers have checked ``phone_visible`` for ``viewer``."""
    thread = service.thread_of(session, phone)
    notes = service.notes(session, phone)
    assignee = thread.assignee_id if thread and thread.assignee_id else _item_assignee(session, phone)
    ids = {n.staff_id for n in notes} | ({assignee} if assignee else set())
    names = (
        dict(session.exec(select(Staff.id, Staff.name).where(col(Staff.id).in_(sorted(ids)))).all())
        if ids
        else {}
    )
    return ConversationTools(
        assignee_id=assignee,
        assignee_name=names.get(assignee) if assignee else None,
        notes=notes,
        authors={k: v for k, v in names.items() if k is not None},
        replies=service.saved_replies(session, service.team_of(viewer)),
        note_error=note_error,
    )


def _item_assignee(session: Session, phone: str) -> int | None:
    """Who handles an open item about the phone: the inbox list names them too, so the page that
    list opens must not say nobody does."""
    return session.exec(
        select(OpenItem.assignee_id)
        .where(
            OpenItem.phone == phone,
            col(OpenItem.resolved_at).is_(None),
            col(OpenItem.assignee_id).is_not(None),
        )
        .order_by(col(OpenItem.created_at))
        .limit(1)
    ).first()
