"""Turns due reminders into outbound messages, exactly once.

A batch of due pending reminders is claimed (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so
any number of workers can run side by side; SQLite has one writer), and each one's message is
queued in the same transaction that marks it ``enqueued``: either both happen or neither.
The batch's messages are inserted (and sealed into the ledger) by one statement, not one each.
The outbox dispatcher then sends the messages (rate cap, opt-out, retries).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, exists, func, update
from sqlalchemy import select as core_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.channels import outbox
from bot.channels.models import Message, MessageStatus
from bot.contacts.models import Citizen
from bot.contacts.registry import first_name
from bot.db import claim_clause
from bot.reminders import scheduling, texts
from bot.reminders.dispatch_rows import Related, related
from bot.reminders.models import (
    NOT_REACHABLE,
    Appointment,
    RecipientKind,
    Reminder,
    ReminderStatus,
)
from bot.reminders.policy import REASON_ALREADY_STARTED
from bot.sick_notices.models import SickNotice, SickNoticeAppointment

BATCH = 200
log = logging.getLogger("bot.reminders")


@dataclass
class EnqueueReport:
    enqueued: int = 0
    skipped: int = 0
    cancelled: int = 0
    message_ids: list[int] = field(default_factory=list)
    # (phone, appointment id) of citizens just asked "are you coming?"
    asked: list[tuple[str, int]] = field(default_factory=list)


REASON_SICK = "covered by a sick notice"


def enqueue_due(engine: Engine, now: datetime, zone: str, *, batch: int = BATCH,
                max_batches: int = 50) -> EnqueueReport:
    """Queue a message for every reminder due by ``now``; returns what happened.

    A reminder that cannot be prepared (bad data) is set aside with the reason, one at a time,
    so it never holds up the others tick after tick.
    """
    report = EnqueueReport()
    for _ in range(max_batches):
        part = EnqueueReport()
        try:
            claimed = _batch(engine, now, zone, batch, part)
        except Exception:
            log.exception("reminder batch failed; retrying one by one")
            part = EnqueueReport()
            claimed = _one_by_one(engine, now, zone, batch, part)
        _merge(report, part)
        if claimed < batch:
            break
    return report


def _batch(engine: Engine, now: datetime, zone: str, batch: int, report: EnqueueReport) -> int:
    with Session(engine, expire_on_commit=False) as session:
        claimed = claim_due(session, now, batch)
        rows = related(session, claimed)
        sick = covered_by_sick_notice(session, {r.appointment_id for r in claimed})
        shared = shared_phones(session, rows.citizen_phones())
        queued: list[tuple[Any, dict[str, Any]]] = []
        settled: list[dict[str, Any]] = []
        formats = texts.Formats(zone)
        for reminder in claimed:
            _handle(session, reminder, now, formats, report, queued, settled, sick, shared, rows)
        _settle(session, settled)
        _queue(session, queued, report, now)
        session.commit()
        return len(claimed)


def _one_by_one(engine: Engine, now: datetime, zone: str, batch: int, report: EnqueueReport) -> int:
    with Session(engine) as session:
        ids = [r.id for r in claim_due(session, now, batch)]
        session.rollback()
    for reminder_id in ids:
        try:
            with Session(engine, expire_on_commit=False) as session:
                reminder = session.connection().execute(
                    core_select(*_CLAIMED).where(_REMINDERS.c.id == reminder_id,
                                                  _REMINDERS.c.status == ReminderStatus.pending)
                    .with_for_update(**claim_clause(session))
                ).first()
                if reminder is not None:
                    queued: list[tuple[Any, dict[str, Any]]] = []
                    settled: list[dict[str, Any]] = []
                    sick = covered_by_sick_notice(session, {reminder.appointment_id})
                    rows = related(session, [reminder])
                    _handle(session, reminder, now, texts.Formats(zone), report, queued, settled, sick,
                            shared_phones(session, rows.citizen_phones()), rows)
                    _settle(session, settled)
                    _queue(session, queued, report, now)
                session.commit()
        except Exception as exc:
            log.exception("reminder could not be prepared", extra={"reminder_id": reminder_id})
            with Session(engine) as session:
                broken = session.get(Reminder, reminder_id)
                if broken is not None and broken.status == ReminderStatus.pending:
                    _finish(session, broken, ReminderStatus.skipped,
                            f"could not be prepared: {type(exc).__name__}", now)
                    session.commit()
            report.skipped += 1
    return len(ids)


def _merge(total: EnqueueReport, part: EnqueueReport) -> None:
    total.enqueued += part.enqueued
    total.skipped += part.skipped
    total.cancelled += part.cancelled
    total.message_ids.extend(part.message_ids)
    total.asked.extend(part.asked)


def claim_due(session: Session, now: datetime, batch: int) -> list[Any]:
    """Due pending reminders, locked for this transaction, as plain rows (column attributes)."""
    query = (
        core_select(*_CLAIMED)
        .where(_REMINDERS.c.status == ReminderStatus.pending, _REMINDERS.c.due_at <= now)
        .order_by(_REMINDERS.c.due_at, _REMINDERS.c.id)
        .limit(batch)
        .with_for_update(**claim_clause(session))
    )
    return list(session.connection().execute(query).all())


def covered_by_sick_notice(session: Session, appointment_ids: set[int]) -> set[int]:
    """Which of these appointments a sick notice that has not ended covers, in one query.

    Decided when the reminder is due, not when the notice arrives: a citizen who says "I'm
    better" gets the next class's reminder again without anything to undo.
    """
    if not appointment_ids:
        return set()
    # Plain column reads on the session's connection, as the rest of the batch's reads.
    rows = session.connection().execute(
        select(SickNoticeAppointment.appointment_id)
        .join(SickNotice, col(SickNotice.id) == col(SickNoticeAppointment.sick_notice_id))
        .where(col(SickNoticeAppointment.appointment_id).in_(sorted(appointment_ids)),
               col(SickNotice.ended_at).is_(None))
    ).scalars()
    return set(rows)


def shared_phones(session: Session, phones: set[str]) -> set[str]:
    """Which of ``phones`` more than one citizen holds (``registry.is_shared``), in one query."""
    if not phones:
        return set()
    rows = session.connection().execute(
        select(Citizen.phone)
        .where(col(Citizen.phone).in_(sorted(phones)))
        .group_by(col(Citizen.phone))
        .having(func.count() > 1)
    ).scalars()
    return {phone for phone in rows if phone is not None}


def _finish(session: Session, reminder: Reminder, status: ReminderStatus, reason: str | None,
            now: datetime) -> None:
    reminder.status = status
    reminder.reason = reason
    reminder.updated_at = now
    session.add(reminder)


def _settled(reminder: Any, status: ReminderStatus, reason: str | None, now: datetime) -> dict[str, Any]:
    return {"b_id": reminder.id, "b_status": status, "b_reason": reason, "b_now": now}


def _settle(session: Session, settled: list[dict[str, Any]]) -> None:
    """Reminders that send nothing (cancelled, skipped and why): one executemany for the batch."""
    if settled:
        session.connection().execute(_SETTLE, settled)


def _handle(session: Session, reminder: Any, now: datetime, formats: texts.Formats,
            report: EnqueueReport, queued: list[tuple[Any, dict[str, Any]]],
            settled: list[dict[str, Any]], sick: set[int], shared: set[str], rows: Related) -> None:
    """Settle ``reminder``, or compose its message into ``queued`` (``_queue`` inserts them)."""
    appointment = rows.appointments.get(reminder.appointment_id)
    if appointment is None or appointment.status not in scheduling.ACTIVE:
        settled.append(_settled(reminder, ReminderStatus.cancelled, "appointment cancelled", now))
        report.cancelled += 1
        return
    if reminder.appointment_id in sick:
        # The citizen reported sick for it: an ordinary "see you tomorrow" would jar.
        settled.append(_settled(reminder, ReminderStatus.skipped, REASON_SICK, now))
        report.skipped += 1
        return
    if appointment.starts_at <= now:
        # After an outage: a reminder for something that has begun only confuses.
        settled.append(_settled(reminder, ReminderStatus.skipped, REASON_ALREADY_STARTED, now))
        report.skipped += 1
        return
    placement = rows.placements.get(appointment.placement_id) if appointment.placement_id else None
    employer = rows.employers.get(placement.employer_id) if placement else None
    citizen = rows.citizens.get(appointment.citizen_id)
    recipient: Any
    if reminder.recipient_kind == RecipientKind.employer_contact:
        recipient = rows.contacts.get(reminder.recipient_id)
        reachable = recipient is not None and bool(recipient.phone) and not recipient.opted_out
    else:
        recipient = citizen
        reachable = scheduling.citizen_reachable(citizen)
    if recipient is None or not reachable:
        settled.append(_settled(reminder, ReminderStatus.skipped, NOT_REACHABLE, now))
        if citizen is not None and reminder.recipient_kind == RecipientKind.citizen:
            # The one change to these records: made through the session, on its objects.
            booked = session.get(Appointment, appointment.id)
            person = session.get(Citizen, citizen.id)
            assert booked is not None and person is not None
            scheduling.mark_not_reachable(session, booked, person, now=now)
        report.skipped += 1
        return
    assert recipient.phone is not None
    params = texts.appointment_params(
        appointment, recipient.language, formats.zone,
        place=appointment.location or (placement.address if placement else None),
        employer=employer.name if employer else "",
        citizen=citizen.name if citizen else "",
        formats=formats,
    )
    params["reminder_id"] = reminder.id
    template = reminder.template
    if (reminder.recipient_kind == RecipientKind.citizen and citizen is not None
            and citizen.phone in shared):
        # Others read this phone: say whose appointment it is, and no more than the first name.
        template = texts.for_shared_phone(template)
        params["first_name"] = params["citizen"] = first_name(citizen.name)
    message = outbox.row(
        phone=recipient.phone, template=template, params=params,
        language=recipient.language, purpose="reminder", contact_kind=str(reminder.recipient_kind),
        contact_id=recipient.id, now=now,
    )
    queued.append((reminder, message))
    if reminder.asks_confirmation and reminder.recipient_kind == RecipientKind.citizen:
        report.asked.append((recipient.phone, reminder.appointment_id))


def _queue(session: Session, queued: list[tuple[Any, dict[str, Any]]], report: EnqueueReport,
           now: datetime) -> None:
    """Insert the composed messages in one go, then tie each reminder to its message."""
    if not queued:
        return
    ids = outbox.enqueue_rows(session, [message for _, message in queued])
    # One statement for the batch, executed by the driver for many rows: SQLAlchemy processing
    # each row's four values cost more than the update itself.
    connection = session.connection()
    dialect = connection.dialect
    status = outbox.driver_value(_REMINDERS, "status", dialect)(ReminderStatus.enqueued)
    updated = outbox.driver_value(_REMINDERS, "updated_at", dialect)(now)
    connection.exec_driver_sql(_mark_enqueued_sql(dialect), [
        (status, message_id, updated, reminder.id)
        for (reminder, _), message_id in zip(queued, ids, strict=True)
    ])
    report.enqueued += len(ids)
    report.message_ids.extend(ids)


_REMINDERS: Table = Reminder.__table__  # type: ignore[attr-defined]
# What composing a reminder's message reads of it.
_CLAIMED = tuple(_REMINDERS.c[name] for name in (
    "id", "appointment_id", "recipient_kind", "recipient_id", "template", "asks_confirmation"))
def _mark_enqueued_sql(dialect: Any) -> str:
    mark = outbox.placeholder(dialect)
    return (f"UPDATE reminder SET status = {mark}, reason = NULL, message_id = {mark}, "  # noqa: S608
            f"updated_at = {mark} WHERE id = {mark}")


# Still pending: a reminder is settled once, by whoever holds its claim.
_SETTLE = (
    update(_REMINDERS)
    .where(_REMINDERS.c.id == bindparam("b_id"), _REMINDERS.c.status == ReminderStatus.pending)
    .values(status=bindparam("b_status"), reason=bindparam("b_reason"), updated_at=bindparam("b_now"))
)


SENT_STATES = (MessageStatus.sent, MessageStatus.delivered)


# What became of a reminder's message -> what the reminder says (status, reason).
_OUTCOMES: tuple[tuple[tuple[MessageStatus, ...], ReminderStatus, str | None], ...] = (
    (SENT_STATES, ReminderStatus.sent, None),
    ((MessageStatus.cancelled,), ReminderStatus.skipped, NOT_REACHABLE),
    ((MessageStatus.failed, MessageStatus.undelivered), ReminderStatus.skipped, "not delivered"),
)


def settle_sent(engine: Engine, now: datetime) -> int:
    """Bring enqueued reminders in line with their message (sent, or never sent and why)."""
    changed = 0
    with Session(engine) as session:
        for states, status, reason in _OUTCOMES:
            # Correlated, so only the few enqueued reminders' messages are looked at (by key).
            outcome = exists().where(col(Message.id) == col(Reminder.message_id),
                                     col(Message.status).in_(states))
            result = session.exec(
                update(Reminder)
                .where(col(Reminder.status) == ReminderStatus.enqueued, outcome)
                .values(status=status, reason=reason, updated_at=now)
            )
            changed += int(result.rowcount or 0)
        session.commit()
    return changed


def revive_reachable(engine: Engine, now: datetime) -> int:
    """Future reminders skipped because the citizen could not be reached go back to pending once
    they can (they sent START, or staff gave them a number); returns how many."""
    with Session(engine) as session:
        rows = session.exec(
            select(Reminder)
            .join(Appointment, col(Appointment.id) == col(Reminder.appointment_id))
            .join(Citizen, col(Citizen.id) == col(Appointment.citizen_id))
            .where(
                Reminder.status == ReminderStatus.skipped,
                Reminder.reason == NOT_REACHABLE,
                Reminder.recipient_kind == RecipientKind.citizen,
                col(Reminder.due_at) > now,
                col(Appointment.status).in_(scheduling.ACTIVE),
                col(Citizen.opted_out).is_(False),
                col(Citizen.phone).is_not(None),
            )
            .limit(500)
            .with_for_update(**claim_clause(session), of=Reminder)
        ).all()
        for reminder in rows:
            _finish(session, reminder, ReminderStatus.pending, None, now)
        session.commit()
        return len(rows)
