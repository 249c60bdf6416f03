"""The employer contact's responder: an answer from the FAQ in seconds, or a ticket with a deadline.

Order of reading a message: global commands (STOP, START, LANGUAGE; HELP and PERSON get an
employer's version), a pending question we asked ("did that help?", "which intern?"), then
the message itself: a no-show, an FAQ question, a problem, recruitment, a wish to be
contacted, a further message on an open ticket, and finally anything else becomes a question
ticket. What we wait for is kept in the Conversation row's state under ``employer``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.channels.models import Message
from bot.config import Settings
from bot.contacts.lookup import ContactRef
from bot.contacts.models import Employer, EmployerContact
from bot.conversations.models import Conversation
from bot.conversations.registry import Reply
from bot.conversations.responder import handle_global_command
from bot.escalations import faq, intents, no_show, service
from bot.escalations import pending as asked
from bot.escalations.intake import EmployerContext, help_reply, open_or_join
from bot.escalations.intents import Intent
from bot.escalations.models import TicketEventKind, TicketKind
from bot.flows.intents import classify as classify_command
from bot.flows.intents import is_command
from bot.i18n import N_

QUESTION_THRESHOLD = 75.0  # a text that reads as a question may match an FAQ entry more loosely
STATEMENT_THRESHOLD = 88.0
SAME_QUESTION = 95.0
GREETINGS = frozenset({"hej", "hejsa", "hallo", "goddag", "hi", "hello", "hey", "good morning", "godmorgen"})
THANKS = frozenset(
    {"tak", "mange tak", "tusind tak", "tak for det", "thanks", "thank you", "thx", "super tak"}
)


def respond(
    *,
    session: Session,
    contact: ContactRef,
    conversation: Conversation,
    message: Message,
    settings: Settings,
    now: datetime,
) -> list[Reply]:
    text = (message.body or "").strip()
    holder = session.get(EmployerContact, contact.id)
    employer = session.get(Employer, holder.employer_id) if holder else None
    command = classify_command(text)
    own_command = is_command(command) and command.intent in ("help", "person") and not contact.opted_out
    if holder is None or employer is None or not own_command:
        handled = handle_global_command(
            session=session,
            contact=contact,
            conversation=conversation,
            message=message,
            settings=settings,
            now=now,
        )
        if handled is not None:
            return handled
    if holder is None or employer is None:
        return [Reply(N_("reply.help"))]
    ctx = EmployerContext(session, holder, employer)
    if own_command:
        asked.put(conversation, None, now)
        if command.intent == "help":
            return [help_reply(ctx)]
        return open_or_join(ctx, TicketKind.question, text, now=now, settings=settings, message=message)
    pending = asked.take(conversation, now)
    if pending is not None:
        answered = _answer_pending(
            ctx, conversation, pending, text, now=now, settings=settings, message=message
        )
        if answered is not None:
            return answered
    return _read(ctx, conversation, text, now=now, settings=settings, message=message)


def _read(
    ctx: EmployerContext,
    conversation: Conversation,
    text: str,
    *,
    now: datetime,
    settings: Settings,
    message: Message,
) -> list[Reply]:
    normalised = intents.normalise(text)
    # "Tak", "ok" or a bare "1" after an answer is noted on the open ticket without waking anyone;
    # with nothing open (or nothing asked) it gets the help text instead of a ticket.
    courtesy = normalised in THANKS
    bare_answer = intents.is_exactly(text, Intent.yes) or intents.is_exactly(text, Intent.no)
    if courtesy or bare_answer:
        ticket = service.joinable_ticket(ctx.session, contact_id=ctx.contact.id or 0, now=now)
        if ticket is not None:
            service.add_event(
                ctx.session,
                ticket,
                TicketEventKind.employer_message,
                now=now,
                body=text,
                message_id=message.id,
            )
        if courtesy:
            return [Reply(N_("employer.welcome"))]
        if ticket is not None:
            return [Reply(N_("employer.noted"))]
    if not normalised or normalised in GREETINGS or bare_answer:
        return [help_reply(ctx)]
    if intents.matches(text, Intent.no_show):
        return _no_show(ctx, conversation, text, now=now, settings=settings, message=message)
    question = intents.looks_like_question(text)
    entries = faq.active_entries(ctx.session)
    intent = intents.classify(text)
    if question:
        found = faq.best_match(text, entries, QUESTION_THRESHOLD)
        # "Can you come, it isn't working?" is a problem to act on, unless it is the FAQ question itself.
        if found is not None and (
            _ticket_kind(intent) is TicketKind.question or found.score >= SAME_QUESTION
        ):
            return _faq_answer(ctx, conversation, found, text, now=now, message=message)
    if intent in (Intent.problem, Intent.recruitment):
        kind = _ticket_kind(intent)
        return open_or_join(ctx, kind, text, now=now, settings=settings, message=message)
    if intent is None and not question:
        found = faq.best_match(text, entries, STATEMENT_THRESHOLD)
        if found is not None:
            return _faq_answer(ctx, conversation, found, text, now=now, message=message)
    return open_or_join(ctx, TicketKind.question, text, now=now, settings=settings, message=message)


def _ticket_kind(intent: Intent | None) -> TicketKind:
    if intent == Intent.problem:
        return TicketKind.problem
    if intent == Intent.recruitment:
        return TicketKind.recruitment
    return TicketKind.question


def _faq_answer(
    ctx: EmployerContext,
    conversation: Conversation,
    found: faq.FaqMatch,
    text: str,
    *,
    now: datetime,
    message: Message,
) -> list[Reply]:
    answer = faq.answer_text(found.entry, ctx.contact.language, ctx.facts())
    asked.put(
        conversation,
        {"await": "faq_feedback", "faq": found.entry.slug, "text": text, "message_id": message.id},
        now,
    )
    return [Reply(N_("employer.faq_answer"), {"answer": answer}), Reply(N_("employer.faq_followup"))]


def _no_show(
    ctx: EmployerContext,
    conversation: Conversation,
    text: str,
    *,
    now: datetime,
    settings: Settings,
    message: Message,
) -> list[Reply]:
    today = no_show.local_today(now, settings.timezone)
    interns = no_show.interns_at(ctx.session, employer_id=ctx.employer.id or 0, day=today)
    named = no_show.named_in(text, interns)
    if len(named) == 1 or (not named and len(interns) == 1):
        chosen = named[0] if named else interns[0]
        wants_contact = intents.matches(text, Intent.contact) is not None
        return _record_no_show(
            ctx, conversation, chosen, text, wants_contact, now=now, settings=settings, message=message
        )
    if not interns:
        # We do not know who works there: a person has to find out, so it becomes a ticket.
        return open_or_join(ctx, TicketKind.question, text, now=now, settings=settings, message=message)
    candidates = named or interns
    choices = ", ".join(f"{i} {intern.first_name}" for i, intern in enumerate(candidates, start=1))
    asked.put(
        conversation,
        {
            "await": "no_show_which",
            "text": text,
            "choices": [[intern.citizen_id, intern.name] for intern in candidates],
        },
        now,
    )
    return [Reply(N_("employer.no_show_which"), {"choices": choices})]


def _record_no_show(
    ctx: EmployerContext,
    conversation: Conversation,
    intern: no_show.Intern,
    text: str,
    wants_contact: bool,
    *,
    now: datetime,
    settings: Settings,
    message: Message,
) -> list[Reply]:
    consultant = no_show.record(
        ctx.session, contact=ctx.contact, intern=intern, now=now, settings=settings, message_id=message.id
    )
    if wants_contact:
        asked.put(conversation, None, now)
        recorded = Reply(N_("employer.no_show_recorded_ticket"), {"citizen": intern.first_name})
        return [
            recorded,
            *open_or_join(
                ctx,
                TicketKind.question,
                text,
                now=now,
                settings=settings,
                message=message,
                citizen_id=intern.citizen_id,
                absence_of=intern.citizen_id,
            ),
        ]
    asked.put(
        conversation,
        {"await": "no_show_contact", "text": text, "citizen_id": intern.citizen_id, "message_id": message.id},
        now,
    )
    return [Reply(N_("employer.no_show_recorded"), {"citizen": intern.first_name, "consultant": consultant})]


def _answer_pending(
    ctx: EmployerContext,
    conversation: Conversation,
    pending: dict[str, Any],
    text: str,
    *,
    now: datetime,
    settings: Settings,
    message: Message,
) -> list[Reply] | None:
    """The answer to what we asked last, or None when the text is about something else."""
    waiting = pending.get("await")
    original = str(pending.get("text") or text)
    if waiting == "faq_feedback":
        if intents.is_exactly(text, Intent.yes):
            return [Reply(N_("employer.faq_glad"))]
        if intents.is_exactly(text, Intent.no):
            kind = _ticket_kind(intents.classify(original))
            return open_or_join(ctx, kind, original, now=now, settings=settings, message=message)
        return None
    if waiting == "no_show_contact":
        if intents.is_exactly(text, Intent.yes):
            return open_or_join(
                ctx,
                TicketKind.question,
                original,
                now=now,
                settings=settings,
                message=message,
                citizen_id=pending.get("citizen_id"),
                absence_of=pending.get("citizen_id"),
            )
        if intents.is_exactly(text, Intent.no):
            return [Reply(N_("employer.noted"))]
        return None
    if waiting == "no_show_which":
        candidates = [no_show.Intern(int(cid), str(name)) for cid, name in pending.get("choices", [])]
        chosen = _pick(text, candidates)
        if chosen is None:
            return None
        return _record_no_show(
            ctx, conversation, chosen, original, False, now=now, settings=settings, message=message
        )
    return None


def _pick(text: str, candidates: list[no_show.Intern]) -> no_show.Intern | None:
    normalised = intents.normalise(text)
    if normalised.isdigit():
        number = int(normalised)
        return candidates[number - 1] if 1 <= number <= len(candidates) else None
    named = no_show.named_in(text, candidates)
    return named[0] if len(named) == 1 else None
