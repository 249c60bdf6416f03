"""A day of attendance as staff mark it: every citizen's appointments of one local day with the
outcome so far, and marking many at once with its own audit entry (``acting_staff``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from bot.access import Viewer
from bot.attendance import attendance
from bot.attendance.models import Attendance
from bot.audit import service as audit
from bot.contacts.models import Citizen
from bot.reminders.models import Appointment

DAY_LIMIT = 2000  # a whole municipality's day; more than that is not one person's list


@dataclass(frozen=True)
class DayLine:
    appointment: Appointment
    citizen_name: str
    attendance: Attendance | None


def day_lines(session: Session, *, day: date, tz: str) -> list[DayLine]:
    """The local day's appointments (not cancelled), in time order, with names and outcomes."""
    start, end = attendance.local_day_bounds(day, tz)
    appointments = attendance.appointments_between(session, citizen_id=None, start=start, end=end)[:DAY_LIMIT]
    ids = [a.id for a in appointments]
    outcomes = {
        a.appointment_id: a
        for a in session.exec(select(Attendance).where(col(Attendance.appointment_id).in_(ids))).all()
    }
    citizen_ids = {a.citizen_id for a in appointments}
    names = dict(session.exec(select(Citizen.id, Citizen.name).where(col(Citizen.id).in_(citizen_ids))).all())
    return [DayLine(a, names.get(a.citizen_id, ""), outcomes.get(a.id or 0)) for a in appointments]


def mark_day(
    session: Session,
    *,
    acting_staff: Viewer,
    day: date,
    appointment_ids: list[int],
    outcome: str,
    exceptions: Mapping[int, str],
    now: datetime,
    address: str | None = None,
) -> list[Attendance]:
    """``attendance.mark_many`` for staff (refused whole when an appointment has not started),
    on record as one entry naming every appointment and citizen marked."""
    marked = attendance.mark_many(session, appointment_ids=appointment_ids, outcome=outcome,
                                  exceptions=exceptions, now=now, staff_id=acting_staff.staff_id)
    audit.record(
        session,
        staff_id=acting_staff.staff_id,
        action="mark_attendance",
        subject=f"attendance:{day.isoformat()}",
        details={
            "outcome": outcome,
            "appointment_ids": [row.appointment_id for row in marked],
            "citizen_ids": sorted({row.citizen_id for row in marked}),
            "exceptions": {str(k): v for k, v in exceptions.items()},
        },
        address=address,
        now=now,
    )
    return marked
