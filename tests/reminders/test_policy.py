"""The reminder policy: when each reminder goes out, table-driven, DST and quiet hours included."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.reminders.policy import (
    REASON_PASSED,
    REASON_TOO_LATE,
    Facts,
    Policy,
    danish_holidays,
    expand_weekly,
    out_of_quiet_hours,
    plan,
)

CPH = ZoneInfo("Europe/Copenhagen")
POLICY = Policy()


def local(y, mo, d, h, mi=0):
    return datetime(y, mo, d, h, mi, tzinfo=CPH)


def due(planned):
    return [(p.rule, p.due_at.astimezone(CPH).strftime("%Y-%m-%d %H:%M %Z"), p.skipped_reason) for p in planned]


LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "starts", "extra", "expected"),
    [
        # A Thursday meeting at 10:00: the day before at 10:00, and 08:00 on the day.
        ("meeting", local(2026, 11, 26, 10), {}, [
            ("before_24h", "2026-11-25 10:00 CET", None),
            ("before_2h", "2026-11-26 08:00 CET", None),
        ]),
        # 09:00 meeting: 2 h before is 07:00, in quiet hours -> the evening before at 20:50.
        ("meeting", local(2026, 11, 26, 9), {}, [
            ("before_24h", "2026-11-25 09:00 CET", None),
            ("before_2h", "2026-11-25 20:50 CET", None),
        ]),
        # DST starts Sunday 29 March 2026: 24 h before a Monday 10:00 (CEST) is Sunday 10:00 CEST.
        ("meeting", local(2026, 3, 30, 10), {}, [
            ("before_24h", "2026-03-29 10:00 CEST", None),
            ("before_2h", "2026-03-30 08:00 CEST", None),
        ]),
        # A meeting on the DST Sunday itself: the day before is still winter time.
        ("job_interview", local(2026, 3, 29, 10), {}, [
            ("before_24h", "2026-03-28 10:00 CET", None),
            ("before_2h", "2026-03-29 08:00 CEST", None),
        ]),
        # DST ends Sunday 25 October 2026.
        ("meeting", local(2026, 10, 25, 10), {}, [
            ("before_24h", "2026-10-24 10:00 CEST", None),
            ("before_2h", "2026-10-25 08:00 CET", None),
        ]),
        ("meeting", local(2026, 10, 26, 9, 30), {}, [
            ("before_24h", "2026-10-25 09:30 CET", None),
            ("before_2h", "2026-10-25 20:50 CET", None),
        ]),
        # Classes: the evening before the first class of the week; the others get nothing.
        ("class", local(2026, 10, 26, 9), {"first_of_week": True}, [
            ("class_week", "2026-10-25 18:00 CET", None),
        ]),
        ("class", local(2026, 3, 30, 9), {"first_of_week": True}, [
            ("class_week", "2026-03-29 18:00 CEST", None),
        ]),
        ("class", local(2026, 10, 27, 9), {"first_of_week": False}, []),
        # Internship day one at 09:30: the evening before, and 08:00 that morning.
        ("internship_day", local(2026, 11, 30, 9, 30), {"first_day": True}, [
            ("internship_eve", "2026-11-29 18:00 CET", None),
            ("internship_morning", "2026-11-30 08:00 CET", None),
        ]),
        # Day one at 08:00: the morning one would fall in quiet hours; it merges into the evening one.
        ("internship_day", local(2026, 11, 30, 8), {"first_day": True}, [
            ("internship_eve", "2026-11-29 18:00 CET", None),
            ("internship_morning", "2026-11-29 20:50 CET",
             "merged into the reminder due 2026-11-29T18:00:00+01:00"),
        ]),
        ("internship_day", local(2026, 12, 1, 8), {"first_day": False}, []),
        # Follow-up at the company: the citizen and the employer contact, 24 h before.
        ("follow_up", local(2026, 11, 26, 13), {"has_employer_contact": True}, [
            ("follow_up_citizen", "2026-11-25 13:00 CET", None),
            ("follow_up_employer", "2026-11-25 13:00 CET", None),
        ]),
        ("follow_up", local(2026, 11, 26, 13), {"has_employer_contact": False}, [
            ("follow_up_citizen", "2026-11-25 13:00 CET", None),
            ("follow_up_employer", "2026-11-25 13:00 CET", "no employer contact on the placement"),
        ]),
    ],
)
def test_reminder_times(kind, starts, extra, expected):
    assert due(plan(Facts(kind=kind, starts_at=starts, **extra), POLICY, LONG_AGO)) == expected


def test_created_too_late_gets_one_at_once():
    now = local(2026, 11, 26, 9)
    planned = plan(Facts(kind="meeting", starts_at=local(2026, 11, 26, 10, 30)), POLICY, now)
    assert due(planned) == [
        ("before_24h", "2026-11-25 10:30 CET", REASON_PASSED),
        ("before_2h", "2026-11-26 08:30 CET", REASON_PASSED),
        ("at_once", "2026-11-26 09:00 CET", None),
    ]
    at_once = next(p for p in planned if p.rule == "at_once")
    assert at_once.template == "reminder.meeting" and at_once.asks_confirmation


def test_created_within_the_hour_gets_none_and_says_why():
    now = local(2026, 11, 26, 9, 15)
    planned = plan(Facts(kind="meeting", starts_at=local(2026, 11, 26, 10)), POLICY, now)
    assert [p.skipped_reason for p in planned if p.rule == "at_once"] == [REASON_TOO_LATE]
    assert all(p.skipped_reason for p in planned)


def test_some_reminders_left_keeps_them():
    now = local(2026, 11, 26, 7)  # 24 h reminder passed, 2 h one still ahead
    planned = plan(Facts(kind="meeting", starts_at=local(2026, 11, 26, 11)), POLICY, now)
    assert due(planned) == [
        ("before_24h", "2026-11-25 11:00 CET", REASON_PASSED),
        ("before_2h", "2026-11-26 09:00 CET", None),
    ]


def test_at_once_at_night_waits_for_the_morning():
    now = local(2026, 11, 25, 23)
    planned = plan(Facts(kind="meeting", starts_at=local(2026, 11, 26, 9, 30)), POLICY, now)
    at_once = [p for p in planned if p.rule == "at_once"]
    assert due(at_once) == [("at_once", "2026-11-26 08:00 CET", None)]


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (local(2026, 11, 26, 20, 59), "2026-11-26 20:59 CET"),
        (local(2026, 11, 26, 20, 49), "2026-11-26 20:49 CET"),
        (local(2026, 11, 26, 23, 30), "2026-11-26 20:50 CET"),
        (local(2026, 11, 27, 3), "2026-11-26 20:50 CET"),
        (local(2026, 11, 27, 8), "2026-11-27 08:00 CET"),
        # The night the clocks go forward and back.
        (local(2026, 3, 29, 3, 30), "2026-03-28 20:50 CET"),
        (local(2026, 10, 25, 7, 59), "2026-10-24 20:50 CEST"),
    ],
)
def test_quiet_hours_push_back_to_the_window_before(when, expected):
    assert out_of_quiet_hours(when, POLICY).astimezone(CPH).strftime("%Y-%m-%d %H:%M %Z") == expected


def test_configurable_quiet_hours():
    policy = Policy(quiet_start=time(22, 0), quiet_end=time(7, 0), quiet_margin=POLICY.quiet_margin * 0)
    assert out_of_quiet_hours(local(2026, 11, 27, 6), policy) == local(2026, 11, 26, 22)


def test_weekly_series_skips_danish_holidays_and_keeps_local_time_across_dst():
    holidays = danish_holidays(date(2026, 3, 23), date(2026, 4, 10))
    occurrences, skipped = expand_weekly(
        weekdays=[0, 3], start_time=time(9), end_time=time(12), first_date=date(2026, 3, 23),
        until_date=date(2026, 4, 10), zone="Europe/Copenhagen", holidays=holidays,
    )
    assert skipped == [date(2026, 4, 2), date(2026, 4, 6)]  # Maundy Thursday, Easter Monday
    starts = [o.starts_at.astimezone(CPH).strftime("%a %d %H:%M") for o in occurrences]
    assert starts == ["Mon 23 09:00", "Thu 26 09:00", "Mon 30 09:00", "Thu 09 09:00"]
    assert [o.starts_at.astimezone(UTC).hour for o in occurrences] == [8, 8, 7, 7]
