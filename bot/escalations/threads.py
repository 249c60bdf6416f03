"""Which open ticket a new message continues, if any: threads by topic.

A message joins an open ticket only when it continues it: a reply to what staff last wrote
(or a second text minutes after the contact's own, adding a detail), or the same kind of
matter about the same intern. A new problem, a no-show or a recruitment wish opens a ticket
of its own, so an old problem ticket never swallows a new question.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from bot.escalations.models import ACTIVE_STATUSES, Ticket, TicketKind

# A reply to staff continues their ticket until this long after the last staff reply.
JOIN_WINDOW = timedelta(hours=72)
# A second text right after their own ("we also need work clothes") adds to it.
OWN_FOLLOW_UP = timedelta(hours=2)


def _active(session: Session, contact_id: int) -> list[Ticket]:
    query = (
        select(Ticket)
        .where(Ticket.contact_id == contact_id)
        .where(col(Ticket.status).in_(list(ACTIVE_STATUSES)))
        .order_by(col(Ticket.created_at).desc(), col(Ticket.id).desc())
    )
    return list(session.exec(query).all())


# A message asking something new: "hvem betaler frokosten?" is a matter of its own.
_QUESTION_STARTS = ("hvem", "hvad", "hvornår", "hvordan", "hvorfor", "hvor", "hvilken", "hvilke",
                    "who", "what", "when", "how", "why", "where", "which")


def is_question(text: str) -> bool:
    words = text.strip().lower().split()
    return "?" in text or bool(words and words[0].strip(",.:") in _QUESTION_STARTS)


def _last_exchange(ticket: Ticket, now: datetime, *, own_follow_up: bool = True) -> datetime | None:
    """When this ticket last had a turn that a plain next text would continue."""
    moments = []
    if ticket.last_staff_reply_at is not None and now < ticket.last_staff_reply_at + JOIN_WINDOW:
        moments.append(ticket.last_staff_reply_at)
    if (own_follow_up and ticket.last_employer_message_at is not None
            and now < ticket.last_employer_message_at + OWN_FOLLOW_UP):
        moments.append(ticket.last_employer_message_at)
    return max(moments) if moments else None


def continued_ticket(
    session: Session, *, contact_id: int, now: datetime, own_follow_up: bool = True
) -> Ticket | None:
    """The ticket a text with no topic of its own ("ok", "he starts Monday then") answers.

    A question of its own continues only what staff last wrote, not the contact's own last text.
    """
    best: tuple[datetime, Ticket] | None = None
    for ticket in _active(session, contact_id):
        moment = _last_exchange(ticket, now, own_follow_up=own_follow_up)
        if moment is not None and (best is None or moment > best[0]):
            best = (moment, ticket)
    return best[1] if best else None


def same_matter(
    session: Session, *, contact_id: int, kind: TicketKind, citizen_id: int | None
) -> Ticket | None:
    """An open ticket of the same kind about the same intern (or both about no one in particular)."""
    for ticket in _active(session, contact_id):
        if ticket.kind == kind and ticket.citizen_id == citizen_id:
            return ticket
    return None


def thread_for(
    session: Session,
    *,
    contact_id: int,
    kind: TicketKind,
    citizen_id: int | None,
    now: datetime,
    new_topic: bool,
    question: bool = False,
) -> Ticket | None:
    """The open ticket this message belongs to, or None for a ticket of its own.

    ``new_topic``: the message says what it is about (a problem, recruitment, a no-show, an FAQ
    question), so only the same matter takes it; otherwise it continues the latest exchange.
    """
    if kind != TicketKind.question or citizen_id is not None:
        found = same_matter(session, contact_id=contact_id, kind=kind, citizen_id=citizen_id)
        if found is not None:
            return found
    if new_topic:
        return None
    return continued_ticket(session, contact_id=contact_id, now=now, own_follow_up=not question)
