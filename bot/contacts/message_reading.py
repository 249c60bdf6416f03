"""Staff reading one number's messages: every read on record in the audit log."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.audit import service as audit
from bot.channels import history
from bot.channels.models import Message


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
    """``history.newest_with`` for a member of staff, each read on record with how many messages it showed."""
    rows = history.newest_with(session, phone, limit=limit, offset=offset)
    audit.record(session, staff_id=acting_staff, action="view", subject=f"messages:{phone}", now=now,
                 details={"count": len(rows), "via": via})
    return rows
