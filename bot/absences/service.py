"""Sick notices: record, receipt, link to appointments, tell who needs to know, end.

Nothing here refuses a notice: one that arrives after the day's first activity started is
recorded with ``late`` set. The receipt and every notice to a third party is an outbound
Message kept with the notice, so its delivery status is evidence later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.absences import attendance, references
from bot.absences.models import (
    Outcome,
    OutcomeSource,
    SickNotice,
    SickNoticeAppointment,
)
from bot.absences.notify import notify_back, notify_third_parties, send_receipt
from bot.contacts.models import Citizen
from bot.contacts.service import ContactInputError, NotFound
from bot.items import service as items
from bot.reminders.models import Appointment

DOCUMENTATION_AFTER_DAYS = 3


def local_date(moment: datetime, tz: str) -> date:
    return moment.astimezone(ZoneInfo(tz)).date()


@dataclass(frozen=True)
class NoticeOptions:
    tz: str = "Europe/Copenhagen"
    documentation_after_days: int = DOCUMENTATION_AFTER_DAYS


def get_citizen(session: Session, citizen_id: int) -> Citizen:
    citizen = session.get(Citizen, citizen_id)
    if citizen is None:
        raise NotFound(f"There is no citizen with id {citizen_id}.")
    return citizen


def covered_appointments(session: Session, notice: SickNotice, *, until: date, tz: str) -> list[Appointment]:
    start, _ = attendance.local_day_bounds(notice.starts_on, tz)
    _, end = attendance.local_day_bounds(until, tz)
    return attendance.appointments_between(session, citizen_id=notice.citizen_id, start=start, end=end)


def linked_appointments(session: Session, notice_id: int) -> list[Appointment]:
    query = (
        select(Appointment)
        .join(SickNoticeAppointment, col(SickNoticeAppointment.appointment_id) == col(Appointment.id))
        .where(SickNoticeAppointment.sick_notice_id == notice_id)
        .order_by(col(Appointment.starts_at))
    )
    return list(session.exec(query).all())


def _link(
    session: Session, notice: SickNotice, appointments: list[Appointment], now: datetime
) -> list[Appointment]:
    """Link ``appointments`` not yet linked; their outcome becomes absent with (late) notice."""
    assert notice.id is not None
    added = []
    for appointment in appointments:
        assert appointment.id is not None
        if session.get(SickNoticeAppointment, (notice.id, appointment.id)) is not None:
            continue
        late = appointment.starts_at <= notice.received_at
        session.add(SickNoticeAppointment(sick_notice_id=notice.id, appointment_id=appointment.id, late=late))
        attendance.set_provisional(
            session,
            appointment=appointment,
            outcome=Outcome.absent_with_late_notice if late else Outcome.absent_with_notice,
            source=OutcomeSource.sick_notice,
            now=now,
            sick_notice_id=notice.id,
        )
        added.append(appointment)
    session.flush()
    return added


def record_sick_notice(
    session: Session,
    *,
    citizen_id: int,
    starts_on: date,
    ends_on: date | None,
    text: str | None,
    now: datetime,
    options: NoticeOptions = NoticeOptions(),
    inbound_message_id: int | None = None,
    appointment_id: int | None = None,
    recorded_by_id: int | None = None,
) -> SickNotice:
    """Record a notice, link what it covers, send the receipt and tell the right people."""
    citizen = get_citizen(session, citizen_id)
    attendance.check_day(starts_on, "starts_on")
    if ends_on is not None:
        attendance.check_day(ends_on, "ends_on")
    if ends_on is not None and ends_on < starts_on:
        raise ContactInputError("ends_on", "the last sick day is before the first")
    local_now = now.astimezone(ZoneInfo(options.tz))
    notice = SickNotice(
        reference=references.next_reference(session, prefix="S", year=local_now.year),
        citizen_id=citizen_id,
        received_at=now,
        starts_on=starts_on,
        ends_on=ends_on,
        text=text,
        source="staff" if recorded_by_id is not None else "sms",
        recorded_by_id=recorded_by_id,
        inbound_message_id=inbound_message_id,
    )
    session.add(notice)
    session.flush()
    covered = covered_appointments(session, notice, until=ends_on or starts_on, tz=options.tz)
    if appointment_id is not None and all(a.id != appointment_id for a in covered):
        chosen = attendance.get_appointment(session, appointment_id)
        if chosen.citizen_id == citizen_id:
            covered.append(chosen)
    _link(session, notice, covered, now)
    notice.late = any(a.starts_at <= now for a in covered)
    session.add(notice)
    send_receipt(session, notice=notice, citizen=citizen, appointments=covered, now=now, tz=options.tz)
    notify_third_parties(
        session, notice=notice, citizen=citizen, appointments=covered, now=now, tz=options.tz
    )
    items.open(
        session,
        kind="sick_notice",
        summary=f"Sick notice {notice.reference} from {citizen.name}; {len(covered)} appointment(s) covered",
        now=now,
        dedupe_key=f"sick_notice:{notice.id}",
        citizen_id=citizen_id,
        assignee_id=citizen.consultant_id,
        message_id=inbound_message_id,
        details={"sick_notice_id": notice.id, "reference": notice.reference, "late": notice.late},
    )
    ask_for_documentation_if_due(session, citizen=citizen, now=now, options=options)
    session.flush()
    return notice


def open_notice(session: Session, *, citizen_id: int, today: date) -> SickNotice | None:
    """The citizen's newest notice that has not ended (open-ended, or ending today or later)."""
    query = (
        select(SickNotice)
        .where(SickNotice.citizen_id == citizen_id, col(SickNotice.ended_at).is_(None))
        .where(col(SickNotice.starts_on) <= today)
        .order_by(col(SickNotice.received_at).desc(), col(SickNotice.id).desc())
    )
    for notice in session.exec(query).all():
        if notice.ends_on is None or notice.ends_on >= today:
            return notice
    return None


