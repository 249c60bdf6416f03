"""Read and change the settings staff may change at run time, each one validated by its owner.

A domain declares a ``Setting`` (key, default, how the stored JSON is read and written, who may
change it); this module stores it in ``Preference`` and audits every change inside the action,
so the panel, the API and the CLI cannot change a setting without a trace. Setting a value that
is already in effect writes nothing: the audit log shows changes, not clicks.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlmodel import Session

from bot.audit import service as audit
from bot.contacts.models import Role, Staff
from bot.contacts.service import ContactInputError
from bot.preferences.models import Preference

T = TypeVar("T")
ACTION = "preference_changed"
SUBJECT = "preference:{key}"
# Settings change how the municipality's figures read for everyone: its admins and team leads.
CHANGED_BY = frozenset({Role.admin, Role.team_lead})

log = logging.getLogger(__name__)


class PreferenceError(ContactInputError):
    """A value that cannot be used for a setting, or a person who may not change it."""


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One changeable setting. ``parse`` turns stored or submitted JSON into the typed value and
    raises ``ValueError`` with a reason a person can act on; ``dump`` is its inverse."""

    key: str
    default: T
    parse: Callable[[Any], T]
    dump: Callable[[T], Any]
    changed_by: frozenset[Role] = CHANGED_BY


def get_preference(session: Session, setting: Setting[T]) -> T:
    """The value in effect: the stored one, or the default when none is stored.

    A stored value the code can no longer read (an outcome renamed since) falls back to the
    default rather than breaking every page that shows the figure; the log says so.
    """
    row = session.get(Preference, setting.key)
    if row is None or row.value is None:
        return setting.default
    try:
        return setting.parse(row.value)
    except ValueError as exc:
        log.warning("preference %s holds an unusable value (%s); using the default", setting.key, exc)
        return setting.default


def last_change(session: Session, setting: Setting[Any]) -> Preference | None:
    """The stored row (when and by whom it was last changed), or None while the default holds."""
    return session.get(Preference, setting.key)


def set_preference(
    session: Session,
    *,
    setting: Setting[T],
    value: Any,
    acting_staff: Staff,
    now: datetime,
) -> T:
    """Validate and store ``value``; audited with the old and the new value. A no-op change
    (the value already in effect) writes neither the setting nor an audit entry."""
    if acting_staff.role not in setting.changed_by:
        raise PreferenceError("role", "only an administrator or a team lead may change this setting")
    try:
        new = setting.parse(value)
    except ValueError as exc:
        raise PreferenceError(setting.key, str(exc)) from exc
    old = get_preference(session, setting)
    if new == old:
        return old
    row = session.get(Preference, setting.key) or Preference(key=setting.key)
    row.value = setting.dump(new)
    row.updated_at = now
    row.updated_by_id = acting_staff.id
    session.add(row)
    audit.record(
        session,
        staff_id=acting_staff.id,
        action=ACTION,
        subject=SUBJECT.format(key=setting.key),
        now=now,
        details={"from": setting.dump(old), "to": setting.dump(new)},
    )
    return new
