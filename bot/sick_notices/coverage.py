"""What a sick notice covers: never an appointment that had ended before the notice arrived.

One in progress when it arrived is covered (with late notice); a notice that arrives after the
day's last appointment, or in the evening of a day with nothing to cover, is about the next day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import String, and_, cast, literal
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from bot.attendance import attendance
from bot.attendance.models import Attendance
from bot.items.models import OpenItem
from bot.reminders.models import Appointment, AppointmentKind, AppointmentStatus
from bot.sick_notices.models import SickNotice

# From this local time a notice on a day with nothing (left) to cover is about the next day.
EVENING = time(17, 0)
# An appointment without an end time is taken to last this long when deciding whether a notice
# arrived before it ended: a class is a morning, an internship day a working day.
DEFAULT_LENGTH = timedelta(hours=1)
LENGTH_BY_KIND = {
    AppointmentKind.class_: timedelta(hours=3),
    AppointmentKind.internship_day: timedelta(hours=7),
}


def appointment_end(appointment: Appointment) -> datetime:
    return appointment.ends_at or appointment.starts_at + LENGTH_BY_KIND.get(appointment.kind, DEFAULT_LENGTH)


def covered_appointments(session: Session, notice: SickNotice, *, until: date, tz: str) -> list[Appointment]:
    """What the notice covers from ``starts_on`` to ``until``: never what had ended before it arrived.

    One that was in progress when the notice arrived is covered (with late notice, see ``_link``).
    """
    start, _ = attendance.local_day_bounds(notice.starts_on, tz)
    _, end = attendance.local_day_bounds(until, tz)
    found = attendance.appointments_between(session, citizen_id=notice.citizen_id, start=start, end=end)
    return [a for a in found if appointment_end(a) > notice.received_at]


# Made once: a new alias per call would make every query new to SQLAlchemy's compiled cache.
_MISSING = aliased(OpenItem, name="missing_item")
_PERSON = aliased(OpenItem, name="person_item")


@dataclass
class Coverage:
    """What a new notice covers, read with what linking it will ask about."""

    appointments: list[Appointment]
    outcomes: dict[int, Attendance | None]  # by appointment (None: no outcome yet)
    missing_items: dict[str, OpenItem | None]  # "outcome missing" keys and their items
    open_item: OpenItem | None  # the citizen's open sick-notice item (with appointments only)


def covered_with_outcomes(session: Session, notice: SickNotice, *, until: date, tz: str) -> Coverage:
    """``covered_appointments``, each with its outcome so far and its "outcome missing" item, and
    the citizen's open sick-notice item, in one read."""
    start, _ = attendance.local_day_bounds(notice.starts_on, tz)
    _, end = attendance.local_day_bounds(until, tz)
    missing, person = _MISSING, _PERSON
    query = (
        select(Appointment, Attendance, missing, person)
        .outerjoin(Attendance, col(Attendance.appointment_id) == col(Appointment.id))
        .outerjoin(missing, col(missing.dedupe_key)
                   == literal(attendance.MISSING_PREFIX) + cast(col(Appointment.id), String))
        .outerjoin(person, and_(col(person.kind) == "sick_notice", col(person.resolved_at).is_(None),
                                col(person.citizen_id) == col(Appointment.citizen_id)))
        .where(col(Appointment.starts_at) >= start, col(Appointment.starts_at) < end)
        .where(Appointment.citizen_id == notice.citizen_id, Appointment.status != AppointmentStatus.cancelled)
        .order_by(col(Appointment.starts_at), col(Appointment.id))
    )
    found: dict[int, tuple[Appointment, Attendance | None, OpenItem | None]] = {}
    persons: list[OpenItem] = []
    for appointment, outcome, missing_item, person_item in session.exec(query).all():
        if appointment.id is not None and appointment_end(appointment) > notice.received_at:
            found.setdefault(appointment.id, (appointment, outcome, missing_item))
            if person_item is not None:
                persons.append(person_item)
    return Coverage(
        appointments=[appointment for appointment, _, _ in found.values()],
        outcomes={appointment_id: outcome for appointment_id, (_, outcome, _) in found.items()},
        missing_items={attendance.missing_key(appointment_id): item
                       for appointment_id, (_, _, item) in found.items()},
        open_item=min(persons, key=lambda item: item.id or 0) if persons else None,
    )


def first_day(session: Session, *, citizen_id: int, starts_on: date, ends_on: date | None,
              received_at: datetime, tz: str) -> date:
    """The day a notice starts covering: one that arrives after that day's last appointment has
    ended, or in the evening of a day without any, is about the next day's ("syg" at 18:00 after
    class means tomorrow).

    "Today only" stays today: the citizen said so, even if nothing is left to cover.
    """
    if starts_on != received_at.astimezone(ZoneInfo(tz)).date() or ends_on == starts_on:
        return starts_on
    start, end = attendance.local_day_bounds(starts_on, tz)
    today = attendance.appointments_between(session, citizen_id=citizen_id, start=start, end=end)
    if any(appointment_end(a) > received_at for a in today):
        return starts_on
    evening = received_at.astimezone(ZoneInfo(tz)).time() >= EVENING
    return starts_on + timedelta(days=1) if today or evening else starts_on
