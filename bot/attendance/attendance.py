"""Attendance outcomes: one per appointment, from staff, import files, employers and sick notices.

Staff and import files are the final word; a sick notice sets a provisional outcome that staff
may correct; an employer's "did not come" is recorded pending a check by staff.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.attendance.bands import (
    DEFAULT_COUNTS_AGAINST,
    AttendanceSummary,
    Counts,
    dump_counts_against,
    parse_counts_against,
    policy_counting,
    summarise,
)
from bot.attendance.models import Attendance, Outcome, OutcomeSource
from bot.contacts.models import Citizen
from bot.contacts.service import ContactInputError, NotFound
from bot.items import service as items
from bot.preferences import service as preferences
from bot.reminders.models import Appointment, AppointmentStatus, Placement
from bot.sick_notices.models import SickNoticeAppointment

# Outcomes a later, weaker source must not overwrite.
_FINAL_SOURCES = {OutcomeSource.staff, OutcomeSource.import_file}


MISSING_PREFIX = "attendance_missing:"


def missing_key(appointment_id: int) -> str:
    return f"{MISSING_PREFIX}{appointment_id}"


FIRST_YEAR, LAST_YEAR = 2000, 2100


def check_day(day: date, field: str) -> date:
    """A day this programme can have (also keeps date arithmetic away from year 1 and 9999)."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ContactInputError(field, f"{day.isoformat()} is outside {FIRST_YEAR}-{LAST_YEAR}")
    return day


def local_day_bounds(day: date, tz: str) -> tuple[datetime, datetime]:
    """The UTC instants where local ``day`` starts and the next day starts."""
    zone = ZoneInfo(tz)
    start = datetime.combine(day, time(0), zone)
    end = datetime.combine(day + timedelta(days=1), time(0), zone)
    return start.astimezone(ZoneInfo("UTC")), end.astimezone(ZoneInfo("UTC"))


def get_appointment(session: Session, appointment_id: int) -> Appointment:
    appointment = session.get(Appointment, appointment_id)
    if appointment is None:
        raise NotFound(f"There is no appointment with id {appointment_id}.")
    return appointment


def outcome_of(session: Session, appointment_id: int) -> Attendance | None:
    return session.get(Attendance, appointment_id)


def outcomes_for(session: Session, appointment_ids: Iterable[int]) -> dict[int, Attendance]:
    """The outcomes recorded for ``appointment_ids``, in one read (absent: none recorded)."""
    ids = list(appointment_ids)
    if not ids:
        return {}
    rows = session.exec(select(Attendance).where(col(Attendance.appointment_id).in_(ids))).all()
    return {row.appointment_id: row for row in rows}


class Unread:
    """``existing`` not given: the outcome is read here."""


UNREAD = Unread()


def _outcome(outcome: Outcome | str) -> Outcome:
    try:
        return Outcome(outcome)
    except ValueError as exc:
        choices = ", ".join(o.value for o in Outcome)
        raise ContactInputError("outcome", f"'{outcome}' is not an outcome; use one of {choices}") from exc


def set_outcome(
    session: Session,
    *,
    appointment: Appointment,
    outcome: Outcome | str,
    source: OutcomeSource,
    now: datetime,
    staff_id: int | None = None,
    note: str | None = None,
    pending_check: bool = False,
    sick_notice_id: int | None = None,
    message_id: int | None = None,
    import_name: str | None = None,
    existing: Attendance | Unread | None = UNREAD,
    resolve_also: Sequence[str] = (),
) -> Attendance:
    """Record (or correct) the outcome of ``appointment``; closes its "outcome missing" item.

    ``existing``: its outcome as the caller read it (None: there is none), saving a read.
    ``resolve_also``: keys of other items the same event settles, looked up with that one."""
    value = _outcome(outcome)
    assert appointment.id is not None
    row = session.get(Attendance, appointment.id) if isinstance(existing, Unread) else existing
    if row is None:
        row = Attendance(appointment_id=appointment.id, citizen_id=appointment.citizen_id,
                         outcome=value, source=source)
    row.outcome = value
    row.source = source
    row.pending_check = pending_check
    row.note = note
    row.sick_notice_id = sick_notice_id
    row.message_id = message_id
    row.import_name = import_name
    row.recorded_by_id = staff_id
    row.recorded_at = now
    session.add(row)
    # The row goes with the next flush: the items read here do not depend on it.
    with session.no_autoflush:
        items.resolve_by_keys(session, [missing_key(appointment.id), *resolve_also], now=now,
                              staff_id=staff_id)
    return row


