"""Someone else is sick: "min søn er syg" is not the writer's sick notice.

It is recorded as nothing about the writer's health. The assistant asks whether it means the
writer cannot come (the usual reason: a parent stays home with a sick child) and tells the
consultant. "Yes" records a cancellation with that reason, stamped with the time the first
message arrived (the person told us then); "no" only thanks them. No answer leaves the
consultant's item, which is the point: a person looks at it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.channels.models import Message
from bot.config import Settings
from bot.contacts.models import Citizen
from bot.contacts.registry import ContactRef
from bot.conversations.models import Conversation
from bot.conversations.registry import Reply, effect_handler
from bot.conversations.someone_else import about_someone_else
from bot.flows.intents import classify
from bot.flows.normalize import normalise
from bot.i18n import N_
from bot.items import service as items
from bot.items.models import ItemKind

KEY = "other_sick"
# ``session.info`` key: earlier messages this one's processing answered (a record made from the
# first message receipts that message); the pipeline sends those receipts with this answer.
ALSO_ANSWERED = "also_answered"
REASON = "a family member is sick"
MESSAGES = (N_("other_sick.ask"), N_("other_sick.noted"))


def _state(conversation: Conversation) -> dict[str, Any] | None:
    value = (conversation.state or {}).get(KEY)
    return dict(value) if isinstance(value, dict) else None


def _put(conversation: Conversation, value: dict[str, Any] | None, now: datetime) -> None:
    state = {k: v for k, v in (conversation.state or {}).items() if k != KEY}
    if value is not None:
        state[KEY] = value
    conversation.state = state
    conversation.updated_at = now


def waiting_for(conversation: Conversation) -> int | None:
    """The citizen whose "does it mean you cannot come?" waits for an answer, if any."""
    pending = _state(conversation)
    return int(pending["citizen_id"]) if pending and pending.get("citizen_id") else None


def answer_waiting(conversation: Conversation) -> bool:
    return waiting_for(conversation) is not None


def _tell_consultant(session: Session, contact: ContactRef, message: Message, now: datetime) -> None:
    citizen = session.get(Citizen, contact.id)
    items.open(
        session,
        kind=ItemKind.handover,
        summary=f"{contact.name} skrev, at et familiemedlem er sygt: ring og hør, om det berører fremmødet.",
        now=now,
        dedupe_key=f"other_sick:{contact.id}:{message.id}",
        summary_id="other_sick",
        citizen_id=contact.id,
        assignee_id=citizen.consultant_id if citizen else None,
        phone=message.phone,
        message_id=message.id,
        details={"reason": KEY},
    )


def start(
    *, session: Session, contact: ContactRef, conversation: Conversation, message: Message, now: datetime
) -> list[Reply] | None:
    """Replies when ``message`` says someone else is sick, else None (read it as usual)."""
    if contact.kind != "citizen" or not about_someone_else(message.body or ""):
        return None
    _tell_consultant(session, contact, message, now)
    _put(conversation, {"message_id": message.id, "citizen_id": contact.id}, now)
    session.add(conversation)
    return [Reply(N_("other_sick.ask"))]


def answer(
    *, session: Session, contact: ContactRef, conversation: Conversation, message: Message,
    settings: Settings, now: datetime,
) -> list[Reply] | None:
    """The answer to "does it mean you cannot come?", or None when this is not one."""
    pending = _state(conversation)
    if pending is None or pending.get("citizen_id") != contact.id:
        return None
    text = normalise(message.body or "")
    intent = classify(message.body or "").intent
    yes = text == "1" or (intent == "yes" and text != "2")
    no = text == "2" or intent == "no"
    if not (yes or no):
        _put(conversation, None, now)  # something else: read it as a message of its own
        session.add(conversation)
        return None
    _put(conversation, None, now)
    session.add(conversation)
    if not yes:
        return [Reply(N_("other_sick.noted"))]
    first = session.get(Message, int(pending["message_id"]))
    session.info.setdefault(ALSO_ANSWERED, []).append(int(pending["message_id"]))
    effect = {
        "kind": "record_cancellation", "appointment_id": None, "reason": REASON, "chosen": None,
        "expired": None, "asked_which": None, "cancellation_id": None,
        "text": first.body if first is not None else None, "message_id": pending["message_id"],
        "ack": "flow.decline.ask_reason",
    }
    handler = effect_handler("record_cancellation")
    if handler is None:
        return [Reply(N_("other_sick.noted"))]
    return list(handler(session=session, contact=contact, conversation=conversation, effect=effect,
                        settings=settings, now=now))


__all__ = ["REASON", "answer", "answer_waiting", "start", "waiting_for"]
