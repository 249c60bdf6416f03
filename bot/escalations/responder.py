"""The employer contact's responder: an answer from the FAQ in seconds, or a ticket with a deadline.

Order of reading a message: global commands (STOP, START, LANGUAGE; HELP and PERSON get an
employer's version), a pending question we asked ("did that help?", "which intern?"), then
the message itself: a no-show, an FAQ question, a problem, recruitment, a wish to be
contacted, a further message on an open ticket, and finally anything else becomes a question
ticket. What we wait for is kept in the Conversation row's state under ``employer``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from bot.channels.models import Message
from bot.config import Settings
from bot.contacts.lookup import ContactRef
from bot.contacts.models import Employer, EmployerContact, Staff
from bot.conversations.models import Conversation
from bot.conversations.registry import Reply
from bot.conversations.responder import handle_global_command
from bot.escalations import faq, intents, no_show, notify, service
from bot.escalations.intents import Intent
from bot.escalations.models import Ticket, TicketEventKind, TicketKind
from bot.flows.intents import classify as classify_command
from bot.flows.intents import is_command
from bot.i18n import N_

STATE_KEY = "employer"
PENDING_FOR = timedelta(hours=24)
QUESTION_THRESHOLD = 75.0  # a text that reads as a question may match an FAQ entry more loosely
STATEMENT_THRESHOLD = 88.0
GREETINGS = frozenset({"hej", "hejsa", "hallo", "goddag", "hi", "hello", "hey", "good morning", "godmorgen"})
THANKS = frozenset(
    {"tak", "mange tak", "tusind tak", "tak for det", "thanks", "thank you", "thx", "super tak"}
)


class _Context:
    def __init__(self, session: Session, contact: EmployerContact, employer: Employer) -> None:
        self.session = session
        self.contact = contact
        self.employer = employer
        self.consultant: Staff | None = service.assignee_for(session, employer)

    @property
    def consultant_first_name(self) -> str:
        return notify.first_name(self.consultant.name) if self.consultant else ""

    def facts(self) -> dict[str, str]:
        consultant = self.consultant
        return {
            "consultant_name": consultant.name if consultant else "",
            "consultant_phone": (consultant.phone or "") if consultant else "",
            "consultant_email": consultant.email if consultant else "",
            "company": self.employer.name,
        }


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
    ctx = _Context(session, holder, employer)
    if own_command:
        _set_pending(conversation, None, now)
        if command.intent == "help":
            return [_help(ctx)]
        return _open_or_join(ctx, TicketKind.question, text, now=now, settings=settings, message=message)
    pending = _take_pending(conversation, now)
    if pending is not None:
        answered = _answer_pending(
            ctx, conversation, pending, text, now=now, settings=settings, message=message
        )
        if answered is not None:
            return answered
    return _read(ctx, conversation, text, now=now, settings=settings, message=message)


def _read(
    ctx: _Context,
    conversation: Conversation,
    text: str,
    *,
    now: datetime,
    settings: Settings,
    message: Message,
) -> list[Reply]:
    normalised = intents.normalise(text)
    if not normalised or normalised in GREETINGS:
        return [_help(ctx)]
    if normalised in THANKS:
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
        return [Reply(N_("employer.welcome"))]
    if intents.matches(text, Intent.no_show):
        return _no_show(ctx, conversation, text, now=now, settings=settings, message=message)
    question = intents.looks_like_question(text)
    entries = faq.active_entries(ctx.session)
    if question:
        found = faq.best_match(text, entries, QUESTION_THRESHOLD)
        if found is not None:
            return _faq_answer(ctx, conversation, found, text, now=now, message=message)
    intent = intents.classify(text)
    if intent == Intent.problem:
        return _open_or_join(ctx, TicketKind.problem, text, now=now, settings=settings, message=message)
    if intent == Intent.recruitment:
        return _open_or_join(ctx, TicketKind.recruitment, text, now=now, settings=settings, message=message)
    if intent is None and not question:
        found = faq.best_match(text, entries, STATEMENT_THRESHOLD)
        if found is not None:
            return _faq_answer(ctx, conversation, found, text, now=now, message=message)
    return _open_or_join(ctx, TicketKind.question, text, now=now, settings=settings, message=message)


def _help(ctx: _Context) -> Reply:
    return Reply(
        N_("employer.help"),
        {"name": notify.first_name(ctx.contact.name), "consultant": ctx.facts()["consultant_name"]},
    )


def _faq_answer(
    ctx: _Context,
    conversation: Conversation,
    found: faq.FaqMatch,
    text: str,
    *,
    now: datetime,
    message: Message,
) -> list[Reply]:
    answer = faq.answer_text(found.entry, ctx.contact.language, ctx.facts())
    _set_pending(
        conversation,
        {"await": "faq_feedback", "faq": found.entry.slug, "text": text, "message_id": message.id},
        now,
    )
    return [Reply(N_("employer.faq_answer"), {"answer": answer}), Reply(N_("employer.faq_followup"))]


def _open_or_join(
    ctx: _Context,
    kind: TicketKind,
    text: str,
    *,
    now: datetime,
    settings: Settings,
    message: Message,
    citizen_id: int | None = None,
) -> list[Reply]:
    """A new ticket with an acknowledgement and a stated deadline, or a message on the open one."""
    session = ctx.session
    existing = service.joinable_ticket(session, contact_id=ctx.contact.id or 0, now=now)
    if existing is not None:
        service.add_employer_message(
            session, existing, body=text, now=now, settings=settings, message_id=message.id
        )
        assignee = session.get(Staff, existing.assignee_id) if existing.assignee_id else None
        name = notify.first_name(assignee.name) if assignee else ctx.consultant_first_name
        return [Reply(N_("employer.ack_joined"), {"reference": existing.reference, "consultant": name})]
    if citizen_id is None and kind == TicketKind.problem:
        today = no_show.local_today(now, settings.timezone)
        named = no_show.named_in(
            text, no_show.interns_at(session, employer_id=ctx.employer.id or 0, day=today)
        )
        citizen_id = named[0].citizen_id if len(named) == 1 else None
    ticket = service.open_ticket(
        session,
        employer_id=ctx.employer.id or 0,
        contact_id=ctx.contact.id,
        citizen_id=citizen_id,
        kind=kind,
        summary=text,
        now=now,
        settings=settings,
        message_id=message.id,
    )
    reply = acknowledgement(session, ticket, ctx.contact.language, settings.timezone)
    service.add_event(
        session, ticket, TicketEventKind.acknowledged, now=now, details={"template": reply.template}
    )
    return [reply]


def acknowledgement(session: Session, ticket: Ticket, language: str, timezone: str) -> Reply:
    """ "You will hear from <first name> by <weekday, time>", in the employer's language."""
    assignee = session.get(Staff, ticket.assignee_id) if ticket.assignee_id else None
    params: dict[str, Any] = {"reference": ticket.reference}
    if ticket.response_due_at is not None:
        params.update(
            {f"due_{k}": v for k, v in notify.when_params(ticket.response_due_at, language, timezone).items()}
        )
    if ticket.visit_due_at is not None:
        params.update(
            {f"visit_{k}": v for k, v in notify.when_params(ticket.visit_due_at, language, timezone).items()}
        )
    if assignee is None:
        return Reply(N_("employer.ack_nobody"), params)
    params["consultant"] = notify.first_name(assignee.name)
    if ticket.kind == TicketKind.problem:
        return Reply(N_("employer.ack_problem"), params)
    return Reply(N_("employer.ack"), params)


