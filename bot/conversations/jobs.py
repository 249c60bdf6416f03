"""The clock's part of conversations: questions nobody answered get one re-prompt, then expire;
messages stored but never interpreted (a crash in between) are interpreted.

A re-prompt is not an answer to something the person just sent, so it keeps quiet hours: one
due at night is queued for the morning (``outbox`` holds it with the reminder policy's rule).
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.channels.dispatcher import dispatch
from bot.channels.outbox import enqueue
from bot.channels.peers import DeliveryPeers
from bot.config import Settings
from bot.contacts.lookup import find_by_phone
from bot.conversations.household import waiting_person
from bot.conversations.models import Conversation
from bot.conversations.pipeline import reprocess_received
from bot.conversations.responder import timeout_conversation
from bot.reminders.config import build_policy
from bot.reminders.policy import next_allowed

log = logging.getLogger(__name__)
BATCH = 200
INBOUND_SWEEP_INTERVAL_SECONDS = 30.0


def run_flow_timeouts(engine: Engine, settings: Settings, transport: Any, now: datetime) -> int:
    """Advance every conversation whose wait is over; returns how many were handled."""
    handled = 0
    with Session(engine) as session:
        quiet_hours = partial(next_allowed, policy=build_policy(settings, session=session))
        query = (
            select(Conversation)
            .where(Conversation.wait_until.is_not(None))  # type: ignore[union-attr]
            .where(Conversation.wait_until <= now)  # type: ignore[operator]
            .order_by(Conversation.wait_until)  # type: ignore[arg-type]
            .limit(BATCH)
        )
        if engine.dialect.name == "postgresql":
            # Several app instances may tick at once; each conversation is advanced once.
            query = query.with_for_update(skip_locked=True)
        for conversation in session.exec(query).all():
            # A shared phone: the person the waiting question is about, not the number's first holder.
            contact = waiting_person(session, conversation) or find_by_phone(session, conversation.phone)
            if contact is None or contact.kind != "citizen":
                conversation.wait_until = None
                session.add(conversation)
                continue
            try:
                replies = timeout_conversation(session, contact, conversation, settings, now)
            except Exception:
                log.exception("flow timeout failed", extra={"conversation_id": conversation.id})
                conversation.wait_until = None
                session.add(conversation)
                continue
            if contact.opted_out:
                replies = []
            for reply in replies:
                enqueue(
                    session,
                    phone=reply.to_phone or conversation.phone,
                    template=reply.template,
                    params=reply.params,
                    language=reply.language or contact.language,
                    purpose=reply.purpose,
                    contact_kind=reply.contact_kind or contact.kind,
                    contact_id=reply.contact_id if reply.contact_kind else contact.id,
                    now=now,
                    quiet_hours=quiet_hours,
                )
            handled += 1
        session.commit()
    return handled


def flow_timeouts_job(engine: Engine, settings: Settings, transport: Any, now: datetime) -> None:
    """The scheduled job: advance every conversation whose wait is over."""
    handled = run_flow_timeouts(engine, settings, transport, now)
    if handled:
        log.info("flow timeouts advanced", extra={"conversations": handled})


def inbound_sweep_job(
    engine: Engine, settings: Settings, transport: Any, now: datetime, *, peers: DeliveryPeers
) -> None:
    """Interpret what was stored but not interpreted, and send the replies at once, telling ``peers``."""
    reply_ids = reprocess_received(engine, settings, now)
    if reply_ids:
        dispatch(engine, settings, transport, now, only_ids=reply_ids, peers=peers)
