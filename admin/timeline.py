"""The messages with one phone, both ways, as staff read them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from admin.i18n import T_
from bot.channels.models import Direction, Message, MessageStatus
from bot.i18n import render as render_text

# How staff read each delivery status (admin catalog ids).
STATUS_LABELS: dict[str, str] = {
    "received": T_("received"),
    "processed": T_("processed"),
    "process_failed": T_("could not be processed"),
    "queued": T_("queued"),
    "sending": T_("sending"),
    "sent": T_("sent"),
    "delivered": T_("delivered"),
    "undelivered": T_("not delivered"),
    "failed": T_("failed"),
    "cancelled": T_("not sent"),
}

PROBLEM_STATUSES = frozenset(
    {MessageStatus.failed, MessageStatus.undelivered, MessageStatus.process_failed, MessageStatus.cancelled}
)


@dataclass(frozen=True)
class TimelineMessage:
    id: int
    inbound: bool
    text: str
    status: str
    status_label: str
    problem: bool
    at: datetime | None
    channel: str
    error: str | None


def text_of(message: Message) -> str:
    """What was (or will be) sent: the stored body, else the message id rendered as it will be."""
    if message.body is not None:
        return message.body
    if message.template:
        return render_text(message.template, message.locale or "da", message.params)
    return ""


def timeline(session: Session, phone: str, *, limit: int = 200) -> list[TimelineMessage]:
    """The newest ``limit`` messages with ``phone``, oldest first (the way a chat reads)."""
    rows = session.exec(
        select(Message)
        .where(Message.phone == phone)
        .order_by(col(Message.created_at).desc(), col(Message.id).desc())
        .limit(limit)
    ).all()
    return [
        TimelineMessage(
            id=m.id or 0,
            inbound=m.direction == Direction.inbound,
            text=text_of(m),
            status=m.status.value,
            status_label=STATUS_LABELS.get(m.status.value, m.status.value),
            problem=m.status in PROBLEM_STATUSES,
            at=m.created_at,
            channel=(m.sent_channel or m.channel).value,  # how it went, after any fallback
            error=m.error_message or m.error_code,
        )
        for m in reversed(rows)
    ]
