"""Effect handlers: what the conversation engine's sick-notice effects do to the records.

Listed in ``bot.sick_notices.domain``. The receipt is queued here, not returned as a reply, so the
notice keeps a link to the very Message that carried it (its delivery status is evidence).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from bot.channels.models import Direction, Message
from bot.config import Settings
from bot.contacts.lookup import ContactRef
from bot.conversations.models import Conversation
from bot.conversations.registry import Reply, register_effect
from bot.i18n import N_, NP_, day_param
from bot.reminders.config import build_policy
from bot.reminders.policy import Policy, next_allowed
from bot.sick_notices import cancellations, check_ins, service
from bot.sick_notices.models import SickNotice
from bot.sick_notices.service import NoticeOptions

# An end further away than this is far more likely a misread date than a real sick leave.
MAX_DAYS_AHEAD = 60


class _QuietHours:
    """``next_allowed`` under the policy staff set, read when a third party is first told: most
    notices tell nobody at a company or a centre, and the policy costs two reads."""

    def __init__(self, settings: Settings, session: Session | None) -> None:
        self._settings, self._session = settings, session
        self._policy: Policy | None = None

    def __call__(self, when: datetime) -> datetime:
        if self._policy is None:
            self._policy = build_policy(self._settings, session=self._session)
        return next_allowed(when, self._policy)


def options_from(settings: Settings, session: Session | None = None) -> NoticeOptions:
    """The notice options; with a ``session``, the quiet hours staff set in the panel."""
    return NoticeOptions(
        tz=settings.timezone,
        documentation_after_days=settings.sick_days_before_documentation,
        quiet_hours=_QuietHours(settings, session),
    )


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _latest_inbound(session: Session, phone: str, now: datetime) -> Message | None:
    return session.exec(
        select(Message)
        .where(Message.phone == phone, Message.direction == Direction.inbound)
        .where(col(Message.created_at) <= now)
        .order_by(col(Message.created_at).desc(), col(Message.id).desc())
    ).first()


def _inbound_of(session: Session, conversation: Conversation, effect: dict[str, Any],
                now: datetime) -> Message | None:
    message_id = effect.get("message_id")
    if message_id is not None:
        return session.get(Message, int(message_id))
    return _latest_inbound(session, conversation.phone, now)


def _reply_to(effect: dict[str, Any]) -> int | None:
    """The message the receipt answers: the one being read, when the record is an earlier one's."""
    value = effect.get("reply_to_id")
    return int(value) if value not in (None, "") else _message_id(effect)


def _message_id(effect: dict[str, Any]) -> int | None:
    value = effect.get("message_id")
    return int(value) if value not in (None, "") else None


def _sane_end(starts_on: date, ends_on: date | None) -> date | None:
    if ends_on is not None and not starts_on <= ends_on <= starts_on + timedelta(days=MAX_DAYS_AHEAD):
        # A misread end must not lose the notice: record it open-ended; staff see the text.
        return None
    return ends_on


def _acknowledge(notice: SickNotice, language: str) -> list[Reply]:
    """One line for a notice that was refined rather than made: it keeps its reference."""
    params: dict[str, Any] = {"start": day_param(notice.starts_on)}
    if notice.ends_on is None:
        return [Reply(N_("ack.sick_notice_open"), params)]
    days = (notice.ends_on - notice.starts_on).days + 1
    return [Reply(NP_("ack.sick_notice", "ack.sick_notice.plural"), {**params, "n": days})]


def record_sick_notice_effect(
    *,
    session: Session,
    contact: ContactRef,
    conversation: Conversation,
    effect: dict[str, Any],
    settings: Settings,
    now: datetime,
) -> list[Reply]:
    """Record the notice the moment the message is read, stamped with the message's arrival.

    A second "I'm sick" while a notice is open refines that notice instead of making another.
    """
    if contact.kind != "citizen":
        return []
    options = options_from(settings, session)
    inbound = _inbound_of(session, conversation, effect, now)
    received_at = inbound.created_at if inbound is not None and inbound.created_at else now
    starts_on = _date(effect.get("starts_on")) or service.local_date(received_at, options.tz)
    ends_on = _sane_end(starts_on, _date(effect.get("ends_on")))
    asks_length = bool(effect.get("asks_length"))
    arrival_day = service.local_date(received_at, options.tz)
    # The citizen and all their notices in one read: which is current, and (for a new notice)
    # how many days in a row they have been sick.
    with session.no_autoflush:  # nothing waiting to be written changes a notice
        _, notices = service.citizen_with_notices(session, contact.id)
    current = service.current_of(notices, day=arrival_day)
    if current is not None:
        if ends_on is not None:
            service.set_length(session, notice=current, ends_on=ends_on, now=now, options=options)
        if asks_length and current.ends_on is None:
            return [Reply(N_("flow.sick.ask_length"))]
        return _acknowledge(current, contact.language)
    appointment_id = effect.get("appointment_id")
    service.record_sick_notice(
        session,
        citizen_id=contact.id,
        starts_on=starts_on,
        ends_on=ends_on,
        text=(str(effect["text"]) if effect.get("text") else None),
        now=now,
        options=options,
        inbound_message_id=inbound.id if inbound is not None else None,
        appointment_id=int(appointment_id) if appointment_id not in (None, "") else None,
        received_at=received_at,
        asks_length=asks_length,
        earlier=notices,
        reply_to_id=_reply_to(effect),
    )
    return []  # the receipt is already queued, linked to the notice


