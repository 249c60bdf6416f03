"""Effect handlers: a citizen's answers to reminders, and "when is my next appointment?".

The conversation engine tells us what the citizen meant (confirm, cannot come with a reason,
next appointments); these handlers find the appointment, record the answer and reply.
A reply without a known appointment goes to the nearest open appointment whose reminder asked;
when several asked and none is answered yet, the assistant lists them and the citizen picks one
by number (the citizen flow's ``which_appointment`` entry), and the answer lands on that one.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from bot.attendance.attendance import UNREAD, Unread
from bot.attendance.models import Attendance
from bot.channels.models import Message
from bot.config import Settings
from bot.contacts.lookup import ContactRef
from bot.contacts.models import Citizen
from bot.conversations.flow_state import CITIZEN_FLOW, end_flow
from bot.conversations.models import Conversation
from bot.conversations.registry import Reply, register_effect
from bot.conversations.responder import apply_result
from bot.flows.definition import load_flow
from bot.flows.engine import Inbound, start
from bot.i18n import N_, format_datetime, render
from bot.items import service as items
from bot.reminders import service, texts
from bot.reminders.models import (
    Appointment,
    Confirmation,
    Reminder,
    ReminderStatus,
)
from bot.reminders.named_days import appointments_on, named_days
from bot.reminders.scheduling import ACTIVE
from bot.reminders.unconfirmed import item_key
from bot.sick_notices import cancellations
from bot.sick_notices.models import Cancellation

# An answer that arrives just after the start ("sorry, I can't come") still belongs to it.
ANSWER_GRACE = timedelta(hours=1)
# "I can't come" with no reminder asking: the appointment it most likely means starts within this.
UNASKED_HORIZON = timedelta(hours=36)
SENT = (ReminderStatus.enqueued, ReminderStatus.sent)
# The numbered "which appointment?" question lists at most this many (3 SMS segments in Arabic).
MAX_LISTED = 3
WHICH_ENTRY = "which_appointment"


def _asked(citizen_id: int, now: datetime) -> Any:
    asked = select(Reminder.appointment_id).where(
        Reminder.asks_confirmation == True,  # noqa: E712 - SQL expression
        col(Reminder.status).in_(SENT),
    )
    return (
        Appointment.citizen_id == citizen_id,
        col(Appointment.status).in_(ACTIVE),
        col(Appointment.starts_at) > now - ANSWER_GRACE,
        col(Appointment.id).in_(asked),
    )


_NEAREST_FIRST = (col(Appointment.starts_at), col(Appointment.id))


def open_asked(session: Session, citizen_id: int, now: datetime) -> list[Appointment]:
    """The citizen's open appointments whose reminder asked "are you coming?", nearest first."""
    query = select(Appointment).where(*_asked(citizen_id, now)).order_by(*_NEAREST_FIRST).limit(5)
    return list(session.exec(query).all())


class Asked:
    """``open_asked`` for one citizen and moment, read once however often a handler asks, with
    each appointment's outcome so far and the citizen. It keeps them in the session's identity
    map, so the appointment the conversation names and the citizen are found there, not read
    again."""

    def __init__(self, session: Session, citizen_id: int, now: datetime) -> None:
        self._session, self._citizen_id, self._now = session, citizen_id, now
        self._found: list[Appointment] | None = None
        self._outcomes: dict[int, Attendance | None] = {}
        self._citizen: Citizen | None = None

    def __call__(self) -> list[Appointment]:
        if self._found is None:
            query = (
                select(Appointment, Attendance, Citizen)
                .join(Citizen, col(Citizen.id) == col(Appointment.citizen_id))
                .outerjoin(Attendance, col(Attendance.appointment_id) == col(Appointment.id))
                .where(*_asked(self._citizen_id, self._now))
                .order_by(*_NEAREST_FIRST)
                .limit(5)
            )
            rows = self._session.exec(query).all()
            self._found = [appointment for appointment, _, _ in rows]
            self._outcomes = {a.id: outcome for a, outcome, _ in rows if a.id is not None}
            self._citizen = rows[0][2] if rows else None
        return self._found

    def outcome_of(self, appointment: Appointment | None) -> Attendance | Unread | None:
        """Its outcome as read with the others (``UNREAD``: not among them)."""
        if appointment is None or appointment.id not in self._outcomes:
            return UNREAD
        return self._outcomes[appointment.id]


