"""The employer flow's effects: tickets, FAQ answers, no-shows and notes on a thread.

The flow (``bot/flows/definitions/employer.yaml``) decides what happens; these handlers do it
against the database and return what the employer reads. ``EFFECTS`` reaches the app through
``bot.escalations.domain``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.config import Settings
from bot.contacts.lookup import ContactRef
from bot.contacts.models import Citizen, Employer, EmployerContact
from bot.conversations.models import Conversation
from bot.conversations.registry import Reply
from bot.escalations import faq, no_show, service, threads
from bot.escalations.intake import EmployerContext, help_reply, open_or_join
from bot.escalations.models import FaqEntry, TicketEventKind, TicketKind
from bot.i18n import N_


def _context(session: Session, contact: ContactRef) -> EmployerContext | None:
    holder = session.get(EmployerContact, contact.id) if contact.kind == "employer_contact" else None
    employer = session.get(Employer, holder.employer_id) if holder else None
    return EmployerContext(session, holder, employer) if holder and employer else None


def _message_id(effect: dict[str, Any]) -> int | None:
    raw = effect.get("message_id")
    return int(raw) if raw is not None else None


def _faq_entry(session: Session, slug: Any) -> FaqEntry | None:
    return next((e for e in faq.all_entries(session) if e.slug == slug), None) if slug else None


def employer_help(
    *, session: Session, contact: ContactRef, conversation: Conversation, effect: dict[str, Any],
    settings: Settings, now: datetime,
) -> list[Reply]:
    ctx = _context(session, contact)
    return [help_reply(ctx)] if ctx else [Reply(N_("reply.help"))]


def note_on_thread(
    *, session: Session, contact: ContactRef, conversation: Conversation, effect: dict[str, Any],
    settings: Settings, now: datetime,
) -> list[Reply]:
    """"Tak" or "ok" after an answer: on the ticket it answers, without waking anyone."""
    ctx = _context(session, contact)
    if ctx is None:
        return [Reply(N_("reply.help"))]
    ticket = threads.continued_ticket(session, contact_id=ctx.contact.id or 0, now=now)
    if ticket is not None:
        service.add_event(
            session, ticket, TicketEventKind.employer_message, now=now, body=str(effect.get("text") or ""),
            message_id=_message_id(effect),
        )
    if effect.get("courtesy"):
        return [Reply(N_("employer.welcome"))]
    return [Reply(N_("employer.noted"))] if ticket is not None else [help_reply(ctx)]


def open_ticket_effect(
    *, session: Session, contact: ContactRef, conversation: Conversation, effect: dict[str, Any],
    settings: Settings, now: datetime,
) -> list[Reply]:
    """A ticket of its own for a new matter, or the message on the ticket it continues."""
    ctx = _context(session, contact)
    if ctx is None:
        return [Reply(N_("reply.help"))]
    text = str(effect.get("text") or "")
    details: dict[str, Any] = {}
    entry = _faq_entry(session, effect.get("faq"))
    if entry is not None and effect.get("faq_not_helped"):
        # The consultant sees what was asked and which answer did not help.
        details = {"faq": entry.slug, "faq_answer": faq.answer_text(entry, ctx.contact.language, ctx.facts()),
                   "reason": "faq_not_helped"}
    elif entry is not None and effect.get("faq_unfilled"):
        details = {"faq": entry.slug, "reason": "faq_unfilled"}
    elif effect.get("no_show"):
        details = {"reason": "no_show"}
    citizen_id = int(effect["citizen_id"]) if effect.get("citizen_id") else None
    absence_of = int(effect["absence_of"]) if effect.get("absence_of") else None
    # A plain question continues the latest exchange; anything with a topic of its own does not.
    new_topic = effect.get("ticket_kind") != "question" or bool(details) or citizen_id is not None
    return open_or_join(
        ctx, TicketKind(str(effect.get("ticket_kind") or "question")), text, now=now, settings=settings,
        message_id=_message_id(effect), citizen_id=citizen_id, absence_of=absence_of,
        new_topic=new_topic, details=details,
    )


def send_faq_answer(
    *, session: Session, contact: ContactRef, conversation: Conversation, effect: dict[str, Any],
    settings: Settings, now: datetime,
) -> list[Reply]:
    """The entry's answer with the company's facts, and "did that help?"."""
    ctx = _context(session, contact)
    entry = _faq_entry(session, effect.get("faq"))
    if ctx is None or entry is None or faq.placeholders(entry):
        return [Reply(N_("reply.help"))] if ctx is None else [help_reply(ctx)]
    answer = faq.answer_text(entry, ctx.contact.language, ctx.facts())
    return [Reply(N_("employer.faq_answer"), {"answer": answer}), Reply(N_("employer.faq_followup"))]


def record_no_show_effect(
    *, session: Session, contact: ContactRef, conversation: Conversation, effect: dict[str, Any],
    settings: Settings, now: datetime,
) -> list[Reply]:
    """Recorded for the intern named; the receipt offers contact, or says the ticket follows."""
    ctx = _context(session, contact)
    citizen = session.get(Citizen, int(effect["citizen_id"])) if effect.get("citizen_id") else None
    if ctx is None or citizen is None or citizen.id is None:
        return [Reply(N_("employer.noted"))]
    intern = no_show.Intern(citizen.id, citizen.name)
    consultant = no_show.record(
        session, contact=ctx.contact, intern=intern, now=now, settings=settings,
        message_id=_message_id(effect),
    )
    if effect.get("wants_contact"):
        return [Reply(N_("employer.no_show_recorded_ticket"), {"citizen": intern.first_name})]
    return [Reply(N_("employer.no_show_recorded"), {"citizen": intern.first_name, "consultant": consultant})]


EFFECTS = {
    "employer_help": employer_help,
    "note_on_thread": note_on_thread,
    "open_ticket": open_ticket_effect,
    "send_faq_answer": send_faq_answer,
    "record_no_show": record_no_show_effect,
}


def register() -> None:
    """For tests that wire by hand; the app takes ``EFFECTS`` from ``bot.escalations.domain``."""
    from bot.conversations.registry import register_effect

    for kind, handler in EFFECTS.items():
        register_effect(kind, handler)
