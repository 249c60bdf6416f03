"""The audit trail: write an entry for every view of personal data and every change."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Protocol

from sqlmodel import Session, col, func, select

from bot.audit.models import AuditEntry
from bot.contacts.models import Staff


def record(
    session: Session,
    *,
    staff_id: int | None,
    action: str,
    subject: str,
    now: datetime,
    details: dict[str, Any] | None = None,
    address: str | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        at=now,
        staff_id=staff_id,
        action=action,
        subject=subject,
        details=dict(details or {}),
        address=address,
    )
    session.add(entry)
    session.flush()
    return entry


class Acting(Protocol):
    """Whoever acts: a signed-in staff member (``staff_id``), or the assistant itself (None)."""

    @property
    def staff_id(self) -> int | None: ...


def record_by(session: Session, acting_staff: Acting, action: str, subject: str, now: datetime,
              address: str | None, details: dict[str, Any]) -> AuditEntry:
    """``record`` for a service action, in the order the actions call it."""
    return record(session, staff_id=acting_staff.staff_id, action=action, subject=subject, now=now,
                  details=details, address=address)


def snapshot(row: object, fields: Iterable[str]) -> dict[str, Any]:
    """The values of ``fields`` before a change, for ``changed_fields`` after it."""
    return {key: getattr(row, key) for key in fields}


def changed_fields(before: Mapping[str, Any], row: object) -> list[str]:
    """Which of the snapshot's fields the change altered, sorted: what the audit entry names."""
    return sorted(key for key in before if before[key] != getattr(row, key))


def entries(
    session: Session,
    *,
    staff_id: int | None = None,
    subject: str | None = None,
    action: str | None = None,
    subject_kind: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[AuditEntry], int]:
    """The newest entries first, filtered; with the total count for paging.

    ``subject`` is one exact subject (``citizen:12``); ``subject_kind`` every subject of a kind
    (``citizen``); ``since`` and ``until`` bound the period, ``until`` excluded.
    """
    query = select(AuditEntry)
    counter = select(func.count()).select_from(AuditEntry)
    filters: list[Any] = []
    if staff_id is not None:
        filters.append(AuditEntry.staff_id == staff_id)
    if subject:
        filters.append(AuditEntry.subject == subject)
    if subject_kind:
        filters.append(col(AuditEntry.subject).startswith(f"{subject_kind}:", autoescape=True))
    if action:
        filters.append(AuditEntry.action == action)
    if since is not None:
        filters.append(col(AuditEntry.at) >= since)
    if until is not None:
        filters.append(col(AuditEntry.at) < until)
    for condition in filters:
        query = query.where(condition)
        counter = counter.where(condition)
    query = query.order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc()).offset(offset).limit(limit)
    total = session.exec(counter).one()
    return list(session.exec(query).all()), int(total)


def actions(session: Session) -> list[str]:
    """Every kind of action the log holds, for the filter."""
    return sorted(session.exec(select(AuditEntry.action).distinct()).all())


def staff_names(session: Session, ids: set[int] | None = None) -> dict[int, str]:
    """Names of staff (those in ``ids``, or everyone), for showing and filtering who did what."""
    query = select(Staff.id, Staff.name)
    if ids is not None:
        if not ids:
            return {}
        query = query.where(col(Staff.id).in_(sorted(ids)))
    return {int(i): name for i, name in session.exec(query.order_by(col(Staff.name))).all() if i is not None}


def subject_names(session: Session, subjects: set[str], *, citizens: bool) -> dict[str, str]:
    """What the log's subjects are called: a ticket's reference, a company's, a colleague's and
    (for readers who may see citizens) a citizen's name; subjects not named here are left out."""
    from bot.contacts.models import Citizen, Employer
    from bot.escalations.models import Ticket

    ids: dict[str, set[int]] = {}
    for subject in subjects:
        kind, _, rest = subject.partition(":")
        if rest.isdigit():
            ids.setdefault(kind, set()).add(int(rest))
    names: dict[str, str] = {}

    def fill(kinds: tuple[str, ...], column: Any, label: Any) -> None:
        wanted = set().union(*(ids.get(kind, set()) for kind in kinds))
        if not wanted:
            return
        for key, text in session.exec(select(column, label).where(column.in_(sorted(wanted)))).all():
            for kind in kinds:
                if key in ids.get(kind, set()):
                    names[f"{kind}:{key}"] = str(text)

    fill(("ticket",), col(Ticket.id), col(Ticket.reference))
    fill(("employer",), col(Employer.id), col(Employer.name))
    fill(("staff",), col(Staff.id), col(Staff.name))
    if citizens:
        fill(("citizen", "absences"), col(Citizen.id), col(Citizen.name))
    return names