def _named(
    session: Session, contact: ContactRef, effect: dict[str, Any], now: datetime
) -> Appointment | None:
    """The appointment the conversation names, if it is still open and the citizen's."""
    named = effect.get("appointment_id")
    if named in (None, ""):
        return None
    appointment = session.get(Appointment, int(named))
    if (appointment is not None and appointment.citizen_id == contact.id
            and appointment.status in ACTIVE and appointment.starts_at > now - ANSWER_GRACE):
        return appointment
    return None


def resolve_appointment(
    session: Session, contact: ContactRef, effect: dict[str, Any], now: datetime
) -> Appointment | None:
    """The appointment an answer is about: the one the conversation names, if it is still open
    and the citizen's, else the nearest open one that asked (unanswered ones first)."""
    named = _named(session, contact, effect, now)
    if named is not None or effect.get("chosen"):
        # Picked from the list but cancelled or past since: never guess another one.
        return named
    candidates = open_asked(session, contact.id, now)
    unanswered = [a for a in candidates if a.confirmation == Confirmation.none]
    chosen = unanswered or candidates
    return chosen[0] if chosen else None


def ambiguous(
    session: Session, contact: ContactRef, effect: dict[str, Any], now: datetime, asked: Asked | None = None
) -> list[Appointment]:
    """Several appointments wait for an answer and the answer does not say which: the nearest
    few of them (empty when the answer is clear).

    A conversation that names an appointment (the latest reminder's) is not enough when an
    older reminder is still unanswered: a late "yes" may be meant for either. An answer that
    came from the numbered question, or a question that went unanswered, is never asked again.
    """
    if effect.get("chosen") or effect.get("expired") or effect.get("asked_which"):
        return []
    asked = asked or Asked(session, contact.id, now)
    waiting = [a for a in asked() if a.confirmation == Confirmation.none]
    named = _named(session, contact, effect, now)
    if named is not None and all(a.id != named.id for a in waiting):
        waiting = sorted([*waiting, named], key=lambda a: (a.starts_at, a.id or 0))
    return waiting[:MAX_LISTED] if len(waiting) > 1 else []


def _when(appointment: Appointment, language: str, zone: str) -> dict[str, Any]:
    return {
        "day": texts.day_of(appointment.starts_at, zone),
        "time": texts.time_param(appointment.starts_at, zone),
        "what": texts.what_param(appointment),
    }


def which_lines(appointments: list[Appointment], language: str, zone: str) -> str:
    """One short numbered line per appointment: "1 Danish class Tue 09:00"."""
    return "\n".join(
        render(N_("reminder.which_line"), language, {
            "number": str(number),
            "what": texts.what(appointment, language),
            "day": format_datetime(appointment.starts_at, language, zone, "EEE"),
            "time": texts.time_of(appointment.starts_at, language, zone),
        })
        for number, appointment in enumerate(appointments, 1)
    )


def ask_which(
    session: Session, contact: ContactRef, conversation: Conversation, settings: Settings,
    now: datetime, several: list[Appointment], answer: dict[str, Any],
) -> list[Reply]:
    """Put the conversation on the numbered "which appointment?" question; ``answer`` is what the
    citizen said (``action`` yes or cancel, the ``reason``), applied once they pick."""
    data: dict[str, Any] = {
        **answer,
        "which_lines": which_lines(several, contact.language, settings.timezone),
        **{f"which_{number}": a.id for number, a in enumerate(several, 1)},
    }
    result = start(load_flow(CITIZEN_FLOW), WHICH_ENTRY, data, now, Inbound(timezone=settings.timezone))
    return apply_result(session, contact, conversation, result, settings, now)


