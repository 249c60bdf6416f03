"""What staff open of the conversations: the recent ones, and one phone's conversation, whose
every opening is recorded in the audit log and marks it read for the one who opened it."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from bot.access import Viewer
from bot.audit import service as audit
from bot.conversations.models import Conversation


def recent(session: Session, *, limit: int = 50) -> list[Conversation]:
    """The conversations with the latest messages from their side, newest first."""
    return list(
        session.exec(
            select(Conversation)
            .where(col(Conversation.last_inbound_at).is_not(None))
            .order_by(col(Conversation.last_inbound_at).desc())
            .limit(limit)
        ).all()
    )


def open_conversation(
    session: Session, *, viewer: Viewer, phone: str, now: datetime, address: str | None = None
) -> None:
    """Record that ``viewer`` opened the conversation with ``phone`` (visibility is checked first)."""
    from bot.inbox import service as inbox  # the inbox builds on the conversations, not the reverse

    audit.record(session, staff_id=viewer.staff_id, action="view", subject=f"phone:{phone}", address=address,
                 now=now)
    inbox.mark_read(session, acting_staff=viewer, key=f"phone:{phone}", now=now)