def set_provisional(
    session: Session,
    *,
    appointment: Appointment,
    outcome: Outcome,
    source: OutcomeSource,
    now: datetime,
    existing: Attendance | Unread | None = UNREAD,
    **extra: object,
) -> Attendance | None:
    """Set an outcome unless staff or an import file already gave one (those are final).

    ``existing``: as for ``set_outcome``."""
    assert appointment.id is not None
    if isinstance(existing, Unread):
        existing = session.get(Attendance, appointment.id)
    if existing is not None and existing.source in _FINAL_SOURCES:
        return None
    return set_outcome(session, appointment=appointment, outcome=outcome, source=source, now=now,
                       existing=existing, **extra)  # type: ignore[arg-type]


def clear_provisional(session: Session, *, appointment_id: int, sick_notice_id: int) -> None:
    """Drop an outcome a sick notice set, when the notice no longer covers the appointment."""
    row = session.get(Attendance, appointment_id)
    if row is not None and row.source == OutcomeSource.sick_notice and row.sick_notice_id == sick_notice_id:
        session.delete(row)
        session.flush()


class NotStarted(ContactInputError):
    """An outcome says what happened: an appointment that has not started has none yet."""

    def __init__(self, appointments: list[Appointment]) -> None:
        listed = ", ".join(f"{a.id} (starts {a.starts_at.isoformat()})" for a in appointments)
        super().__init__(
            "appointment_ids",
            f"appointment {listed} has not started yet; record the outcome once it has started",
        )
        self.appointments = appointments


def mark_many(
    session: Session,
    *,
    appointment_ids: Iterable[int],
    outcome: Outcome | str,
    now: datetime,
    staff_id: int | None,
    exceptions: Mapping[int, Outcome | str] | None = None,
    note: str | None = None,
) -> list[Attendance]:
    """Mark a whole class or day at once: one outcome for all, with exceptions per appointment.

    Staff record what happened, so every appointment must have started by ``now``; the whole
    request is refused otherwise (``NotStarted`` names the appointments), for the API and the
    panel alike.
    """
    exceptions = dict(exceptions or {})
    ids = list(dict.fromkeys([*appointment_ids, *exceptions]))
    found = session.exec(select(Appointment).where(col(Appointment.id).in_(ids))).all()
    appointments = {a.id: a for a in found}
    unknown = [i for i in ids if i not in appointments]
    if unknown:
        raise ContactInputError("appointment_ids", f"no appointment with id {', '.join(map(str, unknown))}")
    for value in [outcome, *exceptions.values()]:
        _outcome(value)  # an outcome that does not exist is the first thing to say
    not_started = [appointments[i] for i in ids if appointments[i].starts_at > now]
    if not_started:
        raise NotStarted(not_started)
    return [
        set_outcome(session, appointment=appointments[i], outcome=exceptions.get(i, outcome),
                    source=OutcomeSource.staff, now=now, staff_id=staff_id, note=note)
        for i in ids
    ]


def appointments_between(
    session: Session,
    *,
    citizen_id: int | None,
    start: datetime,
    end: datetime,
    include_cancelled: bool = False,
) -> list[Appointment]:
    query = select(Appointment).where(col(Appointment.starts_at) >= start, col(Appointment.starts_at) < end)
    if citizen_id is not None:
        query = query.where(Appointment.citizen_id == citizen_id)
    if not include_cancelled:
        query = query.where(Appointment.status != AppointmentStatus.cancelled)
    return list(session.exec(query.order_by(col(Appointment.starts_at), col(Appointment.id))).all())


@dataclass(frozen=True)
class AttendanceLine:
    appointment: Appointment
    attendance: Attendance | None
    sick_notice_ids: list[int]


def attendance_lines(
    session: Session, *, citizen_id: int, start: datetime, end: datetime
) -> list[AttendanceLine]:
    appointments = appointments_between(session, citizen_id=citizen_id, start=start, end=end,
                                        include_cancelled=True)
    ids = [a.id for a in appointments]
    outcomes = {a.appointment_id: a for a in session.exec(
        select(Attendance).where(col(Attendance.appointment_id).in_(ids))).all()}
    links: dict[int, list[int]] = {}
    for link in session.exec(
        select(SickNoticeAppointment).where(col(SickNoticeAppointment.appointment_id).in_(ids))
    ).all():
        links.setdefault(link.appointment_id, []).append(link.sick_notice_id)
    lines = []
    for appointment in appointments:
        assert appointment.id is not None
        attendance = outcomes.get(appointment.id)
        if attendance is None and appointment.status == AppointmentStatus.cancelled:
            continue  # moved or cancelled before it happened: nothing to attend
        lines.append(AttendanceLine(appointment, attendance, links.get(appointment.id, [])))
    return lines


