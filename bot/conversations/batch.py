"""Interpreting stored messages in batches: one transaction for many messages.

One message at a time costs a transaction of its own: its claim, its BEGIN and COMMIT, and on the
ledger's side the lock, the predecessor read and the head update for every reply. Under a burst
those dominate, most of all on PostgreSQL where each is a round trip. So the worker takes the
ledger's lock, claims a batch of stored messages (``SELECT ... FOR UPDATE SKIP LOCKED``, then one
UPDATE that marks them processed and names their senders: several app instances take disjoint
batches without a leader), interprets them in id order in one session (one person's messages
keep the order they were sent; a later message sees what an earlier one recorded), queues every
reply in one flush, writes the ledger's links once and commits once.

The guarantees stay those of ``process_inbound``: the claim marks the messages processed in the
same transaction as their effects and replies, so they are processed, and answered, once or not
at all. If anything in the batch fails, the whole batch is rolled back and its messages go through
``process_inbound`` one by one, which confines the failure to the message that causes it.
Messages with photos or documents to fetch are handed back to that path too: fetching must not
happen while holding claims.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import case, literal, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from bot.channels import ledger, media
from bot.channels.media_fetch import wanted
from bot.channels.models import ContactKind, Direction, Message, MessageStatus
from bot.config import Settings
from bot.contacts.registry import ContactRef, holders_of_many
from bot.conversations.pipeline import add_replies, process_inbound, queue_answers, respond, track_queued
from bot.db import claim_clause

log = logging.getLogger("bot.channels.inbound")
# How often a batch asks for the ledger's lock while another transaction holds it.
LEDGER_POLL_SECONDS = 0.005
# A batch gives the ledger's lock up to a webhook's store queued for it once it held it this long:
# the store's post is waiting for its answer, and a few milliseconds keep at least one message
# interpreted per batch.
SHARE_AFTER_SECONDS = 0.01
_KIND = Message.__table__.c.contact_kind.type  # type: ignore[attr-defined]


@dataclass
class Batch:
    """What one pass did: messages claimed (0: nothing was waiting) and the replies to send."""

    claimed: int = 0
    reply_ids: list[int] = field(default_factory=list)
    deferred: bool = False  # the database failed: nothing was done, try again later


def process_batch(
    engine: Engine, *, settings: Settings, now: datetime, limit: int,
    enough: Callable[[float], bool] = lambda _held: False,
) -> Batch:
    """Claim up to ``limit`` received messages and interpret them together; see the module.

    ``enough`` is asked after each message with the seconds the batch has held the ledger (not
    counting the wait for it): when it says so, the batch commits what it has done and hands
    the rest back (the webhook is waiting for the database).
    """
    claimed: list[Message] = []
    try:
        with Session(engine, expire_on_commit=False) as session:
            # The ledger's lock before any other, even before the claim: a batch's replies and
            # receipts take it between row locks (a conversation, a reference counter) that
            # another instance's batch may take in the other order, and two such batches would
            # deadlock. Taken first, batches write one after the other, as on SQLite, and never
            # wait for each other in a cycle. Claiming under it means an instance waiting for
            # its turn holds no messages back from the one interpreting, and batches take the
            # oldest messages in turn, so one person's messages are interpreted in the order
            # they came whichever instance takes them.
            _take_ledger(session)
            # Every flush of the batch chains its messages; the links are written once, at commit.
            ledger.defer(session)
            locked_at = time.monotonic()
            claimed, known = _claim(session, limit=limit, now=now)
            if not claimed:
                return Batch()
            batch, handed_back = _until_media(claimed)
            if handed_back:
                _release(session, [m.id for m in handed_back if m.id is not None])
            reply_ids, done = _interpret_all(
                session, batch, known, settings=settings, now=now,
                enough=_sharing(session, locked_at, enough),
            )
            if done < len(batch):
                _release(session, [m.id for m in batch[done:] if m.id is not None])
                batch, handed_back = batch[:done], []
            session.commit()
    except OperationalError:
        # The database itself failed: every claim is rolled back, the messages stay received.
        log.exception("inbound batch deferred")
        return Batch(deferred=True)
    except Exception:
        log.exception("inbound batch failed; its messages are processed one by one")
        return _one_by_one([m.id for m in claimed if m.id is not None], settings, engine, now)
    result = Batch(len(batch), reply_ids)
    if handed_back and handed_back[0].id is not None:
        # The message with media goes next, before anything stored after it.
        result.claimed += 1
        result.reply_ids.extend(process_inbound(engine, handed_back[0].id, settings=settings, now=now))
    log.info("inbound batch processed", extra={"count": result.claimed, "replies": len(result.reply_ids)})
    return result


def _take_ledger(session: Session) -> None:
    """Wait for the ledger's lock without queueing for it (PostgreSQL): batches can wait, a
    webhook's store cannot, so only stores (and single messages) queue, and a batch that sees
    somebody queued knows it is somebody who should not wait long (``_share``)."""
    connection = session.connection()
    while not ledger.try_lock(connection):
        time.sleep(LEDGER_POLL_SECONDS)


def _sharing(session: Session, locked_at: float, enough: Callable[[float], bool]) -> Callable[[], bool]:
    """Whether to commit now: the caller says so, or a store is queued for the ledger's lock (on
    any instance) after the batch held it ``SHARE_AFTER_SECONDS``; asked at most that often."""
    asked_at = locked_at

    def over() -> bool:
        nonlocal asked_at
        now = time.monotonic()
        if enough(now - locked_at):
            return True
        if now - asked_at < SHARE_AFTER_SECONDS:
            return False
        asked_at = now
        return ledger.wanted(session.connection())

    return over


def _until_media(claimed: list[Message]) -> tuple[list[Message], list[Message]]:
    """The claimed messages before the first with media to fetch, and that one with the rest:
    those are handed back so that no message overtakes an earlier one from the same person."""
    for index, message in enumerate(claimed):
        if wanted(message.raw_payload or {}):
            return claimed[:index], claimed[index:]
    return claimed, []


def _interpret_all(
    session: Session, batch: list[Message], known: dict[str, list[ContactRef]], *,
    settings: Settings, now: datetime, enough: Callable[[], bool],
) -> tuple[list[int], int]:
    """Interpret ``batch`` in order until ``enough``; the reply ids and how many were interpreted.

    ``known`` says who holds each number. Only a number's first message uses it: a later one
    sees what the earlier one changed (an opt-out, a new language)."""
    inserted = track_queued(session)
    # None of these announced files (those go one by one): no query for their media.
    session.info[media.NONE_FOR] = {message.id for message in batch}
    answers = []
    for message in batch:
        answer = respond(session, message, settings=settings, now=now, holders=known.pop(message.phone, None))
        add_replies(session, answer, now=now)
        answers.append(answer)
        if enough():
            break
    answered = queue_answers(session, answers, inserted, now=now)
    return sorted({reply_id for ids in answered.values() for reply_id in ids}), len(answers)


def _one_by_one(ids: list[int], settings: Settings, engine: Engine, now: datetime) -> Batch:
    result = Batch(len(ids))
    for message_id in ids:
        result.reply_ids.extend(process_inbound(engine, message_id, settings=settings, now=now))
    return result


def _claim(
    session: Session, *, limit: int, now: datetime
) -> tuple[list[Message], dict[str, list[ContactRef]]]:
    """Claim the oldest received messages and who holds their numbers; the claim marks them
    processed and names their senders in one UPDATE, so answering needs no update of its own."""
    claimable = (
        select(Message.id, Message.phone)
        .where(Message.direction == Direction.inbound, Message.status == MessageStatus.received)
        .order_by(col(Message.id))
        .limit(limit)
        .with_for_update(**claim_clause(session))
    )
    rows = session.exec(claimable).all()
    if not rows:
        return [], {}
    known = holders_of_many(session, {phone for _, phone in rows})
    senders = {message_id: known[phone][0] for message_id, phone in rows if known[phone]}
    values: dict[str, Any] = {"status": MessageStatus.processed, "status_at": now}
    if senders:
        values["contact_kind"] = case(
            {message_id: literal(ContactKind(ref.kind), _KIND) for message_id, ref in senders.items()},
            value=Message.id, else_=Message.contact_kind,
        )
        values["contact_id"] = case(
            {message_id: ref.id for message_id, ref in senders.items()},
            value=Message.id, else_=Message.contact_id,
        )
    claim = update(Message).where(col(Message.id).in_([message_id for message_id, _ in rows])).values(values)
    claimed = session.scalars(
        claim.returning(Message), execution_options={"synchronize_session": False, "populate_existing": True}
    )
    return sorted(claimed, key=lambda message: message.id or 0), known


def _release(session: Session, ids: list[int]) -> None:
    """Hand claimed messages back (still inside the claiming transaction: nobody saw them taken)."""
    session.execute(
        update(Message)
        .where(col(Message.id).in_(ids))
        .values(status=MessageStatus.received, status_at=Message.created_at,
                contact_kind=ContactKind.unknown, contact_id=None),
        execution_options={"synchronize_session": False},
    )


__all__ = ["Batch", "process_batch"]
