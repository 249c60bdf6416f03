"""Finding open items by key and by person, with as few reads as one message's handling needs.

``bot.items.service`` opens and resolves items; this module answers "which item holds this
key?" and "which item is this person's?" for it. Within a session the answers are kept: items it
opened or found by key (valid while the item still holds the key), and what ``read_ahead`` found
missing (each answered once).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, inspect, or_
from sqlmodel import Session, col, select

from bot.items.models import OpenItem


def _person_clause(kind: str, citizen_id: int | None, phone: str | None) -> Any:
    clause = and_(col(OpenItem.kind) == kind, col(OpenItem.resolved_at).is_(None))
    if citizen_id is not None:
        return and_(clause, col(OpenItem.citizen_id) == citizen_id)
    return and_(clause, col(OpenItem.phone) == phone, col(OpenItem.citizen_id).is_(None))


def open_for_person(
    session: Session, *, kind: str, citizen_id: int | None, phone: str | None
) -> OpenItem | None:
    query = select(OpenItem).where(_person_clause(kind, citizen_id, phone))
    return session.exec(query.order_by(col(OpenItem.id))).first()


def holding_or_open_for_person(
    session: Session, dedupe_key: str, *, kind: str, citizen_id: int | None, phone: str | None
) -> tuple[OpenItem | None, OpenItem | None]:
    """``holding`` and ``open_for_person`` answered by one query (or none, after ``read_ahead``)."""
    persons: dict[tuple[str, int | None, str | None], OpenItem | None] = session.info.get(_PERSONS, {})
    if (kind, citizen_id, phone) in persons:
        person = persons.pop((kind, citizen_id, phone))
        if person is None or (person.resolved_at is None and person in session):
            return holding(session, dedupe_key), person
    persons_clause = _person_clause(kind, citizen_id, phone)
    query = select(OpenItem).where(or_(col(OpenItem.dedupe_key) == dedupe_key, persons_clause))
    rows = list(session.exec(query.order_by(col(OpenItem.id))).all())
    holder = next((item for item in rows if item.dedupe_key == dedupe_key), None)
    for_person = next((item for item in rows if _is_persons(item, kind, citizen_id, phone)), None)
    return holder, for_person


def _is_persons(item: OpenItem, kind: str, citizen_id: int | None, phone: str | None) -> bool:
    """What ``_person_clause`` selects, for a row already read."""
    if item.kind != kind or item.resolved_at is not None:
        return False
    if citizen_id is not None:
        return item.citizen_id == citizen_id
    return item.phone == phone and item.citizen_id is None


# Items this session opened or found, by key: the next question about the same key (a record
# refined in the same message) needs no read while the item still holds it. Keys only change
# through these objects (``close``, ``release``, ``undo_done``), never by a bulk statement.
_HELD = "items.held"


def remember(session: Session, item: OpenItem | None) -> OpenItem | None:
    if item is not None and item.dedupe_key is not None:
        session.info.setdefault(_HELD, {})[item.dedupe_key] = item
    return item


def _remembered(session: Session, dedupe_key: str) -> OpenItem | None:
    item: OpenItem | None = session.info.get(_HELD, {}).get(dedupe_key)
    if item is None or item not in session:
        return None
    state = inspect(item)
    if state.deleted or state.was_deleted or state.expired or item.dedupe_key != dedupe_key:
        return None
    return item


# What ``read_ahead`` found missing, each answered once: keys nobody held, and per-person
# kinds' open items (None: none). An insert through ``open`` or an undo forgets them.
_ABSENT = "items.absent"
_PERSONS = "items.persons"


def read_ahead(session: Session, keys: Sequence[str], *, kind: str | None = None,
               citizen_id: int | None = None) -> None:
    """Read in one query what ``open`` and ``resolve_by_key(s)`` will soon ask about ``keys``
    (none of a per-person kind) and, with ``kind``, the citizen's open item of that kind."""
    clauses = [col(OpenItem.dedupe_key).in_(list(keys))]
    if kind is not None:
        clauses.append(_person_clause(kind, citizen_id, None))
    rows = list(session.exec(select(OpenItem).where(or_(*clauses)).order_by(col(OpenItem.id))).all())
    held = {item.dedupe_key: remember(session, item) for item in rows if item.dedupe_key in keys}
    session.info.setdefault(_ABSENT, set()).update(key for key in keys if key not in held)
    if kind is not None:
        person = next((item for item in rows if _is_persons(item, kind, citizen_id, None)), None)
        session.info.setdefault(_PERSONS, {})[(kind, citizen_id, None)] = person


def known(session: Session, held: dict[str, OpenItem | None], *,
          person: tuple[str, int, OpenItem | None] | None = None) -> None:
    """What ``read_ahead`` would have found, when the caller read it with its own rows: the
    holder of each key in ``held`` (None: nobody) and (kind, citizen, item) for a person."""
    for key, item in held.items():
        if item is None:
            session.info.setdefault(_ABSENT, set()).add(key)
        else:
            remember(session, item)
    if person is not None:
        kind, citizen_id, item = person
        session.info.setdefault(_PERSONS, {})[(kind, citizen_id, None)] = item


def forget_read_ahead(session: Session, item: OpenItem | None = None) -> None:
    if item is None:
        session.info.pop(_ABSENT, None)
        session.info.pop(_PERSONS, None)
        return
    session.info.get(_ABSENT, set()).discard(item.dedupe_key)
    session.info.get(_PERSONS, {}).pop((item.kind, item.citizen_id, None), None)
    session.info.get(_PERSONS, {}).pop((item.kind, None, item.phone), None)


def _known_absent(session: Session, dedupe_key: str) -> bool:
    absent: set[str] = session.info.get(_ABSENT, set())
    if dedupe_key in absent:
        absent.discard(dedupe_key)
        return True
    return False


def holding(session: Session, dedupe_key: str) -> OpenItem | None:
    known = _remembered(session, dedupe_key)
    if known is not None or _known_absent(session, dedupe_key):
        return known
    return remember(session, session.exec(select(OpenItem).where(OpenItem.dedupe_key == dedupe_key)).first())


def holding_many(session: Session, keys: Sequence[str]) -> dict[str, OpenItem]:
    """``holding`` for several keys, in one read."""
    found = {key: item for key in keys if (item := _remembered(session, key)) is not None}
    wanted = [key for key in keys if key not in found and not _known_absent(session, key)]
    if wanted:
        for item in session.exec(select(OpenItem).where(col(OpenItem.dedupe_key).in_(wanted))).all():
            if item.dedupe_key is not None:
                found[item.dedupe_key] = item
                remember(session, item)
    return found
