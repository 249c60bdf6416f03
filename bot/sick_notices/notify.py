"""Who hears about a sick notice, and in which words: never a health detail.

The citizen's receipt keeps its parameters raw (moments, label ids), so staff read it in Danish
and the citizen in their language; the sentence is rendered from the message id when it is sent
or shown. Messages to companies and centres are rendered in the contact's language here.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table
from sqlmodel import Session, col, select

from bot.channels.models import Message
from bot.channels.outbox import QuietHours, enqueue
from bot.contacts.centre_models import CentreContact
from bot.contacts.models import Citizen, Employer, EmployerContact
from bot.i18n import N_, format_date, list_param, moment_param, text_param
from bot.reminders.models import Appointment, AppointmentKind, Placement
from bot.reminders.texts import KIND_LABELS
from bot.sick_notices.models import NoticeRecipient, SickNotice, SickNoticeMessage
from bot.sql_insert import upsert_insert

MAX_LISTED = 2  # a receipt must stay within 3 SMS segments in every script
_CLASS_KINDS = {AppointmentKind.class_}


def _label(session: Session, appointment: Appointment, tz: str, several_days: bool) -> dict[str, Any]:
    when = moment_param(appointment.starts_at, tz, "EEE HH:mm" if several_days else "HH:mm")
    if appointment.kind in _CLASS_KINDS:
        return text_param(N_("absence.covers.class"), {"time": when})
    if appointment.placement_id is not None:
        placement = session.get(Placement, appointment.placement_id)
        employer = session.get(Employer, placement.employer_id) if placement else None
        if employer is not None:
            return text_param(N_("absence.covers.internship"), {"place": employer.name, "time": when})
    if appointment.kind == AppointmentKind.meeting:
        return text_param(N_("absence.covers.meeting"), {"time": when})
    title = appointment.title or text_param(KIND_LABELS.get(str(appointment.kind), KIND_LABELS["meeting"]))
    return text_param(N_("absence.covers.other"), {"title": title, "time": when})


def covers_param(
    session: Session, appointments: list[Appointment], tz: str, received_at: datetime
) -> dict[str, Any]:
    """ "Danish class 09:00, internship at Netto 12:00", kept raw so that each reader (the citizen,
    staff in Danish) reads it in their own language; long lists are cut short. Times on another
    day than the notice's arrival name their weekday ("Thu 09:00"), or "09:00" would read as today."""
    if not appointments:
        return text_param(N_("absence.covers.nothing"))
    zone = ZoneInfo(tz)
    days = {a.starts_at.astimezone(zone).date() for a in appointments}
    with_day = days != {received_at.astimezone(zone).date()}
    labels = [_label(session, a, tz, with_day) for a in appointments[:MAX_LISTED]]
    if len(appointments) > MAX_LISTED:
        labels.append(text_param(N_("absence.covers.more"), {"count": len(appointments) - MAX_LISTED}))
    return list_param(labels)


def _remember(session: Session, notice: SickNotice, message: Message, purpose: str,
              kind: NoticeRecipient, contact_id: int) -> None:
    assert notice.id is not None and message.id is not None
    table: Table = SickNoticeMessage.__table__  # type: ignore[attr-defined]
    # Already told: the row stays as it was (no savepoint), the message stays in the ledger.
    session.execute(
        upsert_insert(session, table)
        .values(sick_notice_id=notice.id, message_id=message.id, purpose=purpose, contact_kind=kind,
                contact_id=contact_id)
        .on_conflict_do_nothing(
            index_elements=[table.c.sick_notice_id, table.c.purpose, table.c.contact_kind, table.c.contact_id]
        )
    )


def send_receipt(
    session: Session,
    *,
    notice: SickNotice,
    citizen: Citizen,
    appointments: list[Appointment],
    now: datetime,
    tz: str,
    asks_length: bool = False,
    reply_to_id: int | None = None,
) -> Message | None:
    """The citizen's receipt; ``asks_length`` puts "how long?" in the same SMS.

    ``reply_to_id``: the message it answers, when that is not the notice's own (a reason given
    after "I can't come" turned the cancellation into this notice). A notice not yet stored
    gets the receipt's id with its insert; ``remember_receipt`` then keeps the receipt with it.
    """
    if not citizen.phone or citizen.id is None:
        return None
    language = citizen.language
    inbound = session.get(Message, notice.inbound_message_id) if notice.inbound_message_id else None
    message = enqueue(
        session,
        phone=citizen.phone,
        template=N_("absence.receipt_ask_length") if asks_length else N_("absence.receipt"),
        params={
            "reference": notice.reference,
            "received": moment_param(notice.received_at, tz, "d MMM HH:mm"),
            "covers": covers_param(session, appointments, tz, notice.received_at),
        },
        language=language,
        purpose="receipt",
        contact_kind="citizen",
        contact_id=citizen.id,
        now=now,
        # Answer on the channel the notice came by (SMS or WhatsApp).
        channel=inbound.channel.value if inbound is not None else "sms",
        in_reply_to_id=reply_to_id or notice.inbound_message_id,
    )
    notice.receipt_message_id = message.id
    session.add(notice)
    if notice.id is not None:
        remember_receipt(session, notice, message)
    return message


