"""The one place that reads the wall clock.

Everything else takes ``now`` as an argument, so tests can travel in time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


def monotonic() -> float:
    """Seconds from an arbitrary point; for rate limits and back-off, never for records."""
    import time

    return time.monotonic()


def ensure_aware(value: datetime, local_zone: str) -> datetime:
    """Read a naive datetime as local time in ``local_zone``; return it in UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(local_zone))
    return value.astimezone(UTC)
