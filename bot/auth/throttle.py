"""Slow down password guessing: per account and per client address, with a growing lock.

The policy is pure (``lock_seconds``); the service keeps the counters in ``login_throttle``.
An address gets more free tries than an account because a whole office may share one address.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from bot.auth.models import LoginThrottle


@dataclass(frozen=True)
class Policy:
    free_failures: int
    base_seconds: int = 30
    max_seconds: int = 3600
    # Failures older than this are forgotten, so a typo last week does not count today.
    forget_after: timedelta = timedelta(hours=12)


ACCOUNT_POLICY = Policy(free_failures=3)
ADDRESS_POLICY = Policy(free_failures=20)


def lock_seconds(failures: int, policy: Policy) -> int:
    """How long to lock after ``failures`` failures in a row: doubling, with a ceiling."""
    over = failures - policy.free_failures
    if over < 0:
        return 0
    return min(policy.base_seconds * 2**over, policy.max_seconds)


def account_key(email: str) -> str:
    return "account:" + email.strip().lower()


def address_key(address: str | None) -> str:
    return "address:" + (address or "unknown")


def policy_for(key: str) -> Policy:
    return ADDRESS_POLICY if key.startswith("address:") else ACCOUNT_POLICY


def seconds_locked(session: Session, *, keys: Iterable[str], now: datetime) -> int:
    """Seconds until every one of ``keys`` may try again (0: go ahead)."""
    rows = session.exec(select(LoginThrottle).where(col(LoginThrottle.key).in_(list(keys)))).all()
    waits = [
        math.ceil((row.locked_until - now).total_seconds())
        for row in rows
        if row.locked_until is not None and row.locked_until > now
    ]
    return max(waits, default=0)


def record_failure(session: Session, *, keys: Iterable[str], now: datetime) -> None:
    for key in keys:
        row = session.exec(select(LoginThrottle).where(LoginThrottle.key == key)).first()
        if row is None:
            row = LoginThrottle(key=key)
        policy = policy_for(key)
        if row.last_failure_at is not None and now - row.last_failure_at > policy.forget_after:
            row.failures = 0
        row.failures += 1
        row.last_failure_at = now
        wait = lock_seconds(row.failures, policy)
        row.locked_until = now + timedelta(seconds=wait) if wait else None
        session.add(row)
    session.flush()


def record_success(session: Session, *, key: str) -> None:
    """A correct password clears the account's counter (not the address's: others share it)."""
    row = session.exec(select(LoginThrottle).where(LoginThrottle.key == key)).first()
    if row is not None:
        session.delete(row)
        session.flush()
