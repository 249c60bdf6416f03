"""Effect handlers: a citizen's answers to reminders, and "when is my next appointment?".

The conversation engine tells us what the citizen meant (confirm, cannot come with a reason,
next appointments); these handlers find the appointment, record the answer and reply.
A reply without a known appointment goes to the nearest open appointment whose reminder asked.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from bot.config import Settings
from bot.contacts.lookup import ContactRef
from bot.contacts.models import Citizen
from bot.conversations.models import Conversation
from bot.conversations.registry import Reply, register_effect
from bot.conversations.responder import expect_attendance_reply
from bot.i18n import N_, render
from bot.items import service as items
from bot.items.models import ItemKind
from bot.reminders import service, texts
from bot.reminders.models import (
    Appointment,
    Confirmation,
    Reminder,
    ReminderStatus,
)
from bot.reminders.scheduling import ACTIVE
from bot.reminders.unconfirmed import item_key

# An answer that arrives just after the start ("sorry, I can't come") still belongs to it.
ANSWER_GRACE = timedelta(hours=1)
SENT = (ReminderStatus.enqueued, ReminderStatus.sent)


def open_asked(session: Session, citizen_id: int, now: datetime) -> list[Appointment]:
    """The citizen's open appointments whose reminder asked "are you coming?", nearest first."""
    asked = select(Reminder.appointment_id).where(
        Reminder.asks_confirmation == True,  # noqa: E712 - SQL expression
        col(Reminder.status).in_(SENT),
    )
    query = (
        select(Appointment)
        .where(
            Appointment.citizen_id == citizen_id,
            col(Appointment.status).in_(ACTIVE),
            col(Appointment.starts_at) > now - ANSWER_GRACE,
            col(Appointment.id).in_(asked),
        )
        .order_by(col(Appointment.starts_at), col(Appointment.id))
        .limit(5)
    )
    return list(session.exec(query).all())


def resolve_appointment(
    session: Session, contact: ContactRef, effect: dict[str, Any], now: datetime
) -> Appointment | None:
    """The appointment an answer is about: the one the conversation names, if it is still open
    and the citizen's, else the nearest open one that asked (unanswered ones first)."""
    named = effect.get("appointment_id")
    if named not in (None, ""):
        appointment = session.get(Appointment, int(named))
        if (appointment is not None and appointment.citizen_id == contact.id
                and appointment.status in ACTIVE and appointment.starts_at > now - ANSWER_GRACE):
            return appointment
    candidates = open_asked(session, contact.id, now)
    unanswered = [a for a in candidates if a.confirmation == Confirmation.none]
    chosen = unanswered or candidates
    return chosen[0] if chosen else None


def ambiguous(
    session: Session, contact: ContactRef, effect: dict[str, Any], now: datetime
) -> list[Appointment]:
    """Several appointments wait for an answer and the conversation does not say which: all of them."""
    if effect.get("appointment_id") not in (None, ""):
        return []
    unanswered = [a for a in open_asked(session, contact.id, now) if a.confirmation == Confirmation.none]
    return unanswered if len(unanswered) > 1 else []


def _when(appointment: Appointment, language: str, zone: str) -> dict[str, Any]:
    return {
        "day": texts.day(appointment.starts_at, language, zone),
        "time": texts.time_of(appointment.starts_at, language, zone),
        "what": texts.what(appointment, language),
    }


def confirm_appointment(
    *, session: Session, contact: ContactRef, conversation: Conversation, effect: dict[str, Any],
    settings: Settings, now: datetime,
) -> list[Reply]:
    several = ambiguous(session, contact, effect, now)
    if several:
        # Ask about the nearest one by name; the answer then goes to it (and the next reminder
        # asks about the other).
        first = several[0]
        assert first.id is not None
        expect_attendance_reply(session, conversation, appointment_id=first.id, settings=settings, now=now)
        return [Reply(N_("reminder.which_coming"), _when(first, contact.language, settings.timezone))]
    appointment = resolve_appointment(session, contact, effect, now)
    if appointment is None:
        return [Reply(N_("reminder.no_open_appointment"))]
    appointment.confirmation = Confirmation.confirmed
    appointment.confirmed_at = now
    appointment.updated_at = now
    session.add(appointment)
    items.resolve_by_key(session, item_key(appointment.id), now=now)
    return [Reply(N_("reminder.confirmed"), _when(appointment, contact.language, settings.timezone))]


