"""Open items: create them once per subject, resolve them (and undo that for a minute), list
what is still open.

A subject is what an item is about. Most kinds name theirs in the dedupe key (one appointment,
one hearing case); for the kinds in ``ONE_PER_PERSON`` the subject is the person, so a second sick
notice from the same citizen within a minute updates the open item instead of opening another:
staff see one line per citizen, and the item remembers every key it stands for.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, Table, cast
from sqlmodel import Session, col, select

from bot.audit import service as audit
from bot.contacts.models import Staff
from bot.items import lookup
from bot.items.models import ItemKind, OpenItem
from bot.sql_insert import upsert_insert

# Kinds whose subject is the person: one open item per citizen (or per phone without a citizen).
ONE_PER_PERSON = frozenset({ItemKind.sick_notice.value, ItemKind.handover.value,
                            ItemKind.unknown_sender.value, ItemKind.flow_expired.value})
KEYS = "keys"  # details: every dedupe key an item merged from other openings stands for
UNDO_WINDOW = timedelta(seconds=60)


class UndoError(LookupError):
    """The item cannot be reopened: not done, done by someone else, or done too long ago."""


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
    fresh_key: bool = False,
) -> OpenItem:
    """Open an item for staff; with ``dedupe_key``, an item with that key is returned instead.

    ``fresh_key``: the key names a record made in this transaction (``cancellation:<new id>``),
    so it is inserted without looking for a holder first (a conflict still returns the holder).

    ``summary_id`` (with ``summary_params``) names the sentence the panel shows, in the reader's
    language (``admin.domains.items.ITEM_SUMMARIES``); ``summary`` is the fallback, for exports
    and for items opened before there was an id.

    The key is unique in the table, so two workers opening the same item at once still get
    one row: the insert is ``ON CONFLICT DO NOTHING`` (one statement, no savepoint), and the
    loser, whose insert returns no row, reads the winner's.
    """
    per_person = kind in ONE_PER_PERSON and (citizen_id is not None or bool(phone))
    same: OpenItem | None = None
    if dedupe_key is not None and per_person:
        # The key's holder and the person's open item in one read.
        existing, same = lookup.holding_or_open_for_person(session, dedupe_key, kind=kind,
                                                           citizen_id=citizen_id, phone=phone)
        if existing is not None:
            return existing
    elif dedupe_key is not None and not fresh_key:
        existing = lookup.holding(session, dedupe_key)
        if existing is not None:
            return existing
    elif dedupe_key is None and per_person:
        same = lookup.open_for_person(session, kind=kind, citizen_id=citizen_id, phone=phone)
    if same is not None:
        return _merge(session, same, dedupe_key=dedupe_key, summary=summary, message_id=message_id,
                      details=details, due_at=due_at, summary_id=summary_id,
                      summary_params=summary_params)
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
        lookup.forget_read_ahead(session, item)
        return item
    created = _insert_unless_keyed(session, item)
    if created is not None:
        lookup.forget_read_ahead(session, created)
        lookup.remember(session, created)
        return created
    existing = lookup.holding(session, dedupe_key)
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


def _merge(
    session: Session,
    item: OpenItem,
    *,
    dedupe_key: str | None,
    summary: str,
    message_id: int | None,
    details: dict[str, Any] | None,
    due_at: datetime | None,
    summary_id: str | None,
    summary_params: dict[str, str | int] | None,
) -> OpenItem:
    """The newer opening's words and message, the earlier deadline, and both keys."""
    keys = list(item.details.get(KEYS) or ([item.dedupe_key] if item.dedupe_key else []))
    if dedupe_key is not None and dedupe_key not in keys:
        keys.append(dedupe_key)
    merged = {**item.details, **(details or {}), KEYS: keys,
              "merged": int(item.details.get("merged", 0)) + 1}
    if summary_id:
        merged.update(summary_id=summary_id, summary_params=dict(summary_params or {}))
    item.details = merged
    item.summary = summary or item.summary
    item.message_id = message_id or item.message_id
    if due_at is not None and (item.due_at is None or due_at < item.due_at):
        item.due_at = due_at
    session.add(item)
    session.flush()
    return item


def by_key(session: Session, dedupe_key: str) -> OpenItem | None:
    """The item holding ``dedupe_key``, or the open item a per-person opening was merged into."""
    found = lookup.holding(session, dedupe_key)
    if found is not None:
        return found
    kind = dedupe_key.split(":", 1)[0]
    if kind not in ONE_PER_PERSON:
        return None
    # The key's text in the stored JSON narrows the search to the one item; Python confirms it.
    merged = select(OpenItem).where(
        OpenItem.kind == kind,
        col(OpenItem.resolved_at).is_(None),
        cast(col(OpenItem.details), String).contains(f'"{dedupe_key}"', autoescape=True),
    )
    return next((item for item in session.exec(merged).all() if dedupe_key in (item.details.get(KEYS) or [])),
                None)


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
        close(session, item, now=now, staff_id=staff_id)
        session.flush()
    return item


