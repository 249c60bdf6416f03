"""The citizen's responder: global commands first, then the citizen flow, then its effects.

The flow engine is pure; this module is where its state is stored on the Conversation row,
its effects go to the domain handlers registered in ``bot.wiring`` and its replies become
``Reply`` objects for the outbox.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from sqlmodel import Session

from bot.channels.models import OPT_OUT_CONFIRMATION, Message
from bot.config import Settings
from bot.contacts.lookup import ContactRef
from bot.contacts.models import Citizen, EmployerContact
from bot.contacts.registry import set_opt_out
from bot.conversations.flow_state import CITIZEN_FLOW, end_flow, save_state
from bot.conversations.models import Conversation
from bot.conversations.registry import Reply, effect_handler
from bot.flows.definition import load_flow
from bot.flows.engine import Inbound, Result, advance, wait_until
from bot.flows.intents import Match, classify, is_command
from bot.flows.normalize import normalise
from bot.i18n import LANGUAGES, N_, NP_, format_date
from bot.language_detect import detect

# Sent even to a contact who has just opted out: the one confirmation STOP deserves.
OPT_OUT_PURPOSE = OPT_OUT_CONFIRMATION
# The order of the numbered language menu (reply.language_menu lists them in this order).
MENU_ORDER: tuple[str, ...] = LANGUAGES

GLOBAL_MESSAGES = (
    N_("reply.help"),
    N_("reply.stopped"),
    N_("reply.started"),
    N_("reply.language_menu"),
    N_("reply.language_set"),
    N_("reply.language_offer"),
    N_("reply.other_language"),
    N_("flow.handover"),
    N_("flow.not_understood"),
)


def language_name(code: str, in_language: str) -> str:
    """The name of language ``code`` in ``in_language`` (its own name when they are the same)."""
    try:
        name = Locale.parse(in_language).languages.get(code)
    except Exception:
        name = None
    return name or Locale.parse(code).get_display_name(code) or code


def _holder(session: Session, contact: ContactRef) -> Citizen | EmployerContact | None:
    if contact.kind == "citizen":
        return session.get(Citizen, contact.id)
    if contact.kind == "employer_contact":
        return session.get(EmployerContact, contact.id)
    return None


def _set_opt_out(session: Session, contact: ContactRef, opted_out: bool, now: datetime) -> None:
    set_opt_out(session, [contact], opted_out, now=now)


def _set_language(session: Session, contact: ContactRef, language: str) -> None:
    holder = _holder(session, contact)
    if holder is not None:
        holder.language = language
        session.add(holder)


def _language_set(
    session: Session, contact: ContactRef, conversation: Conversation, language: str, now: datetime
) -> list[Reply]:
    _set_language(session, contact, language)
    save_state(conversation, {"language_menu": None, "language_offer": None, "language_checked": True}, now)
    return [
        Reply(N_("reply.language_set"), {"language": language_name(language, language)}, language=language)
    ]


def _pending_language_answer(
    session: Session, contact: ContactRef, conversation: Conversation, text: str, now: datetime
) -> list[Reply] | None:
    state = conversation.state or {}
    answer = normalise(text)
    number = int(answer) if answer.isdigit() and len(answer) < 3 else None
    if state.get("language_menu"):
        save_state(conversation, {"language_menu": None}, now)
        if number is not None and 1 <= number <= len(MENU_ORDER):
            return _language_set(session, contact, conversation, MENU_ORDER[number - 1], now)
    offer = state.get("language_offer")
    if offer:
        save_state(conversation, {"language_offer": None}, now)
        if number == 1:
            return _language_set(session, contact, conversation, str(offer), now)
        if number == 2:
            # They keep their language: say so in it, so the "2" does not go unanswered.
            return _language_set(session, contact, conversation, contact.language, now)
    return None


def handle_global_command(
    *,
    session: Session,
    contact: ContactRef,
    conversation: Conversation,
    message: Message,
    settings: Settings,
    now: datetime,
) -> list[Reply] | None:
    """STOP, START, HELP, LANGUAGE, a language's name and PERSON, for any kind of contact.

    Returns the replies when the message was a command, or None when the caller should read
    the message itself.
    """
    text = message.body or ""
    match = classify(text)
    if match.intent == "start" and is_command(match):
        if contact.opted_out:
            _set_opt_out(session, contact, False, now)
        return [Reply(N_("reply.started"))]
    # An opted-out contact who writes is still read: STOP ends what we send of our own accord,
    # not what they tell us. A sick notice after STOP is recorded and answered like any other.
    if match.intent == "stop" and is_command(match):
        _set_opt_out(session, contact, True, now)
        end_flow(conversation, now)
        return [Reply(N_("reply.stopped"), purpose=OPT_OUT_PURPOSE)]
    pending = _pending_language_answer(session, contact, conversation, text, now)
    if pending is not None:
        return pending
    if match.language_choice:
        return _language_set(session, contact, conversation, match.language_choice, now)
    if not is_command(match):
        return None
    if match.intent == "help":
        return [Reply(N_("reply.help"))]
    if match.intent == "language":
        save_state(conversation, {"language_menu": True}, now)
        return [Reply(N_("reply.language_menu"))]
    # person: whatever was going on, a person takes over.
    end_flow(conversation, now)
    effect = {"kind": "handover", "reason": "asked", "text": text}
    return [*_apply_effect(session, contact, conversation, effect, settings, now), Reply(N_("flow.handover"))]


def neutral_ack(effect: dict[str, Any], language: str) -> list[Reply]:
    """What to answer when no domain handles ``effect``: the step's acknowledgement, nothing opened."""
    ack = effect.get("ack")
    if not ack:
        return []
    sick = effect.get("kind") in ("record_sick_notice", "set_sick_notice_length")
    if not sick or not effect.get("starts_on") or effect.get("asks_length"):
        return [Reply(str(ack))]
    starts_on = date.fromisoformat(str(effect["starts_on"]))
    params: dict[str, Any] = {"start": format_date(starts_on, language)}
    days = int(effect["days"]) if effect.get("days") else None
    if days is None and effect.get("ends_on"):
        days = (date.fromisoformat(str(effect["ends_on"])) - starts_on).days + 1
    if days:
        return [Reply(NP_("ack.sick_notice", "ack.sick_notice.plural"), {**params, "n": days})]
    return [Reply(str(ack), params)]


