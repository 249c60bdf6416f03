"""Message parameters for an appointment, formatted in the recipient's language.

Times are formatted with Babel in the local zone when a message is queued (the moment the
recipient and their language are known); the message id itself is rendered by the outbox.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import N_, day_pattern, format_datetime, format_time, render
from bot.reminders.models import Appointment

KIND_LABELS = {
    "meeting": N_("appointment.kind.meeting"),
    "info_meeting": N_("appointment.kind.info_meeting"),
    "class": N_("appointment.kind.class"),
    "internship_day": N_("appointment.kind.internship_day"),
    "igu_school": N_("appointment.kind.igu_school"),
    "job_interview": N_("appointment.kind.job_interview"),
    "follow_up": N_("appointment.kind.follow_up"),
    "mentor": N_("appointment.kind.mentor"),
    "health": N_("appointment.kind.health"),
    "group": N_("appointment.kind.group"),
}


# A number several citizens of a household share: the reminder says whose appointment it is, by
# first name only ("For Omar: ..."), so whoever reads the phone passes it to the right person.
FOR_SHARED_PHONE = {
    "reminder.meeting": N_("reminder.meeting_for"),
    "reminder.meeting_soon": N_("reminder.meeting_soon_for"),
    "reminder.class_week": N_("reminder.class_week_for"),
    "reminder.internship_first_day": N_("reminder.internship_first_day_for"),
    "reminder.internship_morning": N_("reminder.internship_morning_for"),
    "reminder.follow_up_citizen": N_("reminder.follow_up_citizen_for"),
}


def for_shared_phone(template: str) -> str:
    """The variant of ``template`` that names the person first, where one exists."""
    return FOR_SHARED_PHONE.get(template, template)


def what(appointment: Appointment, language: str) -> str:
    """The appointment's title if staff gave one, else its kind in the recipient's language."""
    if appointment.title:
        return appointment.title
    return render(KIND_LABELS.get(str(appointment.kind), KIND_LABELS["meeting"]), language)


def day(value: datetime, language: str, zone: str) -> str:
    return format_datetime(value, language, zone, day_pattern(language))


def time_of(value: datetime, language: str, zone: str) -> str:
    return format_time(value, language, zone)


class Formats:
    """``what``, ``day`` and ``time_of`` remembered for one batch of messages in one zone.

    Babel formats each date anew (tens of microseconds); a batch of reminders repeats the same
    few days, start times, kinds and languages, so each combination is formatted once.
    """

    def __init__(self, zone: str) -> None:
        self.zone = zone
        self._tz = ZoneInfo(zone)
        self._days: dict[tuple[Any, str], str] = {}
        self._times: dict[tuple[int, int, str], str] = {}
        self._kinds: dict[tuple[str, str], str] = {}

    def what(self, appointment: Appointment, language: str) -> str:
        if appointment.title:
            return appointment.title
        key = (str(appointment.kind), language)
        if key not in self._kinds:
            self._kinds[key] = what(appointment, language)
        return self._kinds[key]

    def day(self, value: datetime, language: str) -> str:
        key = (value.astimezone(self._tz).date(), language)
        if key not in self._days:
            self._days[key] = day(value, language, self.zone)
        return self._days[key]

    def time_of(self, value: datetime, language: str) -> str:
        local = value.astimezone(self._tz)
        key = (local.hour, local.minute, language)
        if key not in self._times:
            self._times[key] = time_of(value, language, self.zone)
        return self._times[key]


def appointment_params(
    appointment: Appointment,
    language: str,
    zone: str,
    *,
    place: str | None = None,
    employer: str = "",
    contact: str = "",
    citizen: str = "",
    formats: Formats | None = None,
) -> dict[str, Any]:
    """The parameters every appointment text may use; ``formats`` shares formatting in a batch."""
    formats = formats or Formats(zone)
    return {
        "what": formats.what(appointment, language),
        "day": formats.day(appointment.starts_at, language),
        "time": formats.time_of(appointment.starts_at, language),
        "place": place or appointment.location or "",
        "address": place or appointment.location or "",
        "employer": employer,
        "contact": contact or appointment.contact_name or employer,
        "travel": appointment.travel_hint or "",
        "citizen": citizen,
        "appointment_id": appointment.id,
    }


def moved_params(appointment: Appointment, old_start: datetime, language: str, zone: str) -> dict[str, Any]:
    params = appointment_params(appointment, language, zone)
    params.update(
        old_day=day(old_start, language, zone),
        old_time=time_of(old_start, language, zone),
        new_day=params["day"],
        new_time=params["time"],
    )
    return params
