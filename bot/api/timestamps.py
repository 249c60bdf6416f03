"""Timestamps in the API: ISO 8601, always with an offset on the way out.

A datetime with an offset is taken as it is. One without an offset is read as local time in
``BOT_TIMEZONE`` (staff and case systems write local times), so nobody has to guess whether
"09:00" meant Copenhagen or UTC. Responses always carry an explicit UTC offset.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, PlainSerializer, WithJsonSchema
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.clock import ensure_aware

DEFAULT_ZONE = "Europe/Copenhagen"

# The app sets this per request from its settings (see LocalZoneMiddleware), so two apps with
# different settings in one process (tests) each read naive times in their own zone.
_local_zone: ContextVar[str] = ContextVar("api_local_zone", default=DEFAULT_ZONE)


def local_zone() -> str:
    return _local_zone.get()


@contextmanager
def use_local_zone(name: str) -> Iterator[None]:
    token = _local_zone.set(name)
    try:
        yield
    finally:
        _local_zone.reset(token)


# Far outside the programme's lifetime, and far enough from datetime's limits that adding a few
# years of reminders or deadlines can never overflow.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200


def to_utc(value: datetime) -> datetime:
    """An aware UTC datetime; a naive one is local time in the current zone."""
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"the year must be between {EARLIEST_YEAR} and {LATEST_YEAR}, not {value.year}")
    return ensure_aware(value, local_zone())


def to_iso(value: datetime) -> str:
    """ISO 8601 with an explicit offset; stored values are UTC, naive ones are taken as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


ApiDatetime = Annotated[
    datetime,
    AfterValidator(to_utc),
    PlainSerializer(to_iso, return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "description": "ISO 8601. Without an offset the time is read as BOT_TIMEZONE local time; "
            "responses always carry a UTC offset.",
            "examples": ["2026-11-24T09:00:00+01:00", "2026-11-24T09:00:00"],
        }
    ),
]


class LocalZoneMiddleware:
    """Makes ``BOT_TIMEZONE`` the zone naive request timestamps are read in."""

    def __init__(self, app: ASGIApp, zone: str) -> None:
        self.app = app
        self.zone = zone

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = _local_zone.set(self.zone)
        try:
            await self.app(scope, receive, send)
        finally:
            _local_zone.reset(token)


__all__ = ["ApiDatetime", "LocalZoneMiddleware", "local_zone", "to_iso", "to_utc", "use_local_zone"]
