"""Absences without notice across a period, for every citizen the reader may see.

The caseworker's starting point for hearings: who was absent without notice in the last month,
which of those absences can go into a hearing case, and which cannot yet (an employer's report
waiting for a check, or an absence already in an open case). Reach is ``bot.access``'s citizen
rule; the list is a view of personal data, so reading it writes an audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.access import Viewer, citizen_filter
from bot.attendance.attendance import check_day, local_day_bounds
from bot.attendance.models import Attendance, Outcome
from bot.audit import service as audit
from bot.contacts.models import Citizen
from bot.contacts.service import ContactInputError
from bot.hearings import hearings
from bot.hearings.models import HearingAbsence, HearingCase
from bot.reminders.models import Appointment

LIMIT = 1000  # a municipality's month; a longer list is a sign to narrow the period
LONGEST_PERIOD = timedelta(days=366)


@dataclass(frozen=True)
class Absence:
    appointment: Appointment
    attendance: Attendance
    open_case: HearingCase | None  # an open case holds it: it cannot go into another
    earlier_case: str | None  # the reference of a closed case it was in

    @property
    def can_open(self) -> bool:
        return self.open_case is None and not self.attendance.pending_check


@dataclass(frozen=True)
class CitizenAbsences:
    citizen_id: int
    name: str
    absences: list[Absence]

    @property
    def openable_ids(self) -> list[int]:
        return [a.appointment.id for a in self.absences if a.can_open and a.appointment.id is not None]


@dataclass(frozen=True)
class Report:
    period_from: date
    period_to: date
    citizens: list[CitizenAbsences]
    truncated: bool

    @property
    def count(self) -> int:
        return sum(len(c.absences) for c in self.citizens)


def default_period(now: datetime, tz: str) -> tuple[date, date]:
    """The last month up to and including today, as the municipality's calendar has it."""
    today = now.astimezone(ZoneInfo(tz)).date()
    month_ago = today.replace(day=1) - timedelta(days=1)  # the last day of the previous month
    return month_ago.replace(day=min(today.day, month_ago.day)), today


def check_period(period_from: date, period_to: date) -> None:
    check_day(period_from, "from")
    check_day(period_to, "to")
    if period_to < period_from:
        raise ContactInputError("to", "the last day is before the first")
    if period_to - period_from > LONGEST_PERIOD:
        raise ContactInputError("to", "a period of at most a year")


def without_notice(
    session: Session,
    *,
    acting_staff: Viewer,
    period_from: date,
    period_to: date,
    tz: str,
    now: datetime,
    address: str | None = None,
) -> Report:
    """Absences without notice from ``period_from`` to ``period_to`` (local days, inclusive),
    by citizen (name order), oldest first; audited as a view of each citizen listed."""
    check_period(period_from, period_to)
    start, _ = local_day_bounds(period_from, tz)
    _, end = local_day_bounds(period_to, tz)
    rows = session.exec(
        select(Appointment, Attendance, Citizen.name)
        .join(Attendance, col(Attendance.appointment_id) == col(Appointment.id))
        .join(Citizen, col(Citizen.id) == col(Appointment.citizen_id))
        .where(Attendance.outcome == Outcome.absent_without_notice, citizen_filter(acting_staff))
        .where(col(Appointment.starts_at) >= start, col(Appointment.starts_at) < end)
        .order_by(col(Citizen.name), col(Citizen.id), col(Appointment.starts_at), col(Appointment.id))
        .limit(LIMIT + 1)
    ).all()
    truncated = len(rows) > LIMIT
    rows = rows[:LIMIT]
    ids = [a.id for a, _, _ in rows if a.id is not None]
    open_cases = hearings.cases_holding(session, appointment_ids=ids)
    earlier = _cases_of(session, ids)
    grouped: dict[int, CitizenAbsences] = {}
    for appointment, record, name in rows:
        group = grouped.setdefault(appointment.citizen_id, CitizenAbsences(appointment.citizen_id, name, []))
        key = appointment.id or 0
        group.absences.append(Absence(appointment, record, open_cases.get(key), earlier.get(key)))
    report = Report(period_from, period_to, list(grouped.values()), truncated)
    audit.record(
        session,
        staff_id=acting_staff.staff_id,
        action="view",
        subject="absences:without_notice",
        details={
            "from": period_from.isoformat(),
            "to": period_to.isoformat(),
            "citizen_ids": sorted(grouped),
        },
        address=address,
        now=now,
    )
    return report


def _cases_of(session: Session, appointment_ids: list[int]) -> dict[int, str]:
    """The latest case reference each appointment was in, whatever its status."""
    found = session.exec(
        select(HearingAbsence.appointment_id, HearingCase.reference)
        .join(HearingCase, col(HearingCase.id) == col(HearingAbsence.case_id))
        .where(col(HearingAbsence.appointment_id).in_(appointment_ids))
        .order_by(col(HearingCase.opened_at))
    ).all()
    return dict(found)
