"""Who is behind a phone number, for callers that want one answer: the first holder.

``bot.contacts.registry.holders_of`` is the whole answer (a household shares one phone); this
keeps the one-contact question short for code that talks to staff, employers and centres.
"""

from __future__ import annotations

from sqlmodel import Session

from bot.contacts.registry import ContactRef, holders_of


def find_by_phone(session: Session, phone: str) -> ContactRef | None:
    """The first contact that holds ``phone`` (E.164): a household's oldest citizen record."""
    holders = holders_of(session, phone)
    return holders[0] if holders else None


__all__ = ["ContactRef", "find_by_phone"]
