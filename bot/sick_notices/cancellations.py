"""Cancellations (afbud): the citizen's word that they cannot come, kept as evidence of notice.

A cancellation is recorded the moment it arrives, stamped with the arrival time, whether or
not the citizen later says why or which appointment they meant. It declines the appointment,
withdraws its reminders, sets a provisional outcome (absent with notice, or with late notice
after the start) and gives the consultant an item. A reason is added when it comes; a reason
that is sickness turns the record into a sick notice from the same arrival time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot import references
from bot.attendance import attendance
from bot.attendance.models import Attendance, Outcome, OutcomeSource
from bot.channels.models import Message
from bot.channels.outbox import enqueue
from bot.contacts.models import Citizen
from bot.contacts.service import ContactInputError
from bot.i18n import N_, day_param, moment_param, text_param
from bot.items import service as items
from bot.items.models import ItemKind
from bot.reminders import policy, texts
from bot.reminders.models import Appointment, Confirmation
from bot.reminders.unconfirmed import item_key
from bot.sick_notices import service
from bot.sick_notices.models import Cancellation, SickNotice

# A reason that comes later than this after "I can't come" is a new message, not the reason.
REASON_WINDOW = timedelta(hours=24)
# A cancellation not yet placed on an appointment: staff should look within this.
UNPLACED_DUE = timedelta(hours=4)


def _appointment_of(session: Session, cancellation: Cancellation) -> Appointment | None:
    return session.get(Appointment, cancellation.appointment_id) if cancellation.appointment_id else None


def _inbound_of(session: Session, cancellation: Cancellation) -> Message | None:
    message_id = cancellation.inbound_message_id
    return session.get(Message, message_id) if message_id else None


def item_key_for(cancellation: Cancellation) -> str:
    return f"cancellation:{cancellation.id}"


def record(
    session: Session,
    *,
    citizen_id: int,
    appointment: Appointment | None,
    received_at: datetime,
    now: datetime,
    tz: str,
    reason: str | None = None,
    source: str = "sms",
    inbound_message_id: int | None = None,
    recorded_by_id: int | None = None,
    may_mean: Sequence[int] = (),
) -> Cancellation:
    """Record a cancellation; with ``appointment`` None it waits to be linked (the citizen is
    asked which one), but it already counts from ``received_at``."""
    citizen = service.get_citizen(session, citizen_id)
    if appointment is not None and appointment.citizen_id != citizen_id:
        raise ContactInputError("appointment_id", "the appointment belongs to another citizen")
    cancellation = _new(session, citizen_id=citizen_id, received_at=received_at, tz=tz, reason=reason,
                        source=source, inbound_message_id=inbound_message_id, recorded_by_id=recorded_by_id,
                        may_mean=may_mean)
    session.add(cancellation)
    session.flush()
    if appointment is not None:
        link(session, cancellation, appointment, now=now, tz=tz)
    else:
        _open_item(session, cancellation, citizen, None, now=now, tz=tz, fresh=True)
    return cancellation


def _new(session: Session, *, citizen_id: int, received_at: datetime, tz: str, reason: str | None,
         source: str, inbound_message_id: int | None, recorded_by_id: int | None,
         may_mean: Sequence[int]) -> Cancellation:
    """A cancellation with its reference, not yet added to the session."""
    year = received_at.astimezone(ZoneInfo(tz)).year
    return Cancellation(
        reference=references.next_reference(session, prefix=references.CANCELLATION, year=year),
        citizen_id=citizen_id,
        received_at=received_at,
        reason=(reason or "").strip() or None,
        source=source,
        inbound_message_id=inbound_message_id,
        recorded_by_id=recorded_by_id,
        may_mean=list(may_mean),
    )


def record_by_sms(
    session: Session, *, citizen_id: int, appointment: Appointment | None, received_at: datetime,
    now: datetime, tz: str, reason: str | None, inbound_message_id: int | None,
    may_mean: Sequence[int] = (), reply_to_id: int | None = None,
    outcome: Attendance | attendance.Unread | None = attendance.UNREAD,
) -> Cancellation:
    """A cancellation by SMS whose appointment was found (None: none was), left as ``record``
    without one, then ``link`` and ``send_receipt`` leave it, but with one insert per row: the
    appointment and the receipt are settled before the record is written. ``outcome``: the
    appointment's outcome, when the caller read it."""
    citizen = service.get_citizen(session, citizen_id)
    cancellation = _new(session, citizen_id=citizen_id, received_at=received_at, tz=tz, reason=reason,
                        source="sms", inbound_message_id=inbound_message_id, recorded_by_id=None,
                        may_mean=())
    if appointment is not None:
        _place(session, cancellation, appointment, now=now, may_mean=may_mean)
    send_receipt(session, cancellation, now=now, tz=tz, asks_reason=cancellation.reason is None,
                 reply_to_id=reply_to_id)
    session.add(cancellation)
    session.flush()
    if appointment is not None:
        _settle(session, cancellation, appointment, now=now, outcome=outcome)
    # The deadline is the one the item got while the appointment was not known yet, as before.
    _open_item(session, cancellation, citizen, appointment, now=now, tz=tz, fresh=True,
               due=now + UNPLACED_DUE)
    return cancellation


