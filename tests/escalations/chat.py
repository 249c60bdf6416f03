"""Drive the real inbound pipeline with an employer's text and read the replies as sent."""

from __future__ import annotations

import itertools
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.channels.inbound_store import store_inbound
from bot.channels.models import Direction, Message, SignatureVerdict
from bot.config import Settings
from bot.conversations.pipeline import process_inbound
from bot.i18n import render

_sids = itertools.count(1)


def rendered(message: Message) -> str:
    return render(message.template or "", message.locale or "da", message.params)


def text_in(engine: Engine, settings: Settings, phone: str, body: str, at: datetime) -> list[str]:
    """Send ``body`` from ``phone`` at ``at``; the texts queued back to ``phone``, rendered."""
    with Session(engine, expire_on_commit=False) as session:
        stored = store_inbound(
            session,
            provider_sid=f"SM{next(_sids):032d}",
            from_address=phone,
            body=body,
            raw_payload={},
            signature=SignatureVerdict.not_applicable,
            now=at,
        )
    ids = process_inbound(engine, stored.message_id, settings=settings, now=at)
    with Session(engine) as session:
        replies = session.exec(
            select(Message).where(col(Message.id).in_(ids)).order_by(col(Message.id))
        ).all()
        return [rendered(m) for m in replies if m.phone == phone and m.direction == Direction.outbound]


def sent_to(engine: Engine, phone: str) -> list[str]:
    with Session(engine) as session:
        query = select(Message).where(Message.phone == phone, Message.direction == Direction.outbound)
        return [rendered(m) for m in session.exec(query.order_by(col(Message.id))).all()]
