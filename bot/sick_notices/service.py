"""Sick notices: record, receipt, link to appointments, tell who needs to know, end.

Nothing here refuses a notice: one that arrives after the day's first activity started is
recorded with ``late`` set. The receipt and every notice to a third party is an outbound
Message kept with the notice, so its delivery status is evidence later.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot import references
from bot.attendance import attendance
from bot.attendance.models import Attendance, Outcome, OutcomeSource
from bot.channels.outbox import QuietHours
from bot.contacts.models import Citizen
from bot.contacts.service import ContactInputError, NotFound
from bot.items import lookup as item_lookup
from bot.items import service as items
from bot.reminders.models import Appointment, Reminder, ReminderStatus
from bot.sick_notices import documentation
from bot.sick_notices.coverage import appointment_end, covered_appointments, covered_with_outcomes, first_day
from bot.sick_notices.models import SickNotice, SickNoticeAppointment
from bot.sick_notices.notify import notify_back, notify_third_parties, remember_receipt, send_receipt

DOCUMENTATION_AFTER_DAYS = 3


def local_date(moment: datetime, tz: str) -> date:
    return moment.astimezone(ZoneInfo(tz)).date()


@dataclass(frozen=True)
class NoticeOptions:
    tz: str = "Europe/Copenhagen"
    documentation_after_days: int = DOCUMENTATION_AFTER_DAYS
    # When the company and the language centre may be texted (None: any time).
    quiet_hours: QuietHours | None = None


# The session's identity map holds rows only while something refers to them: kept here, the
# citizen a message is about is read once however many steps of its handling ask for it.
_KEPT = "sick_notices.citizens"


def _keep(session: Session, citizen: Citizen) -> Citizen:
    session.info.setdefault(_KEPT, {})[citizen.id] = citizen
    return citizen


def get_citizen(session: Session, citizen_id: int) -> Citizen:
    citizen = session.get(Citizen, citizen_id)
    if citizen is None:
        raise NotFound(f"There is no citizen with id {citizen_id}.")
    return _keep(session, citizen)


def citizen_with_notices(session: Session, citizen_id: int) -> tuple[Citizen, list[SickNotice]]:
    """The citizen and every notice they ever gave, in one read."""
    rows = session.exec(
        select(Citizen, SickNotice)
        .outerjoin(SickNotice, col(SickNotice.citizen_id) == col(Citizen.id))
        .where(Citizen.id == citizen_id)
    ).all()
    if not rows:
        raise NotFound(f"There is no citizen with id {citizen_id}.")
    return _keep(session, rows[0][0]), [notice for _, notice in rows if notice is not None]


def linked_appointments(session: Session, notice_id: int) -> list[Appointment]:
    query = (
        select(Appointment)
        .join(SickNoticeAppointment, col(SickNoticeAppointment.appointment_id) == col(Appointment.id))
        .where(SickNoticeAppointment.sick_notice_id == notice_id)
        .order_by(col(Appointment.starts_at))
    )
    return list(session.exec(query).all())


def _link(
    session: Session, notice: SickNotice, appointments: list[Appointment], now: datetime, *,
    fresh: bool = False, known: dict[int, Attendance | None] | None = None,
) -> list[Appointment]:
    """Link ``appointments`` not yet linked; their outcome becomes absent with (late) notice.
    ``fresh``: the notice was just made, so nothing is linked to it yet. ``known``: outcomes
    the caller read already (None: the appointment has none).

    Their reminders are skipped when due while the notice is open (``bot.reminders.dispatch``).
    """
    assert notice.id is not None
    if not fresh:
        appointments = [a for a in appointments
                        if session.get(SickNoticeAppointment, (notice.id, a.id)) is None]
    outcomes: dict[int, Attendance | None] = dict(known or {})
    outcomes.update(attendance.outcomes_for(session, [a.id for a in appointments
                                                      if a.id is not None and a.id not in outcomes]))
    added = []
    for appointment in appointments:
        assert appointment.id is not None
        late = appointment.starts_at <= notice.received_at
        session.add(SickNoticeAppointment(sick_notice_id=notice.id, appointment_id=appointment.id, late=late))
        attendance.set_provisional(
            session,
            appointment=appointment,
            outcome=Outcome.absent_with_late_notice if late else Outcome.absent_with_notice,
            source=OutcomeSource.sick_notice,
            now=now,
            existing=outcomes.get(appointment.id),
            sick_notice_id=notice.id,
        )
        added.append(appointment)
    session.flush()
    return added


def withdraw_reminders(session: Session, appointment: Appointment, *, reason: str, now: datetime) -> None:
    assert appointment.id is not None
    for reminder in session.exec(
        select(Reminder).where(Reminder.appointment_id == appointment.id,
                               Reminder.status == ReminderStatus.pending)
    ).all():
        reminder.status = ReminderStatus.cancelled
        reminder.reason = reason
        reminder.updated_at = now
        session.add(reminder)


def _open_item(session: Session, notice: SickNotice, citizen: Citizen, covered: list[Appointment],
               now: datetime) -> None:
    """One item per notice for the consultant; a refined notice updates it."""
    # ``summary_id``: the panel words it in the reader's language; ``summary`` is the fallback.
    details = {"sick_notice_id": notice.id, "reference": notice.reference, "late": notice.late,
               "covered": len(covered), "ends_on": notice.ends_on.isoformat() if notice.ends_on else None,
               "summary_id": "sick_notice"}
    item = items.open(
        session,
        kind="sick_notice",
        summary=f"Sygemelding {notice.reference} fra {citizen.name}",
        now=now,
        dedupe_key=f"sick_notice:{notice.id}",
        citizen_id=citizen.id,
        assignee_id=citizen.consultant_id,
        message_id=notice.inbound_message_id,
        details=details,
    )
    merged = {**item.details, **details}
    if merged != item.details:  # unchanged, the item stays clean and needs no flush
        item.details = merged
        session.add(item)


def _check_dates(starts_on: date, ends_on: date | None) -> None:
    attendance.check_day(starts_on, "starts_on")
    if ends_on is not None:
        attendance.check_day(ends_on, "ends_on")
    if ends_on is not None and ends_on < starts_on:
        raise ContactInputError("ends_on", "the last sick day is before the first")


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
    received_at: datetime | None = None,
    source: str | None = None,
    asks_length: bool = False,
    reply_to_id: int | None = None,
    earlier: list[SickNotice] | None = None,
) -> SickNotice:
    """Record a notice, link what it covers, send the receipt and tell the right people.

    ``received_at`` is the evidence time: when the message was stored, or when the citizen
    phoned. ``asks_length``: the receipt also asks how long (one SMS, not two). ``earlier``:
    every notice the citizen gave before, when the caller has read them already.
    """
    citizen = get_citizen(session, citizen_id)
    _check_dates(starts_on, ends_on)
    received_at = received_at or now
    starts_on = first_day(session, citizen_id=citizen_id, starts_on=starts_on, ends_on=ends_on,
                          received_at=received_at, tz=options.tz)
    if ends_on is not None and ends_on < starts_on:
        ends_on = starts_on
    local_received = received_at.astimezone(ZoneInfo(options.tz))
    notice = SickNotice(
        reference=references.next_reference(session, prefix=references.SICK_NOTICE, year=local_received.year),
        citizen_id=citizen_id,
        received_at=received_at,
        starts_on=starts_on,
        ends_on=ends_on,
        text=text,
        source=source or ("staff" if recorded_by_id is not None else "sms"),
        recorded_by_id=recorded_by_id,
        inbound_message_id=inbound_message_id,
    )
    with session.no_autoflush:  # what waits to be written is no appointment of theirs
        coverage = covered_with_outcomes(session, notice, until=ends_on or starts_on, tz=options.tz)
    covered = list(coverage.appointments)
    if appointment_id is not None and all(a.id != appointment_id for a in covered):
        chosen = attendance.get_appointment(session, appointment_id)
        if chosen.citizen_id == citizen_id and appointment_end(chosen) > received_at:
            covered.append(chosen)
    notice.late = any(a.starts_at <= received_at for a in covered)
    # The receipt is queued first, so the notice is inserted with its id: one statement, not an
    # insert and then an update.
    receipt = send_receipt(session, notice=notice, citizen=citizen, appointments=covered, now=now,
                           tz=options.tz, asks_length=asks_length and ends_on is None,
                           reply_to_id=reply_to_id)
    session.add(notice)
    session.flush()
    assert notice.id is not None
    # What the items below will ask about: the outcomes' "missing" items and the citizen's open
    # sick-notice item, read with the appointments (or now, in one read). Nothing holds the key
    # of a notice just made.
    if coverage.appointments and covered == coverage.appointments:
        item_lookup.known(session, {**coverage.missing_items, f"sick_notice:{notice.id}": None},
                          person=("sick_notice", citizen_id, coverage.open_item))
    else:
        item_lookup.read_ahead(session, [attendance.missing_key(a.id) for a in covered if a.id is not None]
                               + [f"sick_notice:{notice.id}"], kind="sick_notice", citizen_id=citizen_id)
    _link(session, notice, covered, now, fresh=True, known=coverage.outcomes)
    if receipt is not None:
        remember_receipt(session, notice, receipt)
    notify_third_parties(
        session, notice=notice, citizen=citizen, appointments=covered, now=now, tz=options.tz,
        quiet_hours=options.quiet_hours,
    )
    _open_item(session, notice, citizen, covered, now)
    documentation.ask_for_documentation_if_due(
        session, citizen=citizen, now=now, tz=options.tz, after_days=options.documentation_after_days,
        notices=None if earlier is None else [*earlier, notice])
    session.flush()
    return notice


def set_length(
    session: Session,
    *,
    notice: SickNotice,
    ends_on: date | None,
    now: datetime,
    options: NoticeOptions = NoticeOptions(),
) -> SickNotice:
    """The citizen answered "how long?": the end is set (None: still not known) and what the
    notice covers follows; the arrival time and the reference stay as they were."""
    if ends_on is not None:
        ends_on = max(ends_on, notice.starts_on)
        _check_dates(notice.starts_on, ends_on)
    notice.ends_on = ends_on
    session.add(notice)
    assert notice.id is not None
    today = local_date(now, options.tz)
    until = ends_on if ends_on is not None else max(today, notice.starts_on)
    for appointment in linked_appointments(session, notice.id):
        if ends_on is not None and local_date(appointment.starts_at, options.tz) > ends_on:
            _unlink(session, notice, appointment, now=now)
    covered = covered_appointments(session, notice, until=until, tz=options.tz)
    _link(session, notice, covered, now)
    citizen = get_citizen(session, notice.citizen_id)
    notify_third_parties(session, notice=notice, citizen=citizen, appointments=covered, now=now,
                         tz=options.tz, quiet_hours=options.quiet_hours)
    _open_item(session, notice, citizen, covered, now)
    session.flush()
    return notice


def _unlink(session: Session, notice: SickNotice, appointment: Appointment, *, now: datetime) -> None:
    assert notice.id is not None and appointment.id is not None
    link = session.get(SickNoticeAppointment, (notice.id, appointment.id))
    if link is not None:
        session.delete(link)
    attendance.clear_provisional(session, appointment_id=appointment.id, sick_notice_id=notice.id)


def current_notice(session: Session, *, citizen_id: int, day: date) -> SickNotice | None:
    """The notice a new "I'm sick" on local ``day`` belongs to: one not ended that covers the day,
    or starts the next (sent after the day's last class, it begins tomorrow)."""
    query = (
        select(SickNotice)
        .where(SickNotice.citizen_id == citizen_id, col(SickNotice.ended_at).is_(None))
        .where(col(SickNotice.starts_on) <= day + timedelta(days=1))
    )
    return current_of(session.exec(query).all(), day=day)


def current_of(notices: Iterable[SickNotice], *, day: date) -> SickNotice | None:
    """``current_notice`` among one citizen's ``notices`` (all of them, or those the query chose)."""
    candidates = [n for n in notices if n.ended_at is None and n.starts_on <= day + timedelta(days=1)]
    candidates.sort(key=lambda n: (n.received_at, n.id or 0), reverse=True)
    for notice in candidates:
        if notice.ends_on is None or notice.ends_on >= day:
            return notice
    return None


def cover(session: Session, notice: SickNotice, appointments: list[Appointment], *, now: datetime,
          options: NoticeOptions) -> list[Appointment]:
    """Add appointments to a notice (a cancellation that turned out to be sickness)."""
    added = _link(session, notice, appointments, now)
    if added:
        citizen = get_citizen(session, notice.citizen_id)
        notify_third_parties(session, notice=notice, citizen=citizen, appointments=added, now=now,
                             tz=options.tz, quiet_hours=options.quiet_hours)
    return added


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
        if appointment.starts_at > now:
            _unlink(session, notice, appointment, now=now)
    session.flush()
    notify_back(session, notice=notice, citizen=get_citizen(session, citizen_id), now=now,
                quiet_hours=options.quiet_hours)
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
        added = _link(session, notice, covered, now)
        linked += len(added)
        if added:
            # Each newly covered day reaches the company and the language centre, as the first did.
            notify_third_parties(session, notice=notice, citizen=get_citizen(session, notice.citizen_id),
                                 appointments=added, now=now, tz=options.tz, quiet_hours=options.quiet_hours)
        documentation.ask_for_documentation_if_due(
            session, citizen=get_citizen(session, notice.citizen_id), now=now, tz=options.tz,
            after_days=options.documentation_after_days)
    return linked


def notices_of(session: Session, *, citizen_id: int) -> list[SickNotice]:
    query = select(SickNotice).where(SickNotice.citizen_id == citizen_id)
    return list(session.exec(query.order_by(col(SickNotice.received_at).desc())).all())
