"""The messages exchanged with one phone number, for the staff's timeline of a conversation."""

from __future__ import annotations

from sqlmodel import Session, col, select

from bot.channels.models import Message


def newest_with(session: Session, phone: str, *, limit: int = 200) -> list[Message]:
    """The newest ``limit`` messages to or from ``phone``, newest first."""
    return list(
        session.exec(
            select(Message)
            .where(Message.phone == phone)
            .order_by(col(Message.created_at).desc(), col(Message.id).desc())
            .limit(limit)
        ).all()
    )
