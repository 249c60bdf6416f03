"""Effect handlers: what the conversation engine's sick-notice effects do to the records.

Registered in ``bot.wiring``. The receipt is queued here, not returned as a reply, so the
notice keeps a link to the very Message that carried it (its delivery status is evidence).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from bot.absences import service
from bot.absences.service import NoticeOptions
from bot.channels.models import Direction, Message
from bot.config import Settings
from bot.contacts.lookup import ContactRef
from bot.conversations.models import Conversation
from bot.conversations.registry import Reply, register_effect
from bot.i18n import N_

# An end further away than this is far more likely a misread date than a real sick leave.
MAX_DAYS_AHEAD = 60


def options_from(settings: Settings) -> NoticeOptions:
    return NoticeOptions(
        tz=settings.timezone,
        documentation_after_days=settings.sick_days_before_documentation,
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


def record_sick_notice_effect(
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
    options = options_from(settings)
    starts_on = _date(effect.get("starts_on")) or service.local_date(now, options.tz)
    message_id = effect.get("message_id")
    if message_id is None:
        inbound = _latest_inbound(session, conversation.phone, now)
        message_id = inbound.id if inbound else None
    appointment_id = effect.get("appointment_id")
    ends_on = _date(effect.get("ends_on"))
    if ends_on is not None and not starts_on <= ends_on <= starts_on + timedelta(days=MAX_DAYS_AHEAD):
        # A misread end must not lose the notice: record it open-ended; staff see the text.
        ends_on = None
    service.record_sick_notice(
        session,
        citizen_id=contact.id,
        starts_on=starts_on,
        ends_on=ends_on,
        text=(str(effect["text"]) if effect.get("text") else None),
        now=now,
        options=options,
        inbound_message_id=int(message_id) if message_id is not None else None,
        appointment_id=int(appointment_id) if appointment_id not in (None, "") else None,
    )
    return []  # the receipt is already queued, linked to the notice


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
    notice = service.end_sick_notice(session, citizen_id=contact.id, now=now, options=options_from(settings))
    if notice is None:
        return [Reply(N_("absence.none_open"))]
    return [Reply(N_("absence.ended"), {"reference": notice.reference}, purpose="receipt")]


def register() -> None:
    register_effect("record_sick_notice", record_sick_notice_effect)
    register_effect("end_sick_notice", end_sick_notice_effect)
