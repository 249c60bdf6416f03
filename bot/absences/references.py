"""Readable references with a per-year sequence: S-2026-000123 (sick notice), H-2026-000007 (hearing).

The counter is one row per prefix and year, created or bumped with a single ``INSERT ... ON
CONFLICT DO UPDATE``, so two notices arriving at the same moment in two workers never get the same
number: the second waits for the first transaction's row lock (PostgreSQL) or for its write lock
(SQLite), and the year's first number needs no savepoint.
"""

from __future__ import annotations

from sqlalchemy import Table, select
from sqlmodel import Session

from bot.absences.models import ReferenceCounter
from bot.sql_insert import upsert_insert


def _table() -> Table:
    table: Table = ReferenceCounter.__table__  # type: ignore[attr-defined]
    return table


def format_reference(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:06d}"


def next_reference(session: Session, *, prefix: str, year: int) -> str:
    """The next number of ``prefix`` in ``year``: one statement that also starts the year at 1."""
    key = f"{prefix}-{year}"
    table = _table()
    insert = upsert_insert(session, table)
    statement = (
        insert.values(key=key, last=1)
        .on_conflict_do_update(index_elements=[table.c.key], set_={"last": table.c.last + 1})
        .returning(table.c.last)
    )
    number = session.connection().execute(statement).scalar_one()
    return format_reference(prefix, year, int(number))


def peek(session: Session, *, prefix: str, year: int) -> int:
    """The last number handed out (0 when none), for tests and admin views."""
    table = _table()
    value = session.connection().execute(
        select(table.c.last).where(table.c.key == f"{prefix}-{year}")
    ).scalar()
    return int(value or 0)
