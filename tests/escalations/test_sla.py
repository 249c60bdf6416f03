"""The SLA policy: exact deadlines and 75 % warnings across weekends, holidays and DST."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.escalations import sla

CPH = ZoneInfo("Europe/Copenhagen")
BUSINESS = sla.SlaPolicy(business_hours=True)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=CPH)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("start", "expected_deadline", "expected_warning"),
    [
        # An ordinary Tuesday: 24 hours later, warning after 18.
        (local(2026, 11, 24, 9, 0), local(2026, 11, 25, 9, 0), local(2026, 11, 25, 3, 0)),
        # Friday afternoon: the weekend counts in wall-clock time.
        (local(2026, 11, 27, 15, 0), local(2026, 11, 28, 15, 0), local(2026, 11, 28, 9, 0)),
        # Spring forward (2026-03-29 02:00 -> 03:00): 24 real hours end at 11:00 local.
        (local(2026, 3, 28, 10, 0), local(2026, 3, 29, 11, 0), local(2026, 3, 29, 5, 0)),
        # Fall back (2026-10-25 03:00 -> 02:00): 24 real hours end at 09:00 local.
        (local(2026, 10, 24, 10, 0), local(2026, 10, 25, 9, 0), local(2026, 10, 25, 3, 0)),
    ],
)
def test_wall_clock_24_hours(
    start: datetime, expected_deadline: datetime, expected_warning: datetime
) -> None:
    assert sla.deadline(start) == expected_deadline
    assert sla.warning_at(start) == expected_warning
    assert sla.deadline(start) - start.astimezone(UTC) == sla.deadline(start) - start
    assert (sla.deadline(start) - start).total_seconds() == 24 * 3600


@pytest.mark.parametrize(
    ("start", "expected_deadline", "expected_warning"),
    [
        # Monday 09:00: 7 h Monday, 8 Tuesday, 8 Wednesday, 1 Thursday.
        (local(2026, 11, 23, 9, 0), local(2026, 11, 26, 9, 0), local(2026, 11, 25, 11, 0)),
        # Friday 14:00: 2 h Friday, the weekend skipped, ends Wednesday 14:00.
        (local(2026, 11, 27, 14, 0), local(2026, 12, 2, 14, 0), local(2026, 12, 1, 16, 0)),
        # Saturday: the clock starts Monday 08:00 and fits exactly in three days.
        (local(2026, 11, 28, 12, 0), local(2026, 12, 2, 16, 0), local(2026, 12, 2, 10, 0)),
        # Before opening the clock starts at 08:00; after closing, the next morning.
        (local(2026, 11, 24, 6, 0), local(2026, 11, 26, 16, 0), local(2026, 11, 26, 10, 0)),
        (local(2026, 11, 24, 17, 0), local(2026, 11, 27, 16, 0), local(2026, 11, 27, 10, 0)),
        # Exactly at closing time nothing is left of the day.
        (local(2026, 11, 24, 16, 0), local(2026, 11, 27, 16, 0), local(2026, 11, 27, 10, 0)),
        # Easter 2026: Maundy Thursday, Good Friday and Easter Monday are closed.
        (local(2026, 4, 1, 10, 0), local(2026, 4, 9, 10, 0), local(2026, 4, 8, 12, 0)),
        # Christmas: the 25th is a holiday and the 26th a Saturday.
        (local(2026, 12, 24, 10, 0), local(2026, 12, 30, 10, 0), local(2026, 12, 29, 12, 0)),
        # Ascension Day (Thursday 14 May 2026).
        (local(2026, 5, 13, 8, 0), local(2026, 5, 18, 16, 0), local(2026, 5, 18, 10, 0)),
        # Whit Monday (25 May 2026).
        (local(2026, 5, 22, 8, 0), local(2026, 5, 27, 16, 0), local(2026, 5, 27, 10, 0)),
        # Across spring forward: still 08:00-16:00 local on both sides.
        (local(2026, 3, 27, 12, 0), local(2026, 4, 1, 12, 0), local(2026, 3, 31, 14, 0)),
        # Across fall back.
        (local(2026, 10, 23, 12, 0), local(2026, 10, 28, 12, 0), local(2026, 10, 27, 14, 0)),
        # New Year: the 1st is a Friday holiday.
        (local(2026, 12, 31, 15, 0), local(2027, 1, 6, 15, 0), local(2027, 1, 6, 9, 0)),
    ],
)
def test_business_hours(start: datetime, expected_deadline: datetime, expected_warning: datetime) -> None:
    assert sla.deadline(start, BUSINESS) == expected_deadline
    assert sla.warning_at(start, BUSINESS) == expected_warning


def test_results_are_utc() -> None:
    result = sla.deadline(local(2026, 3, 27, 12, 0), BUSINESS)
    assert result.tzinfo == UTC
    assert result == datetime(2026, 4, 1, 10, 0, tzinfo=UTC)


def test_closed_dates_named_by_the_municipality_are_skipped() -> None:
    # Constitution Day (5 June) is not a public holiday, but an office may close.
    policy = sla.SlaPolicy(business_hours=True, hours=8, closed_dates=frozenset({date(2026, 6, 5)}))
    assert sla.deadline(local(2026, 6, 4, 12, 0), policy) == local(2026, 6, 8, 12, 0)
    open_policy = sla.SlaPolicy(business_hours=True, hours=8)
    assert sla.deadline(local(2026, 6, 4, 12, 0), open_policy) == local(2026, 6, 5, 12, 0)


def test_short_business_budget_rolls_to_next_morning() -> None:
    policy = sla.SlaPolicy(business_hours=True, hours=1)
    assert sla.deadline(local(2026, 11, 24, 15, 30), policy) == local(2026, 11, 25, 8, 30)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        sla.deadline(datetime(2026, 11, 24, 9, 0))


def test_policy_table_per_kind() -> None:
    table = sla.policies(business_hours_kinds=["recruitment"])
    assert table["recruitment"].business_hours
    assert not table["problem"].business_hours
    start = local(2026, 11, 27, 15, 0)
    due = sla.due_times("problem", start, table)
    assert set(due) == {"response", "visit"}
    assert sla.due_times("question", start, table) == {"response": local(2026, 11, 28, 15, 0)}
    with pytest.raises(ValueError, match="unknown ticket kind"):
        sla.policies(business_hours_kinds=["lunch"])