def confirm_appointment(
    *, session: Session, contact: ContactRef, conversation: Conversation, effect: dict[str, Any],
    settings: Settings, now: datetime,
) -> list[Reply]:
    several = ambiguous(session, contact, effect, now)
    if several:
        answer = {"action": "yes", "text": effect.get("text")}
        return ask_which(session, contact, conversation, settings, now, several, answer)
    appointment = resolve_appointment(session, contact, effect, now)
    if appointment is None and not effect.get("chosen") and not _bare_number(effect):
        # "I'm coming" with no reminder asking: the appointment in progress or the next within a day.
        appointment = _nearest_upcoming(session, contact.id, arrival_of(session, effect, now))
    if appointment is None:
        return [Reply(N_("reminder.no_open_appointment"))]
    appointment.confirmation = Confirmation.confirmed
    appointment.confirmed_at = now
    appointment.updated_at = now
    session.add(appointment)
    items.resolve_by_key(session, item_key(appointment.id), now=now)
    return [Reply(N_("reminder.confirmed"), _when(appointment, contact.language, settings.timezone))]


def arrival_of(session: Session, effect: dict[str, Any], now: datetime) -> datetime:
    """When the message behind ``effect`` was stored: the time the citizen's word counts from."""
    message_id = effect.get("message_id")
    message = session.get(Message, int(message_id)) if message_id not in (None, "") else None
    return message.created_at if message is not None and message.created_at else now


def _nearest_upcoming(session: Session, citizen_id: int, received_at: datetime) -> Appointment | None:
    """Nobody asked, but they cannot come: the appointment in progress or the next within a day."""
    query = (
        select(Appointment)
        .where(Appointment.citizen_id == citizen_id, col(Appointment.status).in_(ACTIVE),
               col(Appointment.starts_at) > received_at - ANSWER_GRACE,
               col(Appointment.starts_at) <= received_at + UNASKED_HORIZON)
        .order_by(col(Appointment.starts_at), col(Appointment.id))
    )
    return session.exec(query).first()


def record_cancellation(
    *, session: Session, contact: ContactRef, conversation: Conversation, effect: dict[str, Any],
    settings: Settings, now: datetime,
) -> list[Reply]:
    """A cancellation (afbud): recorded at once with its reference; the receipt asks why.

    When several appointments wait for an answer, the record is made now without one and the
    citizen picks by number; unanswered, it goes on the nearest and staff see the others.
    """
    if contact.kind != "citizen":
        return []
    zone = settings.timezone
    existing = _existing(session, contact, effect)
    settled = existing is not None and existing.appointment_id is not None
    days = (None if settled or existing is not None or effect.get("chosen")
            else named_days(effect, arrival_of(session, effect, now), zone))
    if days is not None:
        return _cancel_named_days(session, contact, conversation, effect, settings, now, days)
    # Nothing below changes which appointments asked until the cancellation is linked.
    asked = Asked(session, contact.id, now)
    several = [] if settled else ambiguous(session, contact, effect, now, asked)
    if several and existing is None:
        pending = cancellations.record(
            session, citizen_id=contact.id, appointment=None, received_at=arrival_of(session, effect, now),
            now=now, tz=zone, reason=effect.get("reason"), inbound_message_id=_message_id(effect),
            may_mean=[a.id for a in several if a.id is not None],
        )
        answer = {"action": "cancel", "reason": effect.get("reason"), "cancellation_id": pending.id}
        return ask_which(session, contact, conversation, settings, now, several, answer)
    if existing is None and not several and _bare_number(effect) and not _anything_to_cancel(
            session, contact, effect, now):
        # A lone "2" with nothing asked and nothing coming up is no statement about anything.
        end_flow(conversation, now)
        return [Reply(N_("reminder.no_open_appointment"))]
    received_at = existing.received_at if existing is not None else arrival_of(session, effect, now)
    appointment = resolve_appointment(session, contact, effect, received_at)
    if appointment is None and not effect.get("chosen"):
        appointment = _nearest_upcoming(session, contact.id, received_at)
    if existing is None:
        # Recorded with its appointment and receipt at once (one insert, no updates after it).
        cancellations.record_by_sms(
            session, citizen_id=contact.id, appointment=appointment, received_at=received_at, now=now,
            tz=zone, reason=effect.get("reason"), inbound_message_id=_message_id(effect),
            may_mean=_may_mean(appointment, [], asked, effect), reply_to_id=_reply_to(effect),
            outcome=asked.outcome_of(appointment),
        )
        return []
    if appointment is not None and existing.appointment_id != appointment.id:
        cancellations.link(session, existing, appointment, now=now, tz=zone,
                           may_mean=_may_mean(appointment, existing.may_mean, asked, effect))
    asks_reason = existing.reason is None
    cancellations.send_receipt(session, existing, now=now, tz=zone, asks_reason=asks_reason,
                               reply_to_id=_reply_to(effect))
    return []


