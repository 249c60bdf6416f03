"""Open items: create them once, resolve them, list what is still open."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table
from sqlmodel import Session, col, select

from bot.items.models import OpenItem
from bot.sql_insert import upsert_insert


def open(
    session: Session,
    *,
    kind: str,
    summary: str,
    now: datetime,
    dedupe_key: str | None = None,
    citizen_id: int | None = None,
    employer_id: int | None = None,
    assignee_id: int | None = None,
    phone: str | None = None,
    message_id: int | None = None,
    details: dict[str, Any] | None = None,
    due_at: datetime | None = None,
    summary_id: str | None = None,
    summary_params: dict[str, str | int] | None = None,
) -> OpenItem:
    """Open an item for staff; with ``dedupe_key``, an item with that key is returned instead.

    ``summary_id`` (with ``summary_params``) names the sentence the panel shows, in the reader's
    language (``admin.domains.items.ITEM_SUMMARIES``); ``summary`` is the fallback, for exports
    and for items opened before there was an id.

    The key is unique in the table, so two workers opening the same item at once still get
    one row: the insert is ``ON CONFLICT DO NOTHING`` (one statement, no savepoint), and the
    loser, whose insert returns no row, reads the winner's.
    """
    if dedupe_key is not None:
        existing = by_key(session, dedupe_key)
        if existing is not None:
            return existing
    item = OpenItem(
        kind=kind,
        summary=summary,
        dedupe_key=dedupe_key,
        citizen_id=citizen_id,
        employer_id=employer_id,
        assignee_id=assignee_id,
        phone=phone,
        message_id=message_id,
        details={**(details or {}),
                 **({"summary_id": summary_id, "summary_params": dict(summary_params or {})}
                    if summary_id else {})},
        due_at=due_at,
        created_at=now,
    )
    if dedupe_key is None:
        session.add(item)
        session.flush()
        return item
    created = _insert_unless_keyed(session, item)
    if created is not None:
        return created
    existing = by_key(session, dedupe_key)
    if existing is None:
        raise LookupError(f"open item {dedupe_key} neither inserted nor found")
    return existing


def _insert_unless_keyed(session: Session, item: OpenItem) -> OpenItem | None:
    """Insert ``item`` unless an item with its key exists; the stored row, or None."""
    table: Table = OpenItem.__table__  # type: ignore[attr-defined]
    values = {column.key: getattr(item, column.key) for column in table.columns if column.key != "id"}
    statement = (
        upsert_insert(session, table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=[table.c.dedupe_key])
        .returning(*table.c)
    )
    stored: OpenItem | None = session.scalars(select(OpenItem).from_statement(statement)).first()
    return stored


def by_key(session: Session, dedupe_key: str) -> OpenItem | None:
    return session.exec(select(OpenItem).where(OpenItem.dedupe_key == dedupe_key)).first()


def resolve(
    session: Session,
    item_id: int,
    *,
    now: datetime,
    staff_id: int | None = None,
) -> OpenItem:
    """Mark an item done. Its dedupe key is released so the same problem can be opened again."""
    item = session.get(OpenItem, item_id)
    if item is None:
        raise LookupError(f"open item {item_id} does not exist")
    if item.resolved_at is None:
        item.resolved_at = now
        item.resolved_by_id = staff_id
        if item.dedupe_key is not None:
            item.details = {**item.details, "dedupe_key": item.dedupe_key}
            item.dedupe_key = None
        session.add(item)
        session.flush()
    return item


def resolve_by_key(session: Session, dedupe_key: str, *, now: datetime, staff_id: int | None = None) -> bool:
    item = by_key(session, dedupe_key)
    if item is None or item.id is None:
        return False
    resolve(session, item.id, now=now, staff_id=staff_id)
    return True


def list_open(
    session: Session,
    *,
    kind: str | Sequence[str] | None = None,
    assignee_id: int | None = None,
    citizen_id: int | None = None,
    employer_id: int | None = None,
    phone: str | None = None,
    limit: int = 500,
) -> list[OpenItem]:
    """Unresolved items, the most urgent first (due soonest, then oldest)."""
    query = select(OpenItem).where(col(OpenItem.resolved_at).is_(None))
    if isinstance(kind, str):
        query = query.where(OpenItem.kind == kind)
    elif kind is not None:
        query = query.where(col(OpenItem.kind).in_(list(kind)))
    if assignee_id is not None:
        query = query.where(OpenItem.assignee_id == assignee_id)
    if citizen_id is not None:
        query = query.where(OpenItem.citizen_id == citizen_id)
    if employer_id is not None:
        query = query.where(OpenItem.employer_id == employer_id)
    if phone is not None:
        query = query.where(OpenItem.phone == phone)
    query = query.order_by(
        col(OpenItem.due_at).is_(None), col(OpenItem.due_at), col(OpenItem.created_at), col(OpenItem.id)
    )
    return list(session.exec(query.limit(limit)).all())
