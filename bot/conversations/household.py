"""A citizen's message, on a phone of their own or one the household shares.

On a shared phone nothing that concerns one person is recorded until it is clear whom it is
about: the name in the text ("Omar er syg", typos forgiven), the person a question just asked
is waiting for, or the answer to "Who is this about? 1 Amal 2 Omar". That question is the only
thing that may come before the record, and the record then follows at once, made from the
first message itself, so its arrival time is the one that counts (the effects carry its id).
An unanswered question leaves an item for the consultant: the statement is never lost.

STOP from a shared phone asks whether it is for everyone or one person; START restarts all.
On any phone, "my son is sick" is about someone else (``other_sick``), and photos and documents
get their receipt (``bot.media.documents``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.channels.models import OPT_OUT_CONFIRMATION, Message
from bot.config import Settings
from bot.contacts.models import Citizen
from bot.contacts.names import Person, choice_in, named_in
from bot.contacts.registry import ContactRef, citizens_of, set_opt_out
from bot.conversations import other_sick
from bot.conversations.flow_state import is_waiting, waits_for_words
from bot.conversations.models import Conversation
from bot.conversations.registry import Reply, Responder
from bot.conversations.responder import handle_global_command
from bot.flows.intents import classify, is_command
from bot.i18n import N_
from bot.items import service as items
from bot.items.models import ItemKind
from bot.media.documents import receipts_for

KEY = "household"
ALSO_ANSWERED = other_sick.ALSO_ANSWERED
MESSAGES = (N_("household.who"), N_("household.stop_who"), N_("household.stopped_one"))


def _state(conversation: Conversation) -> dict[str, Any]:
    value = (conversation.state or {}).get(KEY)
    return dict(value) if isinstance(value, dict) else {}


def _put(conversation: Conversation, value: dict[str, Any], now: datetime) -> None:
    state = {k: v for k, v in (conversation.state or {}).items() if k != KEY}
    if value:
        state[KEY] = value
    conversation.state = state
    conversation.updated_at = now


def _menu(people: list[ContactRef], first: int = 1) -> str:
    """"1 Amal 2 Omar": first names only, whoever else may read the phone."""
    return " ".join(f"{number} {ref.first_name}" for number, ref in enumerate(people, start=first))


def _people(session: Session, citizens: list[ContactRef]) -> list[Person]:
    rows = [session.get(Citizen, ref.id) for ref in citizens]
    return [
        Person(ref.id, ref.name, row.nickname if row else None)
        for ref, row in zip(citizens, rows, strict=True)
    ]


def respond_as(
    *, session: Session, contact: ContactRef, conversation: Conversation, message: Message,
    settings: Settings, now: datetime, responder: Responder,
) -> list[Reply]:
    """Read ``message`` as ``contact``'s: someone else sick, the flow, and a receipt for files."""
    message.contact_id = contact.id
    session.add(message)
    conversation.contact_id = contact.id
    receipts = receipts_for(session, message=message, citizen_id=contact.id, settings=settings,
                            language=contact.language, now=now)
    if receipts and not (message.body or "").strip():
        return receipts  # a photo alone: the receipt is the answer
    kwargs: dict[str, Any] = {"session": session, "contact": contact, "conversation": conversation,
                              "message": message, "now": now}
    replies = other_sick.answer(settings=settings, **kwargs)
    if replies is None and not waits_for_words(conversation, message.created_at or now):
        replies = other_sick.start(**kwargs)
    if replies is None:
        replies = list(responder(settings=settings, **kwargs))
    return [*replies, *receipts]


def _ask_who(session: Session, citizens: list[ContactRef], conversation: Conversation, message: Message,
             now: datetime) -> list[Reply]:
    _put(conversation, {"pending": message.id, "choices": [ref.id for ref in citizens]}, now)
    items.open(
        session, kind=ItemKind.handover, now=now, dedupe_key=f"shared_phone:{message.id}",
        summary=f"En besked fra en delt telefon ({_menu(citizens)}) venter på svar om, hvem den gælder.",
        phone=message.phone, message_id=message.id, citizen_id=citizens[0].id,
        details={"reason": "shared_phone"}, summary_id="shared_phone_who",
    )
    return [Reply(N_("household.who"), {"choices": _menu(citizens)})]


