"""A batch formats each day, time and kind once; what it writes is what one message alone gets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.reminders import texts
from bot.reminders.models import Appointment

ZONE = "Europe/Copenhagen"


def test_a_batch_writes_the_same_days_and_times_as_each_message_alone_across_the_clock_change() -> None:
    formats = texts.Formats(ZONE)
    # The night Denmark goes back an hour (25 October 2026), and ordinary hours either side.
    start = datetime(2026, 10, 24, 22, 0, tzinfo=UTC)
    for language in ("da", "ar", "en", "ti"):
        for step in range(0, 30 * 4):
            moment = start + timedelta(minutes=15 * step)
            assert formats.day(moment, language) == texts.day(moment, language, ZONE)
            assert formats.time_of(moment, language) == texts.time_of(moment, language, ZONE)


def test_a_title_given_by_staff_wins_over_the_kind_in_a_batch_too() -> None:
    formats = texts.Formats(ZONE)
    meeting = Appointment(id=1, citizen_id=1, kind="meeting", starts_at=datetime(2026, 11, 26, 9, tzinfo=UTC))
    titled = Appointment(id=2, citizen_id=1, kind="meeting", title="Samtale om praktik",
                         starts_at=datetime(2026, 11, 26, 9, tzinfo=UTC))

    assert formats.what(meeting, "da") == texts.what(meeting, "da")
    assert formats.what(titled, "da") == "Samtale om praktik"
    assert formats.what(meeting, "da") == texts.what(meeting, "da")  # the kind, remembered
