"""The inbound pipeline: store first, then think, then queue the replies.

``store_inbound`` (``bot.channels.inbound_store``) commits the message (raw payload,
provider SID, signature verdict) before anything reads it; a repeated provider SID returns the
stored row and changes nothing. ``process_inbound`` runs in its own transaction: it claims the
stored row and marks it processed in one UPDATE (rolled back with the rest if anything fails),
identifies the sender, asks the responder for the contact's kind, and queues the
replies in the outbox. If that raises, the message is marked ``process_failed`` and staff get an
item. Each app process's inbound worker (``bot.conversations.inbound_worker``) processes what is
``received`` in id order; ``reprocess_received`` is the clock's safety net behind it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from bot.channels import ledger
from bot.channels.media_fetch import fetch_for_message, wanted
from bot.channels.models import ContactKind, Direction, Message, MessageStatus
from bot.config import Settings
from bot.contacts.lookup import ContactRef
from bot.contacts.registry import holders_of
from bot.conversations import household
from bot.conversations import service as conversations
from bot.conversations.registry import Reply, responder_for
from bot.conversations.replies import compose_reply
from bot.db import claim_clause
from bot.i18n import N_
from bot.items import service as items
from bot.items.models import ItemKind
from bot.language_detect import detect

log = logging.getLogger("bot.channels.inbound")

REPROCESS_AFTER = timedelta(minutes=1)
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def process_inbound(engine: Engine, message_id: int, *, settings: Settings, now: datetime) -> list[int]:
    """Interpret a stored message once; returns the ids of the queued replies."""
    try:
        with Session(engine, expire_on_commit=False) as session:
            message = _claim_processed(session, message_id, now=now)
            if message is not None and wanted(message.raw_payload or {}):
                # Photos and documents are fetched here, in the worker, never in the webhook,
                # and never while holding the claim: let go, fetch (once), claim again.
                session.rollback()
                fetch_for_message(engine, message_id, settings=settings, now=now)
                message = _claim_processed(session, message_id, now=now)
            if message is None:
                return []
            reply_ids = _interpret(session, message, settings=settings, now=now)
            session.commit()
    except OperationalError:
        # The database itself failed (gone, restarting): not the message's fault. It stays
        # ``received`` and the sweep tries again when the database is back.
        log.exception("inbound processing deferred", extra={"message_id": message_id})
        return []
    except Exception as exc:
        log.exception("inbound processing failed", extra={"message_id": message_id})
        _mark_failed(engine, message_id, exc, now=now)
        return []
    log.info("inbound processed", extra={"message_id": message_id, "replies": len(reply_ids)})
    return reply_ids


def _claim(session: Session, message_id: int) -> Message | None:
    return session.exec(
        select(Message)
        .where(
            Message.id == message_id,
            Message.direction == Direction.inbound,
            Message.status == MessageStatus.received,
        )
        .with_for_update(**claim_clause(session))
    ).first()


def _claim_processed(session: Session, message_id: int, *, now: datetime) -> Message | None:
    """Claim a received message and mark it processed in one statement (an UPDATE whose row
    lock is the claim); a failure rolls the mark back with everything the message did.

    The ledger's lock comes first, as in a batch (``bot.conversations.batch``): its replies take
    it anyway, and taken after a conversation's row lock it could close a cycle with a batch
    that holds it and waits for that row."""
    ledger.lock(session.connection())
    claimable = (
        select(Message.id)
        .where(
            Message.id == message_id,
            Message.direction == Direction.inbound,
            Message.status == MessageStatus.received,
        )
        .with_for_update(**claim_clause(session))
        .scalar_subquery()
    )
    claim = (
        update(Message)
        .where(col(Message.id) == claimable)
        .values(status=MessageStatus.processed, status_at=now)
        .returning(Message)
    )
    claimed: Message | None = session.scalars(
        claim, execution_options={"synchronize_session": False, "populate_existing": True}
    ).first()
    return claimed


def track_queued(session: Session) -> list[Message]:
    """Every outbound message this session inserts, so the replies need no query at the end."""
    queued: list[Message] = []

    def collect(flushing: Any, _context: Any) -> None:
        queued.extend(m for m in flushing.new if isinstance(m, Message) and m.direction == Direction.outbound)

    event.listen(session, "after_flush", collect)
    return queued


@dataclass
class Answer:
    """What interpreting one message decided: its replies, not yet queued."""

    message: Message
    contact: ContactRef | None
    replies: list[Reply]
    # Earlier inbound messages whose domain receipts this message's answer carries too.
    also_answered: set[int] = field(default_factory=set)


def _interpret(session: Session, message: Message, *, settings: Settings, now: datetime) -> list[int]:
    inserted = track_queued(session)
    answer = respond(session, message, settings=settings, now=now)
    return queue_answers(session, [answer], inserted, now=now)[message.id or 0]


def respond(
    session: Session, message: Message, *, settings: Settings, now: datetime,
    holders: list[ContactRef] | None = None,
) -> Answer:
    """Identify the sender (unless ``holders`` says who holds the number), record the
    conversation and ask the responder; queues nothing."""
    if holders is None:
        holders = holders_of(session, message.phone)
    contact = holders[0] if holders else None
    conversation = conversations.record_inbound(
        session, phone=message.phone, contact=contact, at=message.created_at or now, now=now
    )
    if contact is not None:
        message.contact_kind = ContactKind(contact.kind)
        message.contact_id = contact.id
    session.add(message)
    citizens = [holder for holder in holders if holder.kind == "citizen"]
    if contact is None:
        replies = _unknown_sender(session, message, now=now)
    else:
        responder = responder_for(contact.kind)
        if responder is None:
            replies = [Reply(N_("reply.help"))]
        elif len(citizens) > 1:
            # A household's shared phone: whom it is about is known only once it is said.
            message.contact_id = None
            replies, about = household.respond_shared(
                session=session, citizens=citizens, conversation=conversation, message=message,
                settings=settings, now=now, responder=responder,
            )
            contact = about or contact
        elif contact.kind == "citizen":
            replies = household.respond_as(
                session=session, contact=contact, conversation=conversation, message=message,
                settings=settings, now=now, responder=responder,
            )
        else:
            replies = responder(
                session=session, contact=contact, conversation=conversation, message=message,
                settings=settings, now=now,
            )
    if not _E164.match(message.phone):
        # Nothing can be sent back to an address that is not a phone number.
        replies = [reply for reply in replies if reply.to_phone is not None]
    also = set(session.info.pop(household.ALSO_ANSWERED, []))
    return Answer(message, contact, replies, also)


def queue_answers(
    session: Session, answers: list[Answer], inserted: list[Message], *, now: datetime
) -> dict[int, list[int]]:
    """Queue the replies of ``answers`` (those not yet queued) and flush; the reply ids of each
    inbound message: its replies and the receipts the domains queued themselves (linked to their
    record) while it was interpreted."""
    for answer in answers:
        add_replies(session, answer, now=now)
    session.flush()
    answered: dict[int, list[int]] = {}
    for answer in answers:
        message_id = answer.message.id or 0
        ids = {
            m.id for m in inserted
            if m.id is not None and (
                m.in_reply_to_id == message_id
                or (m.in_reply_to_id in answer.also_answered and m.created_at is not None
                    and m.created_at >= now)
            )
        }
        answered[message_id] = sorted(ids)
    return answered


def add_replies(session: Session, answer: Answer, *, now: datetime) -> None:
    """Put the answer's replies in the session, unflushed: they are inserted by the next flush,
    ahead of anything a later message queues, so replies leave in the order messages came."""
    session.add_all([
        compose_reply(reply, inbound=answer.message, contact=answer.contact, now=now)
        for reply in answer.replies
    ])
    answer.replies = []


def _unknown_sender(session: Session, message: Message, *, now: datetime) -> list[Reply]:
    """One item per unknown number while it is open; the sender hears back once per item."""
    key = f"unknown_sender:{message.phone}"
    already_open = items.by_key(session, key) is not None
    item = items.open(
        session,
        kind=ItemKind.unknown_sender,
        summary=f"Message from unknown number {message.phone}: find out who it is.",
        now=now,
        dedupe_key=key,
        phone=message.phone,
        message_id=message.id,
        details={"channel": message.channel.value},
        due_at=now + timedelta(hours=24),
        summary_id="unknown_sender",
    )
    if already_open:
        item.details = {**item.details, "later_messages": int(item.details.get("later_messages", 0)) + 1}
        session.add(item)
        return []
    return unknown_sender_replies(message.body or "")


def unknown_sender_replies(text: str) -> list[Reply]:
    """A stranger is answered in the language their message is written in, then in Danish (two
    short SMS, each well within three segments); with no sign of a language, in the one text
    that is Danish, English and Arabic."""
    language = detect(text)
    if language is None:
        return [Reply(N_("reply.unknown_sender"), language="da")]
    replies = [Reply(N_("reply.unknown_sender_in"), language=language)]
    if language != "da":
        replies.append(Reply(N_("reply.unknown_sender_in"), language="da"))
    return replies


def _mark_failed(engine: Engine, message_id: int, exc: Exception, *, now: datetime) -> None:
    with Session(engine, expire_on_commit=False) as session:
        message = _claim(session, message_id)
        if message is None:
            return
        message.status = MessageStatus.process_failed
        message.status_at = now
        message.error_message = f"{type(exc).__name__}: {exc}"[:500]
        session.add(message)
        items.open(
            session,
            kind=ItemKind.processing_failed,
            summary=f"A message from {message.phone} could not be handled automatically: read it.",
            now=now,
            dedupe_key=f"processing_failed:{message_id}",
            phone=message.phone,
            message_id=message_id,
            details={"error": type(exc).__name__},
            due_at=now,
            summary_id="processing_failed",
        )
        session.commit()


def received_ids(engine: Engine, *, limit: int, stored_before: datetime | None = None) -> list[int]:
    """Ids of stored, unprocessed inbound messages, oldest first."""
    query = select(Message.id).where(
        Message.direction == Direction.inbound, Message.status == MessageStatus.received
    )
    if stored_before is not None:
        query = query.where(col(Message.created_at) < stored_before)
    with Session(engine) as session:
        rows = session.exec(query.order_by(col(Message.id)).limit(limit))
        return [message_id for message_id in rows if message_id is not None]


def reprocess_received(
    engine: Engine, settings: Settings, now: datetime, *, older_than: timedelta = REPROCESS_AFTER
) -> list[int]:
    """Process messages stored but never processed (a crash in between); returns reply ids."""
    ids = received_ids(engine, limit=200, stored_before=now - older_than)
    reply_ids: list[int] = []
    for message_id in ids:
        reply_ids.extend(process_inbound(engine, message_id, settings=settings, now=now))
    if ids:
        log.info("inbound reprocessed", extra={"count": len(ids)})
    return reply_ids


__all__ = ["process_inbound", "received_ids", "reprocess_received"]