def absence_lines(session: Session, *, citizen_id: int) -> list[AttendanceLine]:
    """Every appointment of the citizen recorded as anything but attended, oldest first."""
    query = (
        select(Appointment, Attendance)
        .join(Attendance, col(Attendance.appointment_id) == col(Appointment.id))
        .where(Attendance.citizen_id == citizen_id, Attendance.outcome != Outcome.attended)
        .order_by(col(Appointment.starts_at))
    )
    rows = session.exec(query).all()
    links: dict[int, list[int]] = {}
    ids = [appointment.id for appointment, _ in rows]
    for link in session.exec(
        select(SickNoticeAppointment).where(col(SickNoticeAppointment.appointment_id).in_(ids))
    ).all():
        links.setdefault(link.appointment_id, []).append(link.sick_notice_id)
    return [AttendanceLine(a, record, links.get(a.id or 0, [])) for a, record in rows]


# Which outcomes count against the attendance rate: staff change it on the settings page.
COUNTS_AGAINST: preferences.Setting[frozenset[Outcome]] = preferences.Setting(
    key="attendance.counts_against",
    default=DEFAULT_COUNTS_AGAINST,
    parse=parse_counts_against,
    dump=dump_counts_against,
)


def counting_policy(session: Session) -> dict[Outcome, Counts]:
    """The policy in effect, read once per summary so every figure on a page agrees."""
    counts_against = preferences.get_preference(session, COUNTS_AGAINST)
    return policy_counting(counts_against)


def summary_for(
    lines: Iterable[AttendanceLine], *, now: datetime, policy: Mapping[Outcome, Counts] | None = None
) -> AttendanceSummary:
    """Outcomes of appointments that have started; future ones are not yet attendance.

    ``policy``: from ``counting_policy(session)``; None is the default (physical attendance).
    """
    outcomes = (
        line.attendance.outcome if line.attendance else None
        for line in lines
        if line.attendance is not None or line.appointment.starts_at <= now
    )
    return summarise(outcomes) if policy is None else summarise(outcomes, policy)


def record_employer_no_show(
    session: Session,
    *,
    employer_id: int,
    citizen_id: int,
    day: date,
    now: datetime,
    tz: str,
    message_id: int | None = None,
    contact_id: int | None = None,
) -> list[Attendance]:
    """An employer texts that the intern did not come: absent without notice, pending a check.

    Appointments at that employer on ``day`` are marked; one a sick notice already covers keeps
    its outcome (the citizen did give notice) and staff are asked to check either way.
    """
    start, end = local_day_bounds(day, tz)
    query = (
        select(Appointment)
        .join(Placement, col(Placement.id) == col(Appointment.placement_id))
        .where(Placement.employer_id == employer_id, Appointment.citizen_id == citizen_id)
        .where(col(Appointment.starts_at) >= start, col(Appointment.starts_at) < end)
        .where(Appointment.status != AppointmentStatus.cancelled)
    )
    citizen = session.get(Citizen, citizen_id)
    marked = []
    for appointment in session.exec(query).all():
        assert appointment.id is not None
        existing = session.get(Attendance, appointment.id)
        if existing is not None and existing.source in (*_FINAL_SOURCES, OutcomeSource.sick_notice):
            continue
        marked.append(set_outcome(
            session, appointment=appointment, outcome=Outcome.absent_without_notice,
            source=OutcomeSource.employer_sms, now=now, pending_check=True, message_id=message_id,
            note="reported by the employer; check before use",
        ))
    items.open(
        session,
        kind="attendance_check",
        summary=f"Employer reports that citizen {citizen_id} did not come on {day.isoformat()}",
        now=now,
        dedupe_key=f"attendance_check:{citizen_id}:{employer_id}:{day.isoformat()}",
        citizen_id=citizen_id,
        employer_id=employer_id,
        assignee_id=citizen.consultant_id if citizen else None,
        message_id=message_id,
        details={"appointment_ids": [a.appointment_id for a in marked], "contact_id": contact_id},
        summary_id="attendance_check",
        summary_params={"day_on": day.isoformat()},
        due_at=now + timedelta(days=1),
    )
    return marked
