"""One outbox for every outbound message: rows with status ``queued`` and a ``due_at``.

Text is not rendered here: the message id and parameters are kept, and the dispatcher
renders them in the recipient's language when it sends.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Table, insert
from sqlmodel import Session

from bot.channels import ledger
from bot.channels.models import Channel, ContactKind, Direction, Message, MessageStatus, SignatureVerdict
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


def row(
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
) -> dict[str, Any]:
    """The same queued message as ``compose``, as plain column values for ``enqueue_rows``."""
    return {
        "direction": Direction.outbound,
        "channel": Channel(channel),
        "phone": phone,
        "contact_kind": ContactKind(contact_kind or ContactKind.unknown),
        "contact_id": contact_id,
        "body": None,
        "template": template,
        "params": dict(params or {}),
        "locale": normalise_language(language),
        "purpose": purpose,
        "status": MessageStatus.queued,
        "raw_payload": {},
        "signature": SignatureVerdict.not_applicable,
        "attempts": 0,
        "due_at": due_at or now,
        "created_at": now,
        "status_at": now,
        "in_reply_to_id": in_reply_to_id,
    }


def enqueue_rows(session: Session, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Queue many messages (from ``row``) with one multi-row insert; their ids, in ``rows`` order.

    Building ORM objects costs more than everything else a batch does, so a batch (the reminder
    dispatcher's) goes through Core. The ledger is kept exactly as a flush keeps it: its lock is
    taken before the ids are drawn, and the rows are sealed in id order in the same transaction.
    """
    if not rows:
        return []
    connection = session.connection()
    values = [dict(values, body_sha256=ledger.content_digest(SimpleNamespace(**values))) for values in rows]
    ledger.lock(connection)
    table: Table = Message.__table__  # type: ignore[attr-defined]
    returning_ids = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    ids = list(connection.execute(returning_ids, values).scalars())
    ledger.seal_rows(connection, [SimpleNamespace(**v, id=i) for v, i in zip(values, ids, strict=True)])
    return ids


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
