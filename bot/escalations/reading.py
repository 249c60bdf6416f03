"""What an employer's text is about, read before the employer flow runs.

The flow engine is pure and cannot see the FAQ or who works at the company, so this module
reads the message against them and hands the flow a ``topic`` (and the facts it needs) as
data. The words themselves are classified by ``bot.escalations.intents``; names and FAQ
variants go through the one text normaliser, ``bot.flows.normalize``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.escalations import faq, intents, no_show
from bot.escalations.intents import Intent
from bot.flows.intents import Match
from bot.flows.normalize import normalise

QUESTION_THRESHOLD = 75.0  # a text that reads as a question may match an FAQ entry more loosely
STATEMENT_THRESHOLD = 88.0
SAME_QUESTION = 95.0
MAX_CHOICES = 5  # interns offered by number; the flow has a choice for each
GREETINGS = frozenset({"hej", "hejsa", "hallo", "goddag", "hi", "hello", "hey", "good morning", "godmorgen"})
THANKS = frozenset(
    {"tak", "mange tak", "tusind tak", "tak for det", "thanks", "thank you", "thx", "super tak"}
)
# Topics that are never the answer to a waiting question: they start the flow over.
NEW_TOPICS = ("no_show", "problem", "recruitment", "question", "faq", "faq_unfilled", "thanks", "help")


@dataclass(frozen=True)
class Reading:
    """The topic as the flow's data, and the match the engine reads answers with."""

    context: dict[str, Any]
    match: Match


def _match(intent: str) -> Match:
    return Match(intent=intent, confidence=100.0, whole=True)


def read(session: Session, *, employer_id: int, text: str, now: datetime, timezone: str) -> Reading:
    """The topic of ``text`` from this company: the data the employer flow branches on."""
    normalised = normalise(text)
    if intents.is_exactly(text, Intent.yes) or intents.is_exactly(text, Intent.no):
        # "1", "ja", "2", "nej": an answer when a question waits, else noted on the open thread.
        answer = "yes" if intents.is_exactly(text, Intent.yes) else "no"
        return Reading({"topic": "bare_answer"}, _match(answer))
    if normalised in THANKS:
        return _topic("thanks")
    if not normalised or normalised in GREETINGS:
        return _topic("help")
    if intents.matches(text, Intent.no_show):
        return _no_show(session, employer_id=employer_id, text=text, now=now, timezone=timezone)
    intent = intents.classify(text)
    kind = {Intent.problem: "problem", Intent.recruitment: "recruitment"}.get(intent or Intent.contact)
    entries = faq.active_entries(session)
    if intents.looks_like_question(text):
        found = faq.best_match(text, entries, QUESTION_THRESHOLD)
        # "Can you come, it isn't working?" is a problem to act on, unless it is the FAQ question itself.
        if found is not None and (kind is None or found.score >= SAME_QUESTION):
            return _faq(found)
    if kind is not None:
        return _topic(kind)
    if intent is None and not intents.looks_like_question(text):
        found = faq.best_match(text, entries, STATEMENT_THRESHOLD)
        if found is not None:
            return _faq(found)
    return _topic("question")


def _topic(topic: str, **facts: Any) -> Reading:
    return Reading({"topic": topic, **facts}, _match(topic))


def _faq(found: faq.FaqMatch) -> Reading:
    # An answer with a gap the municipality has not filled is never sent: the consultant answers.
    topic = "faq_unfilled" if faq.placeholders(found.entry) else "faq"
    return _topic(topic, faq=found.entry.slug)


def _no_show(session: Session, *, employer_id: int, text: str, now: datetime, timezone: str) -> Reading:
    """One intern there today: that one; several: which (by number); none known: a person finds out."""
    today = no_show.local_today(now, timezone)
    interns = no_show.interns_at(session, employer_id=employer_id, day=today)
    named = no_show.named_in(text, interns)
    wants_contact = intents.matches(text, Intent.contact) is not None
    if len(named) == 1 or (not named and len(interns) == 1):
        chosen = named[0] if named else interns[0]
        return _topic("no_show", interns="one", citizen_id=chosen.citizen_id, wants_contact=wants_contact)
    if not interns:
        return _topic("no_show", interns="none", wants_contact=wants_contact)
    candidates = (named or interns)[:MAX_CHOICES]
    facts: dict[str, Any] = {
        f"intern_{number}": intern.citizen_id for number, intern in enumerate(candidates, start=1)
    }
    facts["choices"] = ", ".join(f"{i} {intern.first_name}" for i, intern in enumerate(candidates, start=1))
    return _topic("no_show", interns="several", wants_contact=wants_contact, **facts)


__all__ = ["NEW_TOPICS", "Reading", "read"]
