"""When a ticket must be answered (or visited): the SLA policy, pure and table-driven.

Two ways of counting time:

* wall-clock (the default): the promise "within 24 hours" means 24 real, elapsed hours, so the
  arithmetic happens in UTC and a daylight-saving change moves the local time of the deadline
  by an hour rather than shortening or stretching the promise;
* business hours: only Monday-Friday 08:00-16:00 local time counts, skipping Danish public
  holidays (the ``holidays`` package) and any extra closed days the municipality names.

Nothing here touches a database or the wall clock; every function takes its start time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

WARNING_SHARE = 0.75
DEFAULT_HOURS = 24.0
DEFAULT_ZONE = "Europe/Copenhagen"

RESPONSE = "response"
VISIT = "visit"
# Which clocks each ticket kind runs; a problem needs both an answer and a visit at the company.
CLOCKS: Mapping[str, tuple[str, ...]] = {
    "problem": (RESPONSE, VISIT),
    "recruitment": (RESPONSE,),
    "question": (RESPONSE,),
}


@dataclass(frozen=True)
class SlaPolicy:
    hours: float = DEFAULT_HOURS
    business_hours: bool = False
    timezone: str = DEFAULT_ZONE
    day_start: time = time(8, 0)
    day_end: time = time(16, 0)
    country: str = "DK"
    closed_dates: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.hours <= 0:
            raise ValueError("an SLA needs a positive number of hours")
        if self.business_hours and self.day_end <= self.day_start:
            raise ValueError("the business day must end after it starts")


WALL_CLOCK_24H = SlaPolicy()


@lru_cache(maxsize=64)
def _public_holidays(country: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, years=year))


def is_working_day(day: date, policy: SlaPolicy) -> bool:
    if day.weekday() >= 5:
        return False
    if day in policy.closed_dates:
        return False
    return day not in _public_holidays(policy.country, day.year)


def _require_aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("SLA times must be timezone-aware")
    return value.astimezone(UTC)


def _business_window(day: date, policy: SlaPolicy) -> tuple[datetime, datetime]:
    """The UTC start and end of the business day ``day`` (08:00 and 16:00 always exist locally)."""
    zone = ZoneInfo(policy.timezone)
    opens = datetime.combine(day, policy.day_start, tzinfo=zone).astimezone(UTC)
    closes = datetime.combine(day, policy.day_end, tzinfo=zone).astimezone(UTC)
    return opens, closes


def elapse(start: datetime, budget: timedelta, policy: SlaPolicy) -> datetime:
    """The moment ``budget`` of countable time has passed since ``start`` (aware UTC)."""
    start = _require_aware(start)
    if budget <= timedelta(0):
        return start
    if not policy.business_hours:
        return start + budget
    remaining = budget
    day = start.astimezone(ZoneInfo(policy.timezone)).date()
    # A budget of weeks still ends: at most a few holidays in a row, so this loop is bounded.
    for _ in range(3660):
        if is_working_day(day, policy):
            opens, closes = _business_window(day, policy)
            begin = max(opens, start)
            if begin < closes:
                available = closes - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        day += timedelta(days=1)
    raise ValueError("the SLA budget does not fit in ten years of business days")


def deadline(start: datetime, policy: SlaPolicy = WALL_CLOCK_24H) -> datetime:
    """When the whole budget has passed: the ticket is overdue after this."""
    return elapse(start, timedelta(hours=policy.hours), policy)


def warning_at(start: datetime, policy: SlaPolicy = WALL_CLOCK_24H) -> datetime:
    """When 75 % of the budget has passed: the assignee gets a reminder."""
    return elapse(start, timedelta(hours=policy.hours * WARNING_SHARE), policy)


def policies(
    *,
    timezone: str = DEFAULT_ZONE,
    business_hours_kinds: Iterable[str] = (),
    hours: float = DEFAULT_HOURS,
    closed_dates: Iterable[date] = (),
) -> dict[str, SlaPolicy]:
    """One policy per ticket kind: wall-clock by default, business hours for the kinds named."""
    business = set(business_hours_kinds)
    unknown = business - set(CLOCKS)
    if unknown:
        raise ValueError(f"unknown ticket kind(s) for business hours: {', '.join(sorted(unknown))}")
    closed = frozenset(closed_dates)
    return {
        kind: SlaPolicy(hours=hours, business_hours=kind in business, timezone=timezone, closed_dates=closed)
        for kind in CLOCKS
    }


def due_times(kind: str, start: datetime, table: Mapping[str, SlaPolicy]) -> dict[str, datetime]:
    """The deadline of each clock ``kind`` runs, e.g. ``{"response": ..., "visit": ...}``."""
    policy = table.get(kind, WALL_CLOCK_24H)
    return {clock: deadline(start, policy) for clock in CLOCKS.get(kind, (RESPONSE,))}


__all__ = [
    "CLOCKS",
    "RESPONSE",
    "VISIT",
    "WALL_CLOCK_24H",
    "WARNING_SHARE",
    "SlaPolicy",
    "deadline",
    "due_times",
    "elapse",
    "is_working_day",
    "policies",
    "warning_at",
]
