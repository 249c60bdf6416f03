"""The audit trail: write an entry for every view of personal data and every change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, select

from bot.audit.models import AuditEntry


def record(
    session: Session,
    *,
    staff_id: int | None,
    action: str,
    subject: str,
    now: datetime,
    details: dict[str, Any] | None = None,
    address: str | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        at=now,
        staff_id=staff_id,
        action=action,
        subject=subject,
        details=dict(details or {}),
        address=address,
    )
    session.add(entry)
    session.flush()
    return entry


def entries(
    session: Session,
    *,
    staff_id: int | None = None,
    subject: str | None = None,
    action: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[AuditEntry], int]:
    """The newest entries first, filtered; with the total count for paging."""
    query = select(AuditEntry)
    counter = select(func.count()).select_from(AuditEntry)
    filters = []
    if staff_id is not None:
        filters.append(AuditEntry.staff_id == staff_id)
    if subject:
        filters.append(AuditEntry.subject == subject)
    if action:
        filters.append(AuditEntry.action == action)
    for condition in filters:
        query = query.where(condition)
        counter = counter.where(condition)
    query = query.order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc()).offset(offset).limit(limit)
    total = session.exec(counter).one()
    return list(session.exec(query).all()), int(total)