def set_length_effect(
    *,
    session: Session,
    contact: ContactRef,
    conversation: Conversation,
    effect: dict[str, Any],
    settings: Settings,
    now: datetime,
) -> list[Reply]:
    """The answer to "how long?": 1 day, 2 days, a date, or still not known."""
    if contact.kind != "citizen":
        return []
    options = options_from(settings, session)
    notice = service.current_notice(session, citizen_id=contact.id, day=service.local_date(now, options.tz))
    if notice is None:
        return [Reply(N_("absence.none_open"))]
    days = effect.get("days")
    if days not in (None, ""):
        ends_on: date | None = notice.starts_on + timedelta(days=int(days) - 1)
    else:
        ends_on = _sane_end(notice.starts_on, _date(effect.get("ends_on")))
    service.set_length(session, notice=notice, ends_on=ends_on, now=now, options=options)
    return _acknowledge(notice, contact.language)


def sick_check_in_effect(
    *,
    session: Session,
    contact: ContactRef,
    conversation: Conversation,
    effect: dict[str, Any],
    settings: Settings,
    now: datetime,
) -> list[Reply]:
    """"Still sick?" answered yes, or left unanswered: the notice stays open; the item says which."""
    if contact.kind != "citizen":
        return []
    options = options_from(settings, session)
    notice = service.current_notice(session, citizen_id=contact.id, day=service.local_date(now, options.tz))
    if notice is None:
        return []
    check_ins.note_answer(session, notice=notice, answered=bool(effect.get("answered")), now=now,
                          tz=options.tz)
    return _acknowledge(notice, contact.language) if effect.get("answered") else []


def add_cancellation_reason_effect(
    *,
    session: Session,
    contact: ContactRef,
    conversation: Conversation,
    effect: dict[str, Any],
    settings: Settings,
    now: datetime,
) -> list[Reply]:
    """The reason for a cancellation; sickness turns the cancellation into a sick notice."""
    if contact.kind != "citizen":
        return []
    options = options_from(settings, session)
    cancellation = cancellations.awaiting_reason(session, citizen_id=contact.id, now=now)
    reason = str(effect.get("reason") or "")
    if cancellation is None:
        return [Reply(N_("ack.cancellation"))]
    if not effect.get("sick"):
        cancellations.add_reason(session, cancellation, reason=reason, now=now, tz=options.tz)
        return [Reply(N_("absence.reason_added"), {"reference": cancellation.reference})]
    starts_on = service.local_date(cancellation.received_at, options.tz)
    ends_on = _sane_end(starts_on, _date(effect.get("ends_on")))
    notice, new = cancellations.become_sick_notice(
        session, cancellation, reason=reason, ends_on=ends_on, now=now, options=options,
        asks_length=bool(effect.get("asks_length")), reply_to_id=_reply_to(effect),
    )
    if not new:
        # It joined a notice already open: no new receipt; ask how long if that is still open.
        if effect.get("asks_length") and notice.ends_on is None:
            return [Reply(N_("flow.sick.ask_length"))]
        return _acknowledge(notice, contact.language)
    return []  # the sick notice's receipt (asking how long when unknown) is queued


def end_sick_notice_effect(
    *,
    session: Session,
    contact: ContactRef,
    conversation: Conversation,
    effect: dict[str, Any],
    settings: Settings,
    now: datetime,
) -> list[Reply]:
    if contact.kind != "citizen":
        return []
    options = options_from(settings, session)
    notice = service.end_sick_notice(session, citizen_id=contact.id, now=now, options=options)
    if notice is None:
        return [Reply(N_("absence.none_open"))]
    return [Reply(N_("absence.ended"), {"reference": notice.reference}, purpose="receipt")]


EFFECTS = {
    "record_sick_notice": record_sick_notice_effect,
    "set_sick_notice_length": set_length_effect,
    "sick_check_in": sick_check_in_effect,
    "end_sick_notice": end_sick_notice_effect,
    "add_cancellation_reason": add_cancellation_reason_effect,
}


def register() -> None:
    """For tests that wire one domain by hand; the app takes ``EFFECTS`` from ``bot.sick_notices.domain``."""
    for kind, handler in EFFECTS.items():
        register_effect(kind, handler)
