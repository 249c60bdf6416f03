"""Service actions for a sick notice or a cancellation that a member of staff takes by phone or in
person, from the panel or the API.

Each records what the citizen said through the same path as an SMS (record, receipt, outcome,
the consultant's item) and writes the staff member's audit entry, so the routes only read the
form or the body and show the result.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from bot.access import Viewer, reads_health_data
from bot.attendance import attendance
from bot.attendance.attendance import AttendanceLine
from bot.audit import service as audit
from bot.reminders.models import Appointment
from bot.sick_notices import cancellations, service
from bot.sick_notices.models import Cancellation, SickNotice
from bot.sick_notices.service import NoticeOptions


def _subject(citizen_id: int) -> str:
    return f"absences:{citizen_id}"


def take_sick_notice(
    *,
    session: Session,
    acting_staff: Viewer,
    citizen_id: int,
    starts_on: date,
    ends_on: date | None,
    received_at: datetime,
    now: datetime,
    options: NoticeOptions,
    text: str | None = None,
    source: str = "phone",
    address: str | None = None,
) -> SickNotice:
    """A notice counted from the call; the citizen gets the same receipt as by SMS."""
    notice = service.record_sick_notice(
        session, citizen_id=citizen_id, starts_on=starts_on, ends_on=ends_on, text=text, now=now,
        options=options, recorded_by_id=acting_staff.staff_id, received_at=received_at, source=source,
    )
    audit.record(session, staff_id=acting_staff.staff_id, action="create", subject=_subject(citizen_id),
                 details={"sick_notice_id": notice.id, "source": source}, address=address, now=now)
    return notice


def take_cancellation(
    *,
    session: Session,
    acting_staff: Viewer,
    citizen_id: int,
    appointment: Appointment,
    received_at: datetime,
    reason: str | None,
    now: datetime,
    tz: str,
    source: str = "phone",
    address: str | None = None,
) -> Cancellation:
    """A cancellation (afbud) for a known appointment, with its receipt."""
    cancellation = cancellations.record(
        session, citizen_id=citizen_id, appointment=appointment, now=now, tz=tz, received_at=received_at,
        reason=reason, source=source, recorded_by_id=acting_staff.staff_id,
    )
    cancellations.send_receipt(session, cancellation, now=now, tz=tz, asks_reason=False)
    audit.record(session, staff_id=acting_staff.staff_id, action="create", subject=_subject(citizen_id),
                 details={"cancellation_id": cancellation.id, "source": source}, address=address, now=now)
    return cancellation


def place_cancellation(
    *,
    session: Session,
    acting_staff: Viewer,
    cancellation: Cancellation,
    appointment: Appointment,
    now: datetime,
    tz: str,
    address: str | None = None,
) -> Cancellation:
    """Staff say which appointment a cancellation was for; the citizen gets the receipt naming it."""
    cancellations.link(session, cancellation, appointment, now=now, tz=tz)
    cancellations.send_receipt(session, cancellation, now=now, tz=tz, asks_reason=False)
    audit.record(session, staff_id=acting_staff.staff_id, action="update",
                 subject=_subject(cancellation.citizen_id),
                 details={"cancellation_id": cancellation.id, "appointment_id": appointment.id},
                 address=address, now=now)
    return cancellation


def absences_of(
    *, session: Session, acting_staff: Viewer, citizen_id: int, now: datetime, address: str | None = None
) -> tuple[list[SickNotice], list[AttendanceLine], list[Cancellation]]:
    """A citizen's sick notices, absent appointments and cancellations; the view is on record, with
    whether the reader saw the health data."""
    notices = service.notices_of(session, citizen_id=citizen_id)
    absent = attendance.absence_lines(session, citizen_id=citizen_id)
    listed = cancellations.of_citizen(session, citizen_id=citizen_id)
    audit.record(session, staff_id=acting_staff.staff_id, action="view", subject=_subject(citizen_id),
                 details={"with_text": reads_health_data(acting_staff.role)}, address=address, now=now)
    return notices, absent, listed