def _apply_effect(
    session: Session,
    contact: ContactRef,
    conversation: Conversation,
    effect: dict[str, Any],
    settings: Settings,
    now: datetime,
) -> list[Reply]:
    handler = effect_handler(str(effect["kind"]))
    if handler is None:
        # Nobody handles it yet: a neutral acknowledgement, and nothing is opened.
        return neutral_ack(effect, contact.language)
    # An empty answer means the domain handled it and had nothing to add (or queued its own).
    return list(
        handler(
            session=session,
            contact=contact,
            conversation=conversation,
            effect=effect,
            settings=settings,
            now=now,
        )
    )


def apply_result(
    session: Session,
    contact: ContactRef,
    conversation: Conversation,
    result: Result,
    settings: Settings,
    now: datetime,
    message_id: int | None = None,
) -> list[Reply]:
    """Store the engine's new state, apply its effects and collect every reply.

    ``message_id`` is the inbound message that caused them: effects carry it so a record
    (a sick notice, a cancellation) links to its own message even when messages are
    processed out of order after a crash.
    """
    conversation.flow = result.state.get("flow")
    conversation.wait_until = wait_until(result.state)
    save_state(conversation, {"engine": result.state or None}, now)
    session.add(conversation)
    replies = [Reply(mid, params) for mid, params in result.replies]
    for effect in result.effects:
        if message_id is not None and effect.get("message_id") is None:
            effect = {**effect, "message_id": message_id}
        elif message_id is not None and effect.get("message_id") != message_id:
            # Recorded from an earlier message ("sygg" made clear by "1"): the receipt still
            # answers the message being read now.
            effect = {**effect, "reply_to_id": message_id}
        replies.extend(_apply_effect(session, contact, conversation, effect, settings, now))
    return replies


def _first_contact_offer(
    contact: ContactRef, conversation: Conversation, text: str, result: Result, now: datetime
) -> list[Reply]:
    """On the first message, offer the language it was written in when it is not the contact's."""
    if (conversation.state or {}).get("language_checked"):
        return []
    save_state(conversation, {"language_checked": True}, now)
    guess = detect(text)
    if guess is None or guess == contact.language or result.waiting:
        return []
    save_state(conversation, {"language_offer": guess}, now)
    return [
        Reply(
            N_("reply.language_offer"),
            {
                "offered": language_name(guess, guess),
                "current": language_name(contact.language, contact.language),
            },
            language=guess,
        )
    ]


def respond_citizen(
    *,
    session: Session,
    contact: ContactRef,
    conversation: Conversation,
    message: Message,
    settings: Settings,
    now: datetime,
) -> list[Reply]:
    """What the assistant answers a citizen's message."""
    commands = handle_global_command(
        session=session,
        contact=contact,
        conversation=conversation,
        message=message,
        settings=settings,
        now=now,
    )
    if commands is not None:
        session.add(conversation)
        return commands
    text = message.body or ""
    engine_state = dict((conversation.state or {}).get("engine") or {})
    # The message is read as of when it arrived: "syg" stored at 23:59 is about that day, even
    # when a backlog is worked off after midnight.
    arrived = message.created_at or now
    # A flow that begins here remembers which message began it: when a question only makes an
    # unclear message clear ("sygg", then "1" for sick), the record is the first message's.
    inbound = Inbound(text, timezone=settings.timezone, context={"said_in": message.id})
    result = advance(load_flow(CITIZEN_FLOW), engine_state, inbound, arrived)
    # Decided before the effects run (it reads only the engine's result), so the conversation's
    # state is written in the flush the effects cause, not in one more UPDATE after them.
    offer = _first_contact_offer(contact, conversation, text, result, now)
    replies = apply_result(session, contact, conversation, result, settings, now, message_id=message.id)
    if offer:
        # The offer is written in their language already; no second note needed.
        return replies + offer
    match = result.match
    noted = list((conversation.state or {}).get("other_languages_noted") or [])
    if match is not None and match.confident and match.language not in (None, contact.language, *noted):
        # They wrote in another language we know; say so in theirs (once), and how to switch.
        save_state(conversation, {"other_languages_noted": [*noted, match.language]}, now)
        name = language_name(str(match.language), contact.language)
        replies.append(Reply(N_("reply.other_language"), {"language": name}))
    return replies


