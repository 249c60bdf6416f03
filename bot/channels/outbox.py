"""One outbox for every outbound message: rows with status ``queued`` and a ``due_at``.

Text is not rendered here: the message id and parameters are kept, and the dispatcher
renders them in the recipient's language when it sends.

Quiet hours are kept here, where every message gets its due time. A message nobody just asked
for (a flow's re-prompt, a notice that staff moved or cancelled an appointment) is queued with
the caller's quiet-hours rule (``quiet_hours``: the first moment at or after a given time when
messages may go out) and waits for the morning; unless ``needed_by`` (the appointment's start)
comes before the morning does, when late at night is better than too late. A reply to an
inbound message (``in_reply_to_id``; ``bot.conversations.replies``) is never held: the person just wrote
and is waiting. The rule itself belongs to the caller's domain (``bot.reminders.policy``), so
``channels`` imports no domain: callers pass it in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Table, insert
from sqlmodel import Session

from bot.channels import ledger
from bot.channels.models import Channel, ContactKind, Direction, Message, MessageStatus, SignatureVerdict
from bot.i18n import normalise_language

# The first moment at or after a time when an unsolicited message may go out.
QuietHours = Callable[[datetime], datetime]


def held_due(
    due: datetime,
    *,
    quiet_hours: QuietHours | None,
    needed_by: datetime | None = None,
    in_reply_to_id: int | None = None,
) -> datetime:
    """When a message queued for ``due`` goes out: after quiet hours, unless it is a reply
    (never held) or the morning would come after ``needed_by`` (then at ``due``)."""
    if quiet_hours is None or in_reply_to_id is not None:
        return due
    allowed = quiet_hours(due)
    if allowed <= due or (needed_by is not None and allowed >= needed_by):
        return due
    return allowed


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
    quiet_hours: QuietHours | None = None,
    needed_by: datetime | None = None,
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
        due_at=held_due(
            due_at or now, quiet_hours=quiet_hours, needed_by=needed_by, in_reply_to_id=in_reply_to_id
        ),
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
    quiet_hours: QuietHours | None = None,
    needed_by: datetime | None = None,
) -> Message:
    """Queue one outbound message; it goes out when ``due_at`` (default ``now``) has come.

    With ``quiet_hours`` (an unsolicited message) it waits for the end of quiet hours, unless
    ``needed_by`` comes first; see the module's docstring.
    """
    message = compose(
        phone=phone, template=template, params=params, language=language, purpose=purpose,
        contact_kind=contact_kind, contact_id=contact_id, now=now, due_at=due_at, channel=channel,
        in_reply_to_id=in_reply_to_id, quiet_hours=quiet_hours, needed_by=needed_by,
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
    quiet_hours: QuietHours | None = None,
    needed_by: datetime | None = None,
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
        "due_at": held_due(due_at or now, quiet_hours=quiet_hours, needed_by=needed_by,
                           in_reply_to_id=in_reply_to_id),
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
