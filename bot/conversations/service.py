"""Conversation rows: one per phone number, with who it is and when they last wrote."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.contacts.lookup import ContactRef
from bot.conversations.models import Conversation


def by_phone(session: Session, phone: str) -> Conversation | None:
    return session.exec(select(Conversation).where(Conversation.phone == phone)).first()


def get_or_create(session: Session, *, phone: str, now: datetime) -> Conversation:
    """The conversation for ``phone``; two workers creating it at once still get one row."""
    found = by_phone(session, phone)
    if found is not None:
        return found
    conversation = Conversation(phone=phone, updated_at=now)
    try:
        with session.begin_nested():
            session.add(conversation)
            session.flush()
    except IntegrityError:
        found = by_phone(session, phone)
        if found is None:
            raise
        return found
    return conversation


def record_inbound(
    session: Session, *, phone: str, contact: ContactRef | None, at: datetime, now: datetime
) -> Conversation:
    """Note that ``phone`` wrote at ``at`` and who it belongs to now."""
    conversation = get_or_create(session, phone=phone, now=now)
    if conversation.last_inbound_at is None or at > conversation.last_inbound_at:
        conversation.last_inbound_at = at
    conversation.contact_kind = contact.kind if contact else "unknown"
    conversation.contact_id = contact.id if contact else None
    conversation.updated_at = now
    session.add(conversation)
    session.flush()
    return conversation
