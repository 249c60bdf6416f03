"""A batch builds each day, time and kind once, raw; rendered, they read as one message alone
would, in the reader's language, across the clock change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.i18n import render
from bot.reminders import texts
from bot.reminders.models import Appointment

ZONE = "Europe/Copenhagen"


def _written(value: object, language: str) -> str:
    from bot.i18n import _in_language  # the renderer's own reading of a raw parameter

    return str(_in_language(value, language))


def test_a_batch_writes_the_same_days_and_times_as_each_message_alone_across_the_clock_change() -> None:
    formats = texts.Formats(ZONE)
    # The night Denmark goes back an hour (25 October 2026), and ordinary hours either side.
    start = datetime(2026, 10, 24, 22, 0, tzinfo=UTC)
    for language in ("da", "ar", "en", "ti"):
        for step in range(0, 30 * 4):
            moment = start + timedelta(minutes=15 * step)
            assert _written(formats.day(moment, language), language) == texts.day(moment, language, ZONE)
            assert _written(formats.time_of(moment, language), language) == texts.time_of(moment, language, ZONE)


def test_one_stored_reminder_reads_in_danish_for_staff_and_in_ukrainian_for_the_citizen() -> None:
    meeting = Appointment(id=1, citizen_id=1, kind="meeting", starts_at=datetime(2026, 11, 26, 9, tzinfo=UTC))
    params = texts.appointment_params(meeting, "uk", ZONE)
    danish = render("reminder.meeting", "da", params)
    ukrainian = render("reminder.meeting", "uk", params)
    assert "torsdag d. 26. november" in danish and "10:00" in danish
    assert not any("\u0400" <= ch <= "\u04ff" for ch in danish)  # no Cyrillic on a Danish screen
    assert "26 листопада" in ukrainian


def test_a_title_given_by_staff_wins_over_the_kind_in_a_batch_too() -> None:
    formats = texts.Formats(ZONE)
    meeting = Appointment(id=1, citizen_id=1, kind="meeting", starts_at=datetime(2026, 11, 26, 9, tzinfo=UTC))
    titled = Appointment(id=2, citizen_id=1, kind="meeting", title="Samtale om praktik",
                         starts_at=datetime(2026, 11, 26, 9, tzinfo=UTC))

    assert _written(formats.what(meeting, "da"), "da") == texts.what(meeting, "da")
    assert formats.what(titled, "da") == "Samtale om praktik"