def _stop(session: Session, citizens: list[ContactRef], conversation: Conversation, text: str,
          now: datetime) -> tuple[list[Reply], ContactRef | None] | None:
    """The answer to "stop for whom?" (1 everyone, 2.. one person), or None when it is not one."""
    index = choice_in(text, len(citizens) + 1)
    _put(conversation, {}, now)
    if index is None:
        return None
    chosen = citizens if index == 0 else [citizens[index - 1]]
    set_opt_out(session, chosen, True, now=now)
    if index == 0:
        conversation.flow, conversation.wait_until = None, None
        return [Reply(N_("reply.stopped"), purpose=OPT_OUT_CONFIRMATION)], None
    reply = Reply(N_("household.stopped_one"), {"name": chosen[0].first_name}, purpose=OPT_OUT_CONFIRMATION)
    return [reply], chosen[0]


def waiting_person(session: Session, conversation: Conversation) -> ContactRef | None:
    """Whom the question waiting on ``conversation`` is about, on a shared phone.

    The clock's re-prompt and expiry act for that person (their record, their language, their
    first name), never simply for whoever was registered on the number first. None when the
    phone is not shared or nobody in particular is waiting.
    """
    citizens = citizens_of(session, conversation.phone)
    if len(citizens) < 2:
        return None
    by_id = {ref.id: ref for ref in citizens}
    for candidate in (_state(conversation).get("about"), conversation.contact_id):
        if isinstance(candidate, int) and candidate in by_id:
            return by_id[candidate]
    return None


def respond_shared(
    *, session: Session, citizens: list[ContactRef], conversation: Conversation, message: Message,
    settings: Settings, now: datetime, responder: Responder,
) -> tuple[list[Reply], ContactRef | None]:
    """What to answer a household's shared phone, and whom the message was about (if known)."""
    text = message.body or ""
    match = classify(text)
    state = _state(conversation)
    if match.intent == "start" and is_command(match):
        _put(conversation, {}, now)
        set_opt_out(session, citizens, False, now=now)
        return [Reply(N_("reply.started"))], None
    if state.get("stop"):
        stopped = _stop(session, citizens, conversation, text, now)
        if stopped is not None:
            return stopped
    if match.intent == "stop" and is_command(match):
        _put(conversation, {"stop": True}, now)
        return [Reply(N_("household.stop_who"), {"choices": _menu(citizens, first=2)})], None
    people = _people(session, citizens)
    by_id = {ref.id: ref for ref in citizens}
    pending = state.get("pending")
    if pending:
        choices = [by_id[i] for i in state.get("choices") or [] if i in by_id] or citizens
        index = choice_in(text, len(choices))
        chosen = choices[index] if index is not None else by_id.get(named_in(text, people) or -1)
        if chosen is not None:
            _put(conversation, {"about": chosen.id}, now)
            items.resolve_by_key(session, f"shared_phone:{pending}", now=now)
            first = session.get(Message, int(pending))
            if first is not None:
                message.contact_id = chosen.id
                # The record's receipt answers the first message; the pipeline sends it with ours.
                session.info.setdefault(ALSO_ANSWERED, []).append(first.id)
                replies = respond_as(session=session, contact=chosen, conversation=conversation,
                                     message=first, settings=settings, now=now, responder=responder)
                return replies, chosen
    named = by_id.get(named_in(text, people) or -1)
    about = by_id.get(state.get("about") or -1)
    if named is None and about is not None and is_waiting(conversation, now):
        named = about  # the answer to a question the flow asked that person
    if named is None and other_sick.answer_waiting(conversation):
        named = by_id.get(other_sick.waiting_for(conversation) or -1)
    if named is not None:
        _put(conversation, {"about": named.id}, now)
        replies = respond_as(session=session, contact=named, conversation=conversation, message=message,
                             settings=settings, now=now, responder=responder)
        return replies, named
    if is_command(match) and match.intent in ("help", "language", "person"):
        commands = handle_global_command(session=session, contact=citizens[0], conversation=conversation,
                                         message=message, settings=settings, now=now)
        if commands is not None:
            return commands, None
    return _ask_who(session, citizens, conversation, message, now), None


__all__ = ["respond_as", "respond_shared", "waiting_person"]
