"""Readable references with a per-year sequence, for every kind: S-2026-000123, V-2026-000045.

One counter row per prefix and year, created or bumped with a single ``INSERT ... ON CONFLICT
DO UPDATE ... RETURNING``: two issuers at the same moment in two workers never get the same
number (the second waits for the first transaction's row lock on PostgreSQL, or for its write
lock on SQLite), and a year's first number needs no savepoint. Every kind numbers here.
"""

from __future__ import annotations

from sqlalchemy import Table, select
from sqlmodel import Field, Session, SQLModel

from bot.sql_insert import upsert_insert

SICK_NOTICE = "S"
HEARING = "H"
CANCELLATION = "A"
DOCUMENT = "D"
TICKET = "V"


class ReferenceCounter(SQLModel, table=True):
    """The last number handed out per prefix and year ("S-2026")."""

    __tablename__ = "reference_counter"

    key: str = Field(primary_key=True)
    last: int = 0


def _table() -> Table:
    table: Table = ReferenceCounter.__table__  # type: ignore[attr-defined]
    return table


def format_reference(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:06d}"


def next_reference(session: Session, *, prefix: str, year: int) -> str:
    """The next number of ``prefix`` in ``year``: one statement that also starts the year at 1."""
    table = _table()
    statement = (
        upsert_insert(session, table)
        .values(key=f"{prefix}-{year}", last=1)
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