def link(session: Session, cancellation: Cancellation, appointment: Appointment, *, now: datetime,
         tz: str, may_mean: Sequence[int] = ()) -> Cancellation:
    """The appointment the cancellation is for: declined, reminders withdrawn, outcome provisional."""
    _place(session, cancellation, appointment, now=now, may_mean=may_mean)
    _settle(session, cancellation, appointment, now=now)
    _open_item(session, cancellation, service.get_citizen(session, cancellation.citizen_id), appointment,
               now=now, tz=tz)
    session.flush()
    return cancellation


def _place(session: Session, cancellation: Cancellation, appointment: Appointment, *, now: datetime,
           may_mean: Sequence[int]) -> None:
    """The cancellation names ``appointment``, which is declined."""
    assert appointment.id is not None
    cancellation.appointment_id = appointment.id
    cancellation.late = appointment.starts_at <= cancellation.received_at
    cancellation.may_mean = [i for i in may_mean if i != appointment.id]
    appointment.confirmation = Confirmation.declined
    appointment.cancel_reason = cancellation.reason
    appointment.updated_at = now
    session.add(appointment)


def _settle(session: Session, cancellation: Cancellation, appointment: Appointment, *, now: datetime,
            outcome: Attendance | attendance.Unread | None = attendance.UNREAD) -> None:
    """Reminders withdrawn, the outcome provisional, the "not confirmed" item settled."""
    assert appointment.id is not None
    service.withdraw_reminders(session, appointment, reason=policy.REASON_CANCELLED, now=now)
    # The "not confirmed" item is settled too; looked up with the "outcome missing" one.
    recorded = attendance.set_provisional(
        session, appointment=appointment,
        outcome=Outcome.absent_with_late_notice if cancellation.late else Outcome.absent_with_notice,
        source=OutcomeSource.cancellation, now=now, message_id=cancellation.inbound_message_id,
        resolve_also=[item_key(appointment.id)], existing=outcome,
    )
    if recorded is None:
        items.resolve_by_key(session, item_key(appointment.id), now=now)


def _open_item(session: Session, cancellation: Cancellation, citizen: Citizen,
               appointment: Appointment | None, *, now: datetime, tz: str, fresh: bool = False,
               due: datetime | None = None) -> None:
    """One item per cancellation for the consultant, updated as the record is refined.
    ``fresh``: the cancellation was just recorded, so no item holds its key yet. ``due``: the
    deadline of a new item, when it is not the one the appointment sets."""
    if appointment is not None:
        day, time = texts.day(appointment.starts_at, "da", tz), texts.time_of(appointment.starts_at, "da", tz)
        when = f"{day} kl. {time}"
        summary = f"Afbud {cancellation.reference} fra {citizen.name}: {texts.what(appointment, 'da')} {when}"
        due = due or min(appointment.starts_at, now + timedelta(days=1))
    else:
        summary = f"Afbud {cancellation.reference} fra {citizen.name}: aftalen er ikke afklaret"
        due = now + UNPLACED_DUE
    details = {"cancellation_id": cancellation.id, "reference": cancellation.reference,
               "summary_id": "cancellation" if appointment is not None else "cancellation_unplaced",
               "appointment_id": cancellation.appointment_id, "late": cancellation.late,
               "has_reason": cancellation.reason is not None, "may_mean": list(cancellation.may_mean)}
    item = items.open(
        session, kind=ItemKind.cancellation, summary=summary, now=now,
        dedupe_key=item_key_for(cancellation), citizen_id=citizen.id, assignee_id=citizen.consultant_id,
        message_id=cancellation.inbound_message_id, details=details, due_at=due, fresh_key=fresh,
    )
    item.summary = summary
    item.details = {**item.details, **details}
    session.add(item)


