"""The messages exchanged with one phone number, for the staff's timeline of a conversation."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from bot.audit import service as audit
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


def read_by_staff(
    *,
    session: Session,
    acting_staff: int | None,
    phone: str,
    limit: int,
    offset: int,
    now: datetime,
    via: str,
) -> list[Message]:
    """``newest_with`` for a member of staff, each read on record with how many messages it showed."""
    rows = newest_with(session, phone, limit=limit, offset=offset)
    audit.record(session, staff_id=acting_staff, action="view", subject=f"messages:{phone}", now=now,
                 details={"count": len(rows), "via": via})
    return rows
