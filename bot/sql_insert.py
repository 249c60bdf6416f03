"""``INSERT ... ON CONFLICT`` for the dialect a session or connection is bound to.

Get-or-create used to be a read, then an insert inside a savepoint that a parallel writer could
make fail: up to four statements, each a round trip on PostgreSQL. Both SQLite and PostgreSQL
resolve the conflict inside one ``INSERT`` instead; their ``insert`` constructs carry the
``on_conflict_do_nothing`` / ``on_conflict_do_update`` clauses, so callers take the one that
matches their bind from here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite


def upsert_insert(bind: Any, table: Any) -> Any:
    """An ``insert(table)`` of the bind's dialect, with ``on_conflict_*`` and ``returning``."""
    engine = bind.get_bind() if hasattr(bind, "get_bind") else bind
    if engine.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


__all__ = ["upsert_insert"]