def end_sick_notice(
    session: Session, *, citizen_id: int, now: datetime, options: NoticeOptions = NoticeOptions()
) -> SickNotice | None:
    """"I'm better": the open notice ends; appointments from now on are no longer covered."""
    today = local_date(now, options.tz)
    notice = open_notice(session, citizen_id=citizen_id, today=today)
    if notice is None or notice.id is None:
        return None
    linked = linked_appointments(session, notice.id)
    started_today = any(local_date(a.starts_at, options.tz) == today and a.starts_at <= now for a in linked)
    last_day = today if started_today else today - timedelta(days=1)
    notice.ends_on = max(last_day, notice.starts_on)
    notice.ended_at = now
    session.add(notice)
    for appointment in linked:
        if appointment.starts_at > now and appointment.id is not None:
            link = session.get(SickNoticeAppointment, (notice.id, appointment.id))
            if link is not None:
                session.delete(link)
            attendance.clear_provisional(session, appointment_id=appointment.id, sick_notice_id=notice.id)
    session.flush()
    notify_back(session, notice=notice, citizen=get_citizen(session, citizen_id), now=now)
    return notice


def extend_open_notices(session: Session, *, now: datetime, options: NoticeOptions = NoticeOptions()) -> int:
    """Link today's appointments to notices still open (the citizen has not said "better" yet)."""
    today = local_date(now, options.tz)
    query = select(SickNotice).where(col(SickNotice.ended_at).is_(None), col(SickNotice.starts_on) <= today)
    linked = 0
    for notice in session.exec(query).all():
        if notice.ends_on is not None and notice.ends_on < today:
            continue
        until = today if notice.ends_on is None else min(notice.ends_on, today)
        covered = covered_appointments(session, notice, until=until, tz=options.tz)
        linked += len(_link(session, notice, covered, now))
        ask_for_documentation_if_due(session, citizen=get_citizen(session, notice.citizen_id), now=now,
                                     options=options)
    return linked


def sick_days_in_a_row(session: Session, *, citizen_id: int, today: date, tz: str) -> tuple[int, date | None]:
    """How many calendar days up to ``today`` the citizen has been sick without a break."""
    days: set[date] = set()
    for notice in session.exec(select(SickNotice).where(SickNotice.citizen_id == citizen_id)).all():
        last = notice.ends_on or today
        if notice.ended_at is not None:
            last = min(last, notice.ends_on or local_date(notice.ended_at, tz))
        day = notice.starts_on
        while day <= min(last, today):
            days.add(day)
            day += timedelta(days=1)
    count, day, first = 0, today, None
    while day in days:
        count, first = count + 1, day
        day -= timedelta(days=1)
    return count, first


def ask_for_documentation_if_due(
    session: Session, *, citizen: Citizen, now: datetime, options: NoticeOptions
) -> bool:
    assert citizen.id is not None
    today = local_date(now, options.tz)
    count, first = sick_days_in_a_row(session, citizen_id=citizen.id, today=today, tz=options.tz)
    if first is None or count < options.documentation_after_days:
        return False
    items.open(
        session,
        kind="ask_documentation",
        summary=f"{citizen.name} has been reported sick {count} days in a row: ask for documentation",
        now=now,
        dedupe_key=f"ask_documentation:{citizen.id}:{first.isoformat()}",
        citizen_id=citizen.id,
        assignee_id=citizen.consultant_id,
        details={"since": first.isoformat(), "days": count},
        due_at=now + timedelta(days=1),
    )
    return True


def notices_of(session: Session, *, citizen_id: int) -> list[SickNotice]:
    query = select(SickNotice).where(SickNotice.citizen_id == citizen_id)
    return list(session.exec(query.order_by(col(SickNotice.received_at).desc())).all())
