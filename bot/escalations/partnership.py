"""A company's partnership is active or paused (agreements are non-binding); every change is audited.

Paused companies stay in the system with their contacts and tickets; they are only marked
wherever placements are chosen (``Employer.paused``), until they say they are ready again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.audit import service as audit
from bot.audit.models import AuditEntry
from bot.contacts.models import Employer

SUBJECT = "employer:{id}"
ACTIONS = ("partnership_paused", "partnership_resumed")


class EmployerNotFound(LookupError):
    pass


def _employer(session: Session, employer_id: int) -> Employer:
    employer = session.get(Employer, employer_id)
    if employer is None:
        raise EmployerNotFound(f"employer {employer_id} does not exist")
    return employer


def set_paused(
    session: Session,
    *,
    employer_id: int,
    paused: bool,
    now: datetime,
    staff_id: int | None,
    reason: str | None = None,
) -> Employer:
    """Pause or resume; a no-op change (already so) is not recorded twice."""
    employer = _employer(session, employer_id)
    if employer.paused == paused:
        return employer
    employer.paused = paused
    session.add(employer)
    details: dict[str, Any] = {"reason": reason} if reason else {}
    audit.record(
        session,
        staff_id=staff_id,
        action=ACTIONS[0] if paused else ACTIONS[1],
        subject=SUBJECT.format(id=employer_id),
        now=now,
        details=details,
    )
    return employer


def pause(
    session: Session, *, employer_id: int, now: datetime, staff_id: int | None, reason: str | None = None
) -> Employer:
    return set_paused(
        session, employer_id=employer_id, paused=True, now=now, staff_id=staff_id, reason=reason
    )


def resume(
    session: Session, *, employer_id: int, now: datetime, staff_id: int | None, reason: str | None = None
) -> Employer:
    return set_paused(
        session, employer_id=employer_id, paused=False, now=now, staff_id=staff_id, reason=reason
    )


def history(session: Session, *, employer_id: int) -> list[AuditEntry]:
    """Pauses and resumptions, newest first."""
    _employer(session, employer_id)
    subject = SUBJECT.format(id=employer_id)
    found: list[AuditEntry] = []
    for action in ACTIONS:
        entries, _ = audit.entries(session, subject=subject, action=action, limit=500)
        found.extend(entries)
    return sorted(found, key=lambda e: e.id or 0, reverse=True)
