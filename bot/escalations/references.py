"""Ticket references with a per-year sequence: V-2026-000045.

One counter row per year, bumped with a single UPDATE ... RETURNING: two tickets opened at the
same moment by two workers queue on the row lock (PostgreSQL) or the write lock (SQLite) and
never share a number. The year's first ticket inserts the row inside a savepoint; a parallel
first insert loses on the primary key and bumps instead.
"""

from __future__ import annotations

from sqlalchemy import Table, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.escalations.models import TicketSequence

PREFIX = "V"


def _table() -> Table:
    table: Table = TicketSequence.__table__  # type: ignore[attr-defined]
    return table


def format_reference(year: int, number: int) -> str:
    return f"{PREFIX}-{year}-{number:06d}"


def next_reference(session: Session, *, year: int) -> str:
    table = _table()
    for _ in range(2):
        bumped = (
            session.connection()
            .execute(
                update(table)
                .where(table.c.year == year)
                .values(last=table.c.last + 1)
                .returning(table.c.last)
            )
            .scalar()
        )
        if bumped is not None:
            return format_reference(year, int(bumped))
        try:
            with session.begin_nested():
                session.connection().execute(insert(table).values(year=year, last=1))
            return format_reference(year, 1)
        except IntegrityError:
            continue
    raise RuntimeError(f"could not hand out a ticket reference for {year}")


def last_number(session: Session, *, year: int) -> int:
    table = _table()
    value = session.connection().execute(select(table.c.last).where(table.c.year == year)).scalar()
    return int(value or 0)
