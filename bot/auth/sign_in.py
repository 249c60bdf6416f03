"""Signing in to the panel and out again: throttled, and every attempt audited.

A failed attempt is written even though the sign-in is refused: the caller's session commits
it (the panel answers 401 with a page, not an error), so a run of guesses leaves a trace and
counts towards the lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, func, select

from bot.audit import service as audit
from bot.auth import throttle
from bot.auth.passwords import verify_password
from bot.contacts.models import Staff


@dataclass(frozen=True)
class Attempt:
    """The outcome: the staff member signed in, or why not (``locked_seconds`` > 0: wait)."""

    staff: Staff | None = None
    locked_seconds: int = 0


def sign_in(session: Session, *, email: str, password: str, address: str | None, now: datetime) -> Attempt:
    keys = [throttle.account_key(email), throttle.address_key(address)]
    wait = throttle.seconds_locked(session, keys=keys, now=now)
    if wait:
        return Attempt(locked_seconds=wait)
    staff = session.exec(select(Staff).where(func.lower(Staff.email) == email.strip().lower())).first()
    valid = verify_password(staff.password_hash if staff else None, password)
    if staff is None or not valid or not staff.active:
        throttle.record_failure(session, keys=keys, now=now)
        audit.record(
            session,
            staff_id=staff.id if staff else None,
            action="login_failed",
            subject=f"staff:{staff.id}" if staff else "staff:unknown",
            details={"email": email.strip().lower()[:200]},
            address=address,
            now=now,
        )
        return Attempt()
    throttle.record_success(session, key=throttle.account_key(email))
    audit.record(session, staff_id=staff.id, action="login", subject=f"staff:{staff.id}", address=address,
                 now=now)
    return Attempt(staff=staff)


def sign_out(session: Session, *, acting_staff: int, address: str | None, now: datetime) -> None:
    audit.record(session, staff_id=acting_staff, action="logout", subject=f"staff:{acting_staff}",
                 address=address, now=now)
