"""One outbox for every outbound message: rows with status ``queued`` and a ``due_at``.

Text is not rendered here: the message id and parameters are kept, and the dispatcher
renders them in the recipient's language when it sends.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.channels.models import Channel, ContactKind, Direction, Message, MessageStatus
from bot.contacts.lookup import ContactRef
from bot.conversations.registry import Reply
from bot.i18n import normalise_language


def compose(
    *,
    phone: str,
    template: str,
    params: dict[str, Any] | None,
    language: str,
    purpose: str,
    contact_kind: str | None,
    contact_id: int | None,
    now: datetime,
    due_at: datetime | None = None,
    channel: str = "sms",
    in_reply_to_id: int | None = None,
) -> Message:
    """A queued outbound message, not yet in any session: add many and flush once for a batch."""
    return Message(
        direction=Direction.outbound,
        channel=Channel(channel),
        phone=phone,
        contact_kind=ContactKind(contact_kind or ContactKind.unknown),
        contact_id=contact_id,
        template=template,
        params=dict(params or {}),
        locale=normalise_language(language),
        purpose=purpose,
        status=MessageStatus.queued,
        due_at=due_at or now,
        created_at=now,
        status_at=now,
        in_reply_to_id=in_reply_to_id,
    )


def enqueue(
    session: Session,
    *,
    phone: str,
    template: str,
    params: dict[str, Any] | None,
    language: str,
    purpose: str,
    contact_kind: str | None,
    contact_id: int | None,
    now: datetime,
    due_at: datetime | None = None,
    channel: str = "sms",
    in_reply_to_id: int | None = None,
) -> Message:
    """Queue one outbound message; it goes out when ``due_at`` (default ``now``) has come."""
    message = compose(
        phone=phone, template=template, params=params, language=language, purpose=purpose,
        contact_kind=contact_kind, contact_id=contact_id, now=now, due_at=due_at, channel=channel,
        in_reply_to_id=in_reply_to_id,
    )
    session.add(message)
    session.flush()
    return message


def enqueue_many(session: Session, messages: Sequence[Message]) -> list[Message]:
    """Queue ``messages`` (from ``compose``) with one flush: inserted and sealed in this order."""
    session.add_all(messages)
    session.flush()
    return list(messages)


def enqueue_reply(
    session: Session,
    reply: Reply,
    *,
    inbound: Message,
    contact: ContactRef | None,
    now: datetime,
) -> Message:
    """Queue ``reply`` to ``inbound``; by default to its sender, on the channel it came by."""
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
    return enqueue(
        session,
        phone=phone,
        template=reply.template,
        params=reply.params,
        language=language,
        purpose=reply.purpose,
        contact_kind=kind,
        contact_id=contact_id,
        now=now,
        channel=channel,
        in_reply_to_id=inbound.id,
    )
