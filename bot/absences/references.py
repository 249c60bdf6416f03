"""Readable references with a per-year sequence: S-2026-000123 (sick notice), H-2026-000007 (hearing).

The counter is one row per prefix and year, bumped with a single UPDATE, so two notices arriving
at the same moment in two workers never get the same number: the second UPDATE waits for the
first transaction's row lock (PostgreSQL) or for its write lock (SQLite).
"""

from __future__ import annotations

from sqlalchemy import Table, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.absences.models import ReferenceCounter


def _table() -> Table:
    table: Table = ReferenceCounter.__table__  # type: ignore[attr-defined]
    return table


def format_reference(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:06d}"


def next_reference(session: Session, *, prefix: str, year: int) -> str:
    key = f"{prefix}-{year}"
    table = _table()
    connection = session.connection()
    for _ in range(2):
        bumped = connection.execute(
            update(table).where(table.c.key == key).values(last=table.c.last + 1).returning(table.c.last)
        ).scalar()
        if bumped is not None:
            return format_reference(prefix, year, int(bumped))
        try:
            # The year's first number; a parallel first insert loses here and bumps instead.
            with session.begin_nested():
                session.connection().execute(insert(table).values(key=key, last=1))
            return format_reference(prefix, year, 1)
        except IntegrityError:
            continue
    raise RuntimeError(f"could not hand out a reference for {key}")


def peek(session: Session, *, prefix: str, year: int) -> int:
    """The last number handed out (0 when none), for tests and admin views."""
    table = _table()
    value = session.connection().execute(
        select(table.c.last).where(table.c.key == f"{prefix}-{year}")
    ).scalar()
    return int(value or 0)