def _cancel_named_days(
    session: Session, contact: ContactRef, conversation: Conversation, effect: dict[str, Any],
    settings: Settings, now: datetime, days: tuple[date, date],
) -> list[Reply]:
    """"Not tomorrow": that day's one appointment, a question when it has several, and none (for
    staff to place) when it has none, never an appointment of another day."""
    received_at = arrival_of(session, effect, now)
    found = appointments_on(session, contact.id, days, zone=settings.timezone, received_at=received_at)
    named = _named(session, contact, effect, received_at)
    if named is not None and named in found:
        found = [named]  # "not today" to a reminder that asked about today's class: that class
    if len(found) > 1:
        pending = cancellations.record(
            session, citizen_id=contact.id, appointment=None, received_at=received_at, now=now,
            tz=settings.timezone, reason=effect.get("reason"), inbound_message_id=_message_id(effect),
            may_mean=[a.id for a in found if a.id is not None],
        )
        answer = {"action": "cancel", "reason": effect.get("reason"), "cancellation_id": pending.id}
        return ask_which(session, contact, conversation, settings, now, found[:MAX_LISTED], answer)
    cancellations.record_by_sms(
        session, citizen_id=contact.id, appointment=found[0] if found else None, received_at=received_at,
        now=now, tz=settings.timezone, reason=effect.get("reason"), inbound_message_id=_message_id(effect),
        reply_to_id=_reply_to(effect),
    )
    return []


def _may_mean(appointment: Appointment | None, earlier: list[int], asked: Asked,
              effect: dict[str, Any]) -> list[int]:
    """Unless the citizen picked it from the list, staff should check the others still waiting."""
    if appointment is None or effect.get("chosen"):
        return []
    others = [a.id for a in asked()
              if a.id is not None and a.id != appointment.id and a.confirmation == Confirmation.none]
    return list(dict.fromkeys([*earlier, *others]))


def _bare_number(effect: dict[str, Any]) -> bool:
    return str(effect.get("text") or "").strip().isdigit()


def _anything_to_cancel(session: Session, contact: ContactRef, effect: dict[str, Any], now: datetime) -> bool:
    received_at = arrival_of(session, effect, now)
    return (resolve_appointment(session, contact, effect, received_at) is not None
            or _nearest_upcoming(session, contact.id, received_at) is not None)


def _reply_to(effect: dict[str, Any]) -> int | None:
    """The message the receipt answers: the one being read, when the record is an earlier one's."""
    value = effect.get("reply_to_id")
    return int(value) if value not in (None, "") else _message_id(effect)


def _message_id(effect: dict[str, Any]) -> int | None:
    value = effect.get("message_id")
    return int(value) if value not in (None, "") else None


def _existing(session: Session, contact: ContactRef, effect: dict[str, Any]) -> Cancellation | None:
    """The cancellation recorded before the citizen was asked which appointment they meant."""
    value = effect.get("cancellation_id")
    found = session.get(Cancellation, int(value)) if value not in (None, "") else None
    return found if found is not None and found.citizen_id == contact.id else None


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


EFFECTS = {
    "confirm_appointment": confirm_appointment,
    "record_cancellation": record_cancellation,
    "next_appointments": next_appointments,
}


def register() -> None:
    """For tests that wire one domain by hand; the app takes ``EFFECTS`` from ``bot.reminders.domain``."""
    for kind, handler in EFFECTS.items():
        register_effect(kind, handler)
