"""The messages exchanged with one phone number: the staff's timeline, the simulator's thread."""

from __future__ import annotations

from sqlmodel import Session, col, select

from bot.channels.models import Message


def newest_with(session: Session, phone: str, *, limit: int = 200, offset: int = 0) -> list[Message]:
    """The newest ``limit`` messages to or from ``phone`` after skipping ``offset``, newest first."""
    return list(
        session.exec(
            select(Message)
            .where(Message.phone == phone)
            .order_by(col(Message.created_at).desc(), col(Message.id).desc())
            .offset(offset)
            .limit(limit)
        ).all()
    )


def by_ids(session: Session, ids: list[int]) -> list[Message]:
    """The messages with these ids, oldest first (the replies one message drew)."""
    if not ids:
        return []
    return list(session.exec(select(Message).where(col(Message.id).in_(ids)).order_by(col(Message.id))).all())


def after(session: Session, phone: str, last_seen: int, *, limit: int = 500) -> list[Message]:
    """Messages to or from ``phone`` newer than the id ``last_seen``, oldest first."""
    return list(
        session.exec(
            select(Message)
            .where(Message.phone == phone, col(Message.id) > last_seen)
            .order_by(col(Message.id))
            .limit(limit)
        ).all()
    )