def _no_show(
    ctx: _Context,
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
        return _open_or_join(ctx, TicketKind.question, text, now=now, settings=settings, message=message)
    candidates = named or interns
    choices = ", ".join(f"{i} {intern.first_name}" for i, intern in enumerate(candidates, start=1))
    _set_pending(
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
    ctx: _Context,
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
        _set_pending(conversation, None, now)
        recorded = Reply(N_("employer.no_show_recorded_ticket"), {"citizen": intern.first_name})
        return [
            recorded,
            *_open_or_join(
                ctx,
                TicketKind.question,
                text,
                now=now,
                settings=settings,
                message=message,
                citizen_id=intern.citizen_id,
            ),
        ]
    _set_pending(
        conversation,
        {"await": "no_show_contact", "text": text, "citizen_id": intern.citizen_id, "message_id": message.id},
        now,
    )
    return [Reply(N_("employer.no_show_recorded"), {"citizen": intern.first_name, "consultant": consultant})]


def _answer_pending(
    ctx: _Context,
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
            return _open_or_join(
                ctx, TicketKind.question, original, now=now, settings=settings, message=message
            )
        return None
    if waiting == "no_show_contact":
        if intents.is_exactly(text, Intent.yes):
            return _open_or_join(
                ctx,
                TicketKind.question,
                original,
                now=now,
                settings=settings,
                message=message,
                citizen_id=pending.get("citizen_id"),
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


def _take_pending(conversation: Conversation, now: datetime) -> dict[str, Any] | None:
    """What we asked, if still fresh; it is cleared either way (an answer is read only once)."""
    pending = (conversation.state or {}).get(STATE_KEY)
    if not isinstance(pending, dict):
        return None
    _set_pending(conversation, None, now)
    since = pending.get("since")
    if not since or now - datetime.fromisoformat(str(since)) > PENDING_FOR:
        return None
    return pending


def _set_pending(conversation: Conversation, pending: dict[str, Any] | None, now: datetime) -> None:
    state = dict(conversation.state or {})
    if pending is None:
        state.pop(STATE_KEY, None)
    else:
        state[STATE_KEY] = {**pending, "since": now.isoformat()}
    conversation.state = state
    conversation.updated_at = now