def remember_receipt(session: Session, notice: SickNotice, message: Message) -> None:
    """Keep the receipt with the notice (``send_receipt`` does, once the notice has its id)."""
    _remember(session, notice, message, "receipt", NoticeRecipient.citizen, notice.citizen_id)


def _notice_params(notice: SickNotice, citizen: Citizen, language: str) -> tuple[bool, dict[str, str]]:
    params = {
        "name": citizen.name,
        "reference": notice.reference,
        "start": format_date(notice.starts_on, language),
    }
    if notice.ends_on is None:
        return False, params
    params["back"] = format_date(notice.ends_on + timedelta(days=1), language)
    return True, params


def _tell(session: Session, *, notice: SickNotice, citizen: Citizen, contact: EmployerContact | CentreContact,
          kind: NoticeRecipient, known: str, unknown: str, day: str, now: datetime,
          quiet_hours: QuietHours | None, needed_by: datetime) -> None:
    """Tell ``contact`` once; an open-ended notice once per newly covered day (nobody knows when
    the citizen is back), and once more when its end becomes known."""
    if not contact.phone or contact.id is None:
        return
    purpose = f"notice:{day}" if notice.ends_on is None else "notice"
    already = session.exec(
        select(SickNoticeMessage).where(
            SickNoticeMessage.sick_notice_id == notice.id,
            SickNoticeMessage.purpose == purpose,
            SickNoticeMessage.contact_kind == kind,
            SickNoticeMessage.contact_id == contact.id,
        )
    ).first()
    if already is not None:
        return
    has_end, params = _notice_params(notice, citizen, contact.language)
    message = enqueue(
        session,
        phone=contact.phone,
        template=known if has_end else unknown,
        params=params,
        language=contact.language,
        purpose="notice",
        contact_kind=kind.value,
        contact_id=contact.id,
        now=now,
        # Not an answer to them: at night it waits for the morning, unless the appointment is earlier.
        quiet_hours=quiet_hours,
        needed_by=needed_by,
    )
    _remember(session, notice, message, purpose, kind, contact.id)


def notify_third_parties(
    session: Session,
    *,
    notice: SickNotice,
    citizen: Citizen,
    appointments: list[Appointment],
    now: datetime,
    tz: str,
    quiet_hours: QuietHours | None = None,
) -> None:
    """The host company's contact and the language centre's contacts; no health detail."""
    for appointment in appointments:
        day = appointment.starts_at.astimezone(ZoneInfo(tz)).date().isoformat()
        if appointment.placement_id is not None:
            placement = session.get(Placement, appointment.placement_id)
            contact_id = placement.contact_id if placement else None
            contact = session.get(EmployerContact, contact_id) if contact_id else None
            if contact is not None:
                _tell(session, notice=notice, citizen=citizen, contact=contact,
                      kind=NoticeRecipient.employer_contact, known=N_("absence.notice_employer"),
                      unknown=N_("absence.notice_employer_open"), day=day, now=now,
                      quiet_hours=quiet_hours, needed_by=appointment.starts_at)
        if appointment.kind in _CLASS_KINDS and appointment.centre_id is not None:
            for centre_contact in session.exec(
                select(CentreContact).where(CentreContact.centre_id == appointment.centre_id)
            ).all():
                _tell(session, notice=notice, citizen=citizen, contact=centre_contact,
                      kind=NoticeRecipient.centre_contact, known=N_("absence.notice_centre"),
                      unknown=N_("absence.notice_centre_open"), day=day, now=now,
                      quiet_hours=quiet_hours, needed_by=appointment.starts_at)


def notify_back(session: Session, *, notice: SickNotice, citizen: Citizen, now: datetime,
                quiet_hours: QuietHours | None = None) -> int:
    """Tell everyone who heard of the notice that the citizen is well again, and from when."""
    if notice.ends_on is None:
        return 0
    told = session.exec(
        select(SickNoticeMessage).where(
            SickNoticeMessage.sick_notice_id == notice.id,
            col(SickNoticeMessage.purpose).startswith("notice"),
        )
    ).all()
    # Told on several days, but told once that the citizen is back.
    told = list({(r.contact_kind, r.contact_id): r for r in told}.values())
    sent = 0
    for record in told:
        contact: EmployerContact | CentreContact | None
        if record.contact_kind == NoticeRecipient.employer_contact:
            contact = session.get(EmployerContact, record.contact_id)
        else:
            contact = session.get(CentreContact, record.contact_id)
        if contact is None or not contact.phone:
            continue
        message = enqueue(
            session,
            phone=contact.phone,
            template=N_("absence.back"),
            params={
                "name": citizen.name,
                "reference": notice.reference,
                "back": format_date(notice.ends_on + timedelta(days=1), contact.language),
            },
            language=contact.language,
            purpose="notice",
            contact_kind=record.contact_kind.value,
            contact_id=record.contact_id,
            now=now,
            quiet_hours=quiet_hours,
        )
        _remember(session, notice, message, "ended", record.contact_kind, record.contact_id)
        sent += 1
    return sent
