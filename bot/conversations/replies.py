"""Replies to an inbound message, as queued outbound messages in the outbox.

A reply goes to the sender by default, on the channel the message came by, in the contact's
language; a reply addressed to someone else (a consultant, a host company) goes by SMS. Replies
are never held for quiet hours: the person just wrote and is waiting.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.channels.models import Channel, ContactKind, Message
from bot.channels.outbox import compose
from bot.contacts.lookup import ContactRef
from bot.conversations.registry import Reply


def compose_reply(reply: Reply, *, inbound: Message, contact: ContactRef | None, now: datetime) -> Message:
    """``reply`` to ``inbound`` as a queued message, not yet in any session (add many, flush once)."""
    to_sender = reply.to_phone is None or reply.to_phone == inbound.phone
    if to_sender:
        phone = inbound.phone
        channel = inbound.channel.value
        kind = reply.contact_kind or (contact.kind if contact else ContactKind.unknown.value)
        contact_id = reply.contact_id if reply.contact_kind else (contact.id if contact else None)
        language = reply.language or (contact.language if contact else "da")
    else:
        assert reply.to_phone is not None
        phone = reply.to_phone
        # Someone else (a consultant, a host company): they have not written to us, so SMS.
        channel = Channel.sms.value
        kind = reply.contact_kind or ContactKind.unknown.value
        contact_id = reply.contact_id
        language = reply.language or "da"
    return compose(
        phone=phone, template=reply.template, params=reply.params, language=language,
        purpose=reply.purpose, contact_kind=kind, contact_id=contact_id, now=now, channel=channel,
        in_reply_to_id=inbound.id,
    )


def enqueue_reply(
    session: Session, reply: Reply, *, inbound: Message, contact: ContactRef | None, now: datetime
) -> Message:
    """Queue ``reply`` to ``inbound`` now (flushed, so it has its id)."""
    message = compose_reply(reply, inbound=inbound, contact=contact, now=now)
    session.add(message)
    session.flush()
    return message


__all__ = ["compose_reply", "enqueue_reply"]
