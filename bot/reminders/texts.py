"""Message parameters for an appointment, kept raw until a reader's language is known.

A queued message stores its day, time and kind as raw parameters (``bot.i18n.day_param``,
``moment_param``, ``text_param``): the citizen reads them in their language, and staff reading
the same message in the panel read them in Danish, with no Ukrainian or Arabic inside.
``day``, ``time_of`` and ``what`` write them out at once, for text that is not a message.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import (
    N_,
    day_param,
    day_pattern,
    format_datetime,
    format_time,
    moment_param,
    render,
    text_param,
)
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


def what_param(appointment: Appointment) -> Any:
    """The title staff gave, or the kind as a label rendered in the reader's language."""
    if appointment.title:
        return appointment.title
    return text_param(KIND_LABELS.get(str(appointment.kind), KIND_LABELS["meeting"]))


def day_of(value: datetime, zone: str) -> dict[str, Any]:
    return day_param(value.astimezone(ZoneInfo(zone)).date())


def time_param(value: datetime, zone: str) -> dict[str, Any]:
    return moment_param(value, zone, "HH:mm")


class Formats:
    """The raw parameters of one batch of messages in one zone, each built once.

    A batch of reminders repeats the same few kinds and start times, so each is built once and
    the same parameter is shared by the batch's rows.
    """

    def __init__(self, zone: str) -> None:
        self.zone = zone
        self._tz = ZoneInfo(zone)
        self._kinds: dict[str, Any] = {}
        self._days: dict[Any, dict[str, Any]] = {}
        self._moments: dict[datetime, tuple[dict[str, Any], dict[str, Any]]] = {}

    def what(self, appointment: Appointment, language: str) -> Any:
        if appointment.title:
            return appointment.title
        kind = str(appointment.kind)
        if kind not in self._kinds:
            self._kinds[kind] = what_param(appointment)
        return self._kinds[kind]

    def day(self, value: datetime, language: str) -> dict[str, Any]:
        return self.when(value)[0]

    def time_of(self, value: datetime, language: str) -> dict[str, Any]:
        return self.when(value)[1]

    def when(self, value: datetime) -> tuple[dict[str, Any], dict[str, Any]]:
        """The day and the time of a start, looked up once for both."""
        found = self._moments.get(value)
        if found is None:
            key = value.astimezone(self._tz).date()
            if key not in self._days:
                self._days[key] = day_param(key)
            found = self._moments[value] = (self._days[key], time_param(value, self.zone))
        return found


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
    day, time = formats.when(appointment.starts_at)
    return {
        "what": formats.what(appointment, language),
        "day": day,
        "time": time,
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
        old_day=day_of(old_start, zone),
        old_time=time_param(old_start, zone),
        new_day=params["day"],
        new_time=params["time"],
    )
    return params
