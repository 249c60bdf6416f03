"""Reading what the outbox holds, the way a recipient would see it."""

from __future__ import annotations

from sqlmodel import Session, col, select

from bot.channels.models import Direction, Message


def outbox(session: Session, phone: str | None = None) -> list[Message]:
    query = select(Message).where(Message.direction == Direction.outbound)
    if phone is not None:
        query = query.where(Message.phone == phone)
    return list(session.exec(query.order_by(col(Message.id))).all())


def templates(session: Session, phone: str) -> list[str]:
    return [m.template or "" for m in outbox(session, phone)]