def send_receipt(session: Session, cancellation: Cancellation, *, now: datetime, tz: str,
                 asks_reason: bool, reply_to_id: int | None = None) -> Message | None:
    """The citizen's receipt: reference, when it arrived, which appointment; "why?" in the same SMS."""
    citizen = service.get_citizen(session, cancellation.citizen_id)
    if not citizen.phone or citizen.id is None:
        return None
    language = citizen.language
    params = {"reference": cancellation.reference,
              "received": moment_param(cancellation.received_at, tz, "d MMM HH:mm")}
    appointment = _appointment_of(session, cancellation)
    if appointment is not None:
        template = N_("absence.cancellation_receipt") if asks_reason else N_("absence.cancellation_noted")
        # Raw, so staff read the receipt in Danish and the citizen in their language.
        kind = texts.KIND_LABELS.get(str(appointment.kind), texts.KIND_LABELS["meeting"])
        params |= {"what": appointment.title or text_param(kind),
                   "day": day_param(appointment.starts_at.astimezone(ZoneInfo(tz)).date()),
                   "time": moment_param(appointment.starts_at, tz, "HH:mm")}
    else:
        template = N_("absence.cancellation_unlinked")
    inbound = _inbound_of(session, cancellation)
    message = enqueue(
        session, phone=citizen.phone, template=template, params=params, language=language,
        purpose="receipt", contact_kind="citizen", contact_id=citizen.id, now=now,
        channel=inbound.channel.value if inbound is not None else "sms",
        in_reply_to_id=reply_to_id or cancellation.inbound_message_id,
    )
    cancellation.receipt_message_id = message.id
    session.add(cancellation)
    return message


def awaiting_reason(session: Session, *, citizen_id: int, now: datetime) -> Cancellation | None:
    """The citizen's latest cancellation by SMS that has no reason yet (the one "why?" asked about)."""
    return session.exec(
        select(Cancellation)
        .where(Cancellation.citizen_id == citizen_id, col(Cancellation.reason).is_(None),
               col(Cancellation.sick_notice_id).is_(None), Cancellation.source == "sms",
               col(Cancellation.received_at) >= now - REASON_WINDOW)
        .order_by(col(Cancellation.received_at).desc(), col(Cancellation.id).desc())
    ).first()


def add_reason(session: Session, cancellation: Cancellation, *, reason: str, now: datetime, tz: str) -> None:
    cancellation.reason = reason.strip() or None
    session.add(cancellation)
    appointment = _appointment_of(session, cancellation)
    if appointment is not None:
        appointment.cancel_reason = cancellation.reason
        session.add(appointment)
    _open_item(session, cancellation, service.get_citizen(session, cancellation.citizen_id), appointment,
               now=now, tz=tz)


def become_sick_notice(
    session: Session, cancellation: Cancellation, *, reason: str, ends_on: date | None, now: datetime,
    options: service.NoticeOptions, asks_length: bool, reply_to_id: int | None = None,
) -> tuple[SickNotice, bool]:
    """The reason was sickness: a sick notice from the cancellation's own arrival time, linked to
    its appointment; the cancellation stays on record, pointing at the notice. Returns the notice
    and whether it is new (False: it joined one already open, which keeps its receipt)."""
    cancellation.reason = reason.strip() or None
    starts_on = service.local_date(cancellation.received_at, options.tz)
    current = service.current_notice(session, citizen_id=cancellation.citizen_id, day=starts_on)
    if current is not None:
        # Already reported sick: the appointment joins that notice, which keeps its own receipt.
        appointment = _appointment_of(session, cancellation)
        if appointment is not None:
            service.cover(session, current, [appointment], now=now, options=options)
        cancellation.sick_notice_id = current.id
        session.add(cancellation)
        items.resolve_by_key(session, item_key_for(cancellation), now=now)
        return current, False
    notice = service.record_sick_notice(
        session, citizen_id=cancellation.citizen_id, starts_on=starts_on, ends_on=ends_on, text=reason,
        now=now, options=options, inbound_message_id=cancellation.inbound_message_id,
        appointment_id=cancellation.appointment_id, received_at=cancellation.received_at,
        source=cancellation.source, asks_length=asks_length, reply_to_id=reply_to_id,
    )
    cancellation.sick_notice_id = notice.id
    session.add(cancellation)
    items.resolve_by_key(session, item_key_for(cancellation), now=now)
    return notice, True


def of_citizen(session: Session, *, citizen_id: int) -> list[Cancellation]:
    query = select(Cancellation).where(Cancellation.citizen_id == citizen_id)
    return list(session.exec(query.order_by(col(Cancellation.received_at).desc())).all())


def in_period(session: Session, *, citizen_id: int, start: datetime, end: datetime) -> list[Cancellation]:
    """Cancellations that arrived in [start, end), oldest first (hearing letters, evidence)."""
    query = select(Cancellation).where(Cancellation.citizen_id == citizen_id,
                                       col(Cancellation.received_at) >= start,
                                       col(Cancellation.received_at) < end)
    return list(session.exec(query.order_by(col(Cancellation.received_at))).all())
