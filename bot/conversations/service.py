"""Conversation rows: one per phone number, with who it is and when they last wrote.

Both writers here are one ``INSERT ... ON CONFLICT`` on the unique phone: the row is created or
found (and, for an inbound message, brought up to date) in a single statement, so two workers
writing for one phone at once still get one row, without a savepoint or a second read.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Table, bindparam, case
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from bot.contacts.lookup import ContactRef
from bot.conversations.models import Conversation
from bot.sql_insert import upsert_insert


def _table() -> Table:
    table: Table = Conversation.__table__  # type: ignore[attr-defined]
    return table


def by_phone(session: Session, phone: str) -> Conversation | None:
    return session.exec(select(Conversation).where(Conversation.phone == phone)).first()


def _load(session: Session, statement: Any, params: dict[str, Any] | None = None) -> Conversation | None:
    found: Conversation | None = session.scalars(
        select(Conversation).from_statement(statement), params, execution_options={"populate_existing": True}
    ).first()
    return found


def get_or_create(session: Session, *, phone: str, now: datetime) -> Conversation:
    """The conversation for ``phone``; two workers creating it at once still get one row."""
    found = by_phone(session, phone)
    if found is not None:
        return found
    table = _table()
    statement = (
        upsert_insert(session, table)
        .values(phone=phone, contact_kind="unknown", state={}, updated_at=now)
        .on_conflict_do_nothing(index_elements=[table.c.phone])
        .returning(*table.c)
    )
    created = _load(session, statement)
    found = created or by_phone(session, phone)
    if found is None:
        raise LookupError(f"no conversation for {phone} after creating it")
    return found


def record_inbound(
    session: Session, *, phone: str, contact: ContactRef | None, at: datetime, now: datetime
) -> Conversation:
    """Note that ``phone`` wrote at ``at`` and who it belongs to now: one statement, new or not."""
    values: dict[str, Any] = {
        "phone": phone, "contact_kind": contact.kind if contact else "unknown",
        "contact_id": contact.id if contact else None, "state": {}, "last_inbound_at": at,
        "updated_at": now,
    }
    statement = _recorded(session.get_bind().dialect.name)
    conversation = _load(session, statement, values)
    if conversation is None:
        raise LookupError(f"no conversation for {phone} after recording its message")
    return conversation


@cache
def _recorded(dialect: str) -> Any:
    """``record_inbound``'s upsert, built once per dialect: every inbound message runs it, and
    building it (the ``excluded`` columns above all) cost more than executing it."""
    table = _table()
    insert = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    later = case(
        (table.c.last_inbound_at.is_(None), insert.excluded.last_inbound_at),
        (insert.excluded.last_inbound_at > table.c.last_inbound_at, insert.excluded.last_inbound_at),
        else_=table.c.last_inbound_at,
    )
    columns = ("phone", "contact_kind", "contact_id", "state", "last_inbound_at", "updated_at")
    return (
        insert.values({name: bindparam(name, type_=table.c[name].type) for name in columns})
        .on_conflict_do_update(
            index_elements=[table.c.phone],
            set_={"contact_kind": insert.excluded.contact_kind, "contact_id": insert.excluded.contact_id,
                  "updated_at": insert.excluded.updated_at, "last_inbound_at": later},
        )
        .returning(*table.c)
    )