def decline_appointment(
    *, session: Session, contact: ContactRef, conversation: Conversation, effect: dict[str, Any],
    settings: Settings, now: datetime,
) -> list[Reply]:
    """"No, I can't come": noted; the conversation goes on to ask why."""
    appointment = resolve_appointment(session, contact, effect, now)
    if appointment is None:
        return [Reply(N_("reminder.no_open_appointment"))]
    appointment.confirmation = Confirmation.declined
    appointment.updated_at = now
    session.add(appointment)
    return []


def record_cancellation(
    *, session: Session, contact: ContactRef, conversation: Conversation, effect: dict[str, Any],
    settings: Settings, now: datetime,
) -> list[Reply]:
    """A cancellation (afbud) with the citizen's reason; the consultant gets an open item."""
    appointment = resolve_appointment(session, contact, effect, now)
    if appointment is None:
        return [Reply(N_("reminder.no_open_appointment"))]
    reason = str(effect.get("reason") or "").strip()
    appointment.confirmation = Confirmation.declined
    appointment.cancel_reason = reason or None
    appointment.updated_at = now
    session.add(appointment)
    for reminder in service.pending_reminders(session, appointment.id or 0):
        reminder.status = ReminderStatus.cancelled
        reminder.reason = "the citizen cancelled (afbud)"
        reminder.updated_at = now
        session.add(reminder)
    items.resolve_by_key(session, item_key(appointment.id), now=now)
    citizen = session.get(Citizen, appointment.citizen_id)
    staff_view = _when(appointment, "da", settings.timezone)
    # Without a named appointment and with several waiting for an answer, staff should check.
    others = [] if effect.get("appointment_id") else [
        a.id for a in open_asked(session, contact.id, now)
        if a.id != appointment.id and a.confirmation == Confirmation.none
    ]
    note = f" Borgeren kan også mene aftale {', '.join(map(str, others))}." if others else ""
    items.open(
        session,
        kind=ItemKind.cancellation,
        summary=(f"Afbud fra {contact.name}: {staff_view['what']} {staff_view['day']} kl. "
                 f"{staff_view['time']}. Begrundelse: {reason or '(ingen)'}.{note}"),
        now=now,
        dedupe_key=f"reminders.cancellation:appointment:{appointment.id}",
        citizen_id=appointment.citizen_id,
        assignee_id=citizen.consultant_id if citizen else None,
        details={"appointment_id": appointment.id, "reason": reason, "may_mean": others},
        due_at=min(appointment.starts_at, now + timedelta(days=1)),
    )
    when = _when(appointment, contact.language, settings.timezone)
    return [Reply(N_("reminder.cancellation_recorded"), when)]


def next_appointments(
    *, session: Session, contact: ContactRef, conversation: Conversation, effect: dict[str, Any],
    settings: Settings, now: datetime,
) -> list[Reply]:
    return [next_appointments_reply(session, citizen_id=contact.id, language=contact.language,
                                    zone=settings.timezone, now=now)]


def next_appointments_reply(session: Session, *, citizen_id: int, language: str, zone: str,
                            now: datetime) -> Reply:
    """The next three appointments with day, time and place, one line each."""
    upcoming = service.next_appointments(session, citizen_id=citizen_id, now=now, limit=3)
    if not upcoming:
        return Reply(N_("reminder.no_appointments"))
    lines = [
        render(N_("reminder.next_line"), language, {**_when(a, language, zone), "place": a.location or ""})
        .rstrip(", ")
        for a in upcoming
    ]
    return Reply(N_("reminder.next_appointments"), {"lines": "\n".join(lines)})


def register() -> None:
    register_effect("confirm_appointment", confirm_appointment)
    register_effect("decline_appointment", decline_appointment)
    register_effect("record_cancellation", record_cancellation)
    register_effect("next_appointments", next_appointments)
