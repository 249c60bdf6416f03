"""Values read once per session (a batch of inbound messages, one request) while the rows they
are made of stay as they were: the SLA table (staff's preferences) and the FAQ entries.

Every employer message used to read both again, three statements of the few it needs. A value
is forgotten as soon as a row of a watched model is added, changed or deleted in the session
(attribute sets and flushes both tell), so a session that edits an FAQ entry or a preference
reads it afresh; another transaction's edit is seen by the next session, as for any row the
session has loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import object_session
from sqlmodel import Session

T = TypeVar("T")
_KEY = "escalations.cached"


def cached(session: Session, key: Hashable, load: Callable[[], T], watched: tuple[type, ...]) -> T:
    """``load()`` once per session for ``key``, while no row of ``watched`` waits to be added."""
    store: dict[Hashable, Any] = session.info.setdefault(_KEY, {})
    waiting = (*session.new, *session.deleted)
    if key in store and not any(isinstance(obj, watched) for obj in waiting):
        value: T = store[key]
        return value
    value = load()
    store[key] = value
    return value


def _forget(target: Any) -> None:
    session = object_session(target)
    if session is not None:
        session.info.pop(_KEY, None)


def watch(model: type) -> None:
    """Forget the session's values when a row of ``model`` is changed, flushed or deleted."""
    for name in ("after_insert", "after_update", "after_delete"):
        event.listen(model, name, lambda _mapper, _connection, target: _forget(target))
    mapper: Any = inspect(model)
    for attribute in mapper.column_attrs:
        event.listen(getattr(model, attribute.key), "set", lambda target, *_args: _forget(target))


@event.listens_for(OrmSession, "after_soft_rollback")
def _rolled_back(session: OrmSession, _transaction: Any) -> None:
    # Rows of the rolled-back transaction may be gone.
    session.info.pop(_KEY, None)


__all__ = ["cached", "watch"]