def close(session: Session, item: OpenItem, *, now: datetime, staff_id: int | None = None) -> None:
    """Mark ``item`` resolved without flushing (usable while the session flushes)."""
    item.resolved_at = now
    item.resolved_by_id = staff_id
    if item.dedupe_key is not None:
        item.details = {**item.details, "dedupe_key": item.dedupe_key}
        item.dedupe_key = None
    session.add(item)


def release(
    session: Session, item: OpenItem, dedupe_key: str, *, now: datetime, staff_id: int | None = None
) -> None:
    """Let go of ``dedupe_key``; the item closes when it stands for no other key. No flush."""
    keys = [k for k in (item.details.get(KEYS) or []) if k != dedupe_key]
    if not keys:
        close(session, item, now=now, staff_id=staff_id)
        return
    item.details = {**item.details, KEYS: keys}
    if item.dedupe_key == dedupe_key:
        item.dedupe_key = keys[0]
    session.add(item)


def resolve_by_keys(
    session: Session, keys: Sequence[str], *, now: datetime, staff_id: int | None = None
) -> None:
    """``resolve_by_key`` for each of ``keys``; the keys of items held by key are read together."""
    held = lookup.holding_many(session, [key for key in keys if key.split(":", 1)[0] not in ONE_PER_PERSON])
    for key in keys:
        if key in held:
            item = held[key]
            if item.resolved_at is None:
                release(session, item, key, now=now, staff_id=staff_id)
                session.flush()
        elif key.split(":", 1)[0] in ONE_PER_PERSON:
            resolve_by_key(session, key, now=now, staff_id=staff_id)


def resolve_by_key(session: Session, dedupe_key: str, *, now: datetime, staff_id: int | None = None) -> bool:
    """Resolve what ``dedupe_key`` names. An item standing for several keys (one person's notices)
    only lets go of this one and stays open while another still needs attention."""
    item = by_key(session, dedupe_key)
    if item is None or item.id is None:
        return False
    if item.resolved_at is None:
        release(session, item, dedupe_key, now=now, staff_id=staff_id)
        session.flush()
    return True


def mark_done(
    *, session: Session, item_id: int, acting_staff: Staff, now: datetime, address: str | None = None
) -> OpenItem:
    """Staff mark an item done; audited, and undoable by the same person for ``UNDO_WINDOW``."""
    item = resolve(session, item_id, now=now, staff_id=acting_staff.id)
    audit.record(session, staff_id=acting_staff.id, action="resolve", subject=f"open_item:{item_id}",
                 details={"kind": item.kind}, address=address, now=now)
    return item


def can_undo(item: OpenItem, *, staff_id: int | None, now: datetime) -> bool:
    return (
        item.resolved_at is not None
        and item.resolved_by_id is not None
        and item.resolved_by_id == staff_id
        and now - item.resolved_at <= UNDO_WINDOW
    )


def recently_done(session: Session, *, staff_id: int | None, now: datetime) -> list[OpenItem]:
    """What ``staff_id`` marked done within the undo window, the latest first."""
    if staff_id is None:
        return []
    query = select(OpenItem).where(OpenItem.resolved_by_id == staff_id,
                                   col(OpenItem.resolved_at) >= now - UNDO_WINDOW)
    return list(session.exec(query.order_by(col(OpenItem.resolved_at).desc()).limit(5)).all())


def undo_done(
    *, session: Session, item_id: int, acting_staff: Staff, now: datetime, address: str | None = None
) -> OpenItem:
    """Reopen an item its person marked done less than a minute ago, with its key if still free."""
    item = session.get(OpenItem, item_id)
    if item is None or not can_undo(item, staff_id=acting_staff.id, now=now):
        raise UndoError(f"open item {item_id} cannot be reopened now")
    key = item.details.get("dedupe_key")
    if isinstance(key, str) and by_key(session, key) is None:
        item.dedupe_key = key
    item.resolved_at = None
    item.resolved_by_id = None
    session.add(item)
    lookup.forget_read_ahead(session)
    audit.record(session, staff_id=acting_staff.id, action="reopen", subject=f"open_item:{item_id}",
                 details={"kind": item.kind}, address=address, now=now)
    session.flush()
    return item


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


# Closing items when the event that resolves them happens, for every caller (imported last: it
# uses this module).
from bot.items import closing as _closing  # noqa: E402,F401
