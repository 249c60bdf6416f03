"""Items close themselves when the thing they ask about is settled, whoever settles it.

A sick notice that ends (the citizen wrote "I'm better", a consultant ended it, the clock did)
closes its item; a ticket that gets its first answer closes the item that asked for one; a citizen
or employer contact registered with a number closes that number's unknown-sender item. The
rule is a flush hook on every session, so no caller has to remember it: the change and the
closed item are written together, at the time the change names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session as OrmSession


@dataclass(frozen=True)
class Rule:
    """When ``field`` of a row of ``table`` gets a value, the item keyed ``key(row)`` is settled."""

    table: str
    field: str
    key: Callable[[Any], str]


RULES: tuple[Rule, ...] = (
    Rule("sick_notice", "ended_at", lambda notice: f"sick_notice:{notice.id}"),
    Rule("ticket", "first_response_at", lambda ticket: f"ticket:{ticket.id}"),
)
_BY_TABLE = {rule.table: rule for rule in RULES}


def _settled(obj: Any) -> tuple[str, datetime] | None:
    rule = _BY_TABLE.get(getattr(type(obj), "__tablename__", ""))
    if rule is None or getattr(obj, "id", None) is None:
        return None
    added = inspect(obj).attrs[rule.field].history.added
    moment = next((value for value in added if isinstance(value, datetime)), None)
    return (rule.key(obj), moment) if moment is not None else None


# A contact registered with a number answers "who is this?" for that number's unknown-sender item.
REGISTERED = frozenset({"citizen", "employer_contact"})


def _registered(obj: Any) -> tuple[str, datetime] | None:
    if getattr(type(obj), "__tablename__", "") not in REGISTERED or not getattr(obj, "phone", None):
        return None
    from bot import clock

    return f"unknown_sender:{obj.phone}", getattr(obj, "created_at", None) or clock.utcnow()


@event.listens_for(OrmSession, "before_flush")
def _close_settled_items(session: OrmSession, _context: Any, _instances: Any) -> None:
    settled = [found for obj in session.dirty if (found := _settled(obj)) is not None]
    settled += [found for obj in session.new if (found := _registered(obj)) is not None]
    if not settled:
        return
    from bot.items import service  # the service imports this module

    with session.no_autoflush:
        for key, moment in settled:
            item = service.by_key(session, key)  # type: ignore[arg-type]
            if item is not None and item.resolved_at is None:
                service.release(session, item, key, now=moment)  # type: ignore[arg-type]


def close_settled(session: OrmSession, *, now: datetime) -> int:
    """Close open items whose subject was settled where the flush hook did not see it (before the
    rule existed, or by a bulk update); each closes at the time its subject was settled."""
    from sqlalchemy import select
    from sqlmodel import col

    from bot.items import service
    from bot.items.models import OpenItem

    closed = 0
    for rule in RULES:
        table = OpenItem.metadata.tables[rule.table]
        prefix = f"{rule.table}:"
        candidates = session.scalars(
            select(OpenItem).where(col(OpenItem.resolved_at).is_(None),
                                   col(OpenItem.dedupe_key).startswith(prefix, autoescape=True))
        ).all()
        keys = {key: item for item in candidates
                for key in (item.details.get(service.KEYS) or [item.dedupe_key]) if key.startswith(prefix)}
        ids = {int(key[len(prefix):]): key for key in keys if key[len(prefix):].isdigit()}
        if not ids:
            continue
        field = table.c[rule.field]
        settled = session.execute(
            select(table.c.id, field).where(table.c.id.in_(sorted(ids)), field.is_not(None))
        ).all()
        for row_id, moment in settled:
            key = ids[row_id]
            item = keys[key]
            if item.resolved_at is None:
                service.release(session, item, key, now=moment or now)  # type: ignore[arg-type]
                closed += item.resolved_at is not None
    session.flush()
    return closed