def timeout_conversation(
    session: Session, contact: ContactRef, conversation: Conversation, settings: Settings, now: datetime
) -> list[Reply]:
    """The clock's turn: re-prompt once, then let the flow expire (whichever flow is waiting)."""
    engine_state = dict((conversation.state or {}).get("engine") or {})
    flow = load_flow(str(engine_state.get("flow") or CITIZEN_FLOW))
    result = advance(flow, engine_state, Inbound(kind="timeout", timezone=settings.timezone), now)
    return apply_result(session, contact, conversation, result, settings, now)


def run_flow(
    *,
    session: Session,
    contact: ContactRef,
    conversation: Conversation,
    flow: str,
    message: Message,
    settings: Settings,
    now: datetime,
    context: dict[str, Any] | None = None,
    reading: Match | None = None,
) -> list[Reply]:
    """Read ``message`` with the flow ``flow`` (an employer's conversation) and apply the result.

    ``context`` and ``reading`` are what the domain already knows about the message (the
    company's interns, the FAQ entry it asks). A question whose wait ran out before the message
    arrived expires first, so a "2" a day later is not read as the answer to an old question
    even when the clock has not ticked in between.
    """
    arrived = message.created_at or now
    state = dict((conversation.state or {}).get("engine") or {})
    replies: list[Reply] = []
    expires = wait_until(state) if state.get("step") else None
    if expires is not None and expires <= arrived:
        replies += timeout_conversation(session, contact, conversation, settings, arrived)
        state = dict((conversation.state or {}).get("engine") or {})
    inbound = Inbound(message.body or "", timezone=settings.timezone, context=dict(context or {}),
                      reading=reading)
    result = advance(load_flow(flow), state, inbound, arrived)
    applied = apply_result(session, contact, conversation, result, settings, now, message_id=message.id)
    return replies + applied


def open_handover_item(
    *,
    session: Session,
    contact: ContactRef,
    conversation: Conversation,
    effect: dict[str, Any],
    settings: Settings,
    now: datetime,
) -> list[Reply]:
    """A person asked for a person (or we could not understand them): staff get an item.

    The summary names no health detail; the message itself is linked for the consultant.
    """
    from bot.items import service as items
    from bot.items.models import ItemKind

    if contact.kind != "citizen":
        return []
    citizen = session.get(Citizen, contact.id)
    day = now.astimezone(ZoneInfo(settings.timezone)).date().isoformat()
    why = "bad om at tale med en medarbejder" if effect.get("reason") == "asked" else "blev ikke forstået"
    items.open(
        session,
        kind=ItemKind.handover,
        summary=f"{contact.name} {why}: ring eller skriv tilbage.",
        now=now,
        dedupe_key=f"handover:citizen:{contact.id}:{day}",
        citizen_id=contact.id,
        assignee_id=citizen.consultant_id if citizen else None,
        phone=conversation.phone,
        details={"reason": effect.get("reason")},
        summary_id="handover_asked" if effect.get("reason") == "asked" else "handover_unclear",
    )
    return []


def open_expired_item(
    *,
    session: Session,
    contact: ContactRef,
    conversation: Conversation,
    effect: dict[str, Any],
    settings: Settings,
    now: datetime,
) -> list[Reply]:
    """A question whose answer mattered went unanswered: staff get an item.

    Unanswered reminders are the reminders' own items, and flows that carry on by themselves
    (an open-ended sick notice) need nobody; this covers the rest.
    """
    from bot.items import service as items
    from bot.items.models import ItemKind

    if not effect.get("matters") or effect.get("continued") or effect.get("appointment_id"):
        return []
    citizen = session.get(Citizen, contact.id) if contact.kind == "citizen" else None
    items.open(
        session,
        kind=ItemKind.flow_expired,
        summary=f"{contact.name} svarede ikke på et spørgsmål ({effect.get('step')}).",
        now=now,
        dedupe_key=f"flow_expired:{conversation.id}:{now.isoformat()}",
        citizen_id=citizen.id if citizen else None,
        assignee_id=citizen.consultant_id if citizen else None,
        phone=conversation.phone,
        details={"flow": effect.get("flow"), "step": effect.get("step")},
        summary_id="flow_expired",
    )
    return []


EFFECTS = {"handover": open_handover_item, "flow_expired": open_expired_item}


def register_effects() -> None:
    """For tests that wire by hand; the app takes ``EFFECTS`` from ``bot.conversations.domain``."""
    from bot.conversations.registry import register_effect

    for kind, handler in EFFECTS.items():
        register_effect(kind, handler)
