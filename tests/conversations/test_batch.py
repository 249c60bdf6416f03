"""Interpreting in batches: many messages per transaction, each still processed and answered once."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot import wiring
from bot.channels import ledger
from bot.channels.inbound_store import store_inbound
from bot.channels.models import Direction, Message, MessageStatus, SignatureVerdict
from bot.config import Settings
from bot.conversations import registry
from bot.conversations.batch import process_batch
from bot.conversations.registry import Reply
from tests.channels.helpers import add_citizen


@pytest.fixture(autouse=True)
def wired() -> None:
    wiring.wire()


def _store(engine: Engine, sid: str, phone: str, body: str, at: datetime) -> int:
    with Session(engine) as session:
        return store_inbound(
            session, provider_sid=sid, from_address=phone, body=body, raw_payload={"Body": body},
            signature=SignatureVerdict.valid, now=at,
        ).message_id


def _messages(engine: Engine, direction: Direction) -> list[Message]:
    with Session(engine) as session:
        query = select(Message).where(Message.direction == direction).order_by(col(Message.id))
        return list(session.exec(query).all())


def test_one_persons_messages_in_one_batch_are_answered_in_order_each_once(
    engine: Engine, settings: Settings, now: datetime
) -> None:
    add_citizen(engine, phone="+4520123456")
    bodies = ["hjælp", "jeg er syg i dag", "hjælp"]
    ids = [_store(engine, f"SM{i}", "+4520123456", body, now) for i, body in enumerate(bodies)]

    batch = process_batch(engine, settings=settings, now=now + timedelta(seconds=1), limit=32)

    assert batch.claimed == 3
    assert [m.status for m in _messages(engine, Direction.inbound)] == [MessageStatus.processed] * 3
    replies = _messages(engine, Direction.outbound)
    assert sorted(batch.reply_ids) == [m.id for m in replies]
    # Every message has its answer, and the answers were queued in the order the messages came.
    answered = [m.in_reply_to_id for m in replies if m.in_reply_to_id in ids]
    assert set(answered) == set(ids)
    assert answered == sorted(answered)
    assert process_batch(engine, settings=settings, now=now + timedelta(seconds=2), limit=32).claimed == 0
    with Session(engine) as session:
        assert ledger.verify(session) is None


def test_a_message_that_fails_costs_only_itself_its_answer(
    engine: Engine, settings: Settings, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_citizen(engine, phone="+4520123456")
    add_citizen(engine, phone="+4520654321", name="Omar")
    original = registry._responders["citizen"]

    def fails_for_omar(**kwargs: Any) -> list[Reply]:
        if kwargs["message"].phone == "+4520654321":
            raise RuntimeError("flow exploded")
        replies: list[Reply] = original(**kwargs)
        return replies

    monkeypatch.setitem(registry._responders, "citizen", fails_for_omar)
    first = _store(engine, "SM1", "+4520123456", "hjælp", now)
    broken = _store(engine, "SM2", "+4520654321", "hjælp", now)
    last = _store(engine, "SM3", "+4520123456", "hjælp", now)

    batch = process_batch(engine, settings=settings, now=now, limit=32)

    statuses = {m.id: m.status for m in _messages(engine, Direction.inbound)}
    assert statuses == {first: MessageStatus.processed, broken: MessageStatus.process_failed,
                        last: MessageStatus.processed}
    replies = _messages(engine, Direction.outbound)
    assert sorted(m.in_reply_to_id or 0 for m in replies) == [first, last]
    assert sorted(batch.reply_ids) == [m.id for m in replies]
    with Session(engine) as session:
        assert ledger.verify(session) is None


@pytest.fixture
def shared_engine(engine: Engine, file_engine: Engine) -> Engine:
    """A database several threads can write to: PostgreSQL, or SQLite on disk."""
    return engine if engine.dialect.name == "postgresql" else file_engine


def test_workers_side_by_side_take_each_message_once(
    shared_engine: Engine, settings: Settings, now: datetime
) -> None:
    engine = shared_engine
    phones = [f"+45201000{i:02d}" for i in range(6)]
    for index, phone in enumerate(phones):
        add_citizen(engine, phone=phone, name=f"Borger {index}")
    ids = [_store(engine, f"SM{i}", phones[i % len(phones)], "hjælp", now) for i in range(60)]

    def work() -> None:
        while process_batch(engine, settings=settings, now=now, limit=5).claimed:
            pass

    workers = [threading.Thread(target=work) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)

    assert all(m.status == MessageStatus.processed for m in _messages(engine, Direction.inbound))
    answered = [m.in_reply_to_id for m in _messages(engine, Direction.outbound)]
    assert sorted(answered) == ids  # one answer each: none lost, none twice
    with Session(engine) as session:
        assert ledger.verify(session) is None


def test_a_batch_cut_short_commits_what_it_did_and_hands_back_the_rest(
    engine: Engine, settings: Settings, now: datetime
) -> None:
    """The webhook waiting for the database cuts a batch short; nothing is lost or done twice."""
    add_citizen(engine, phone="+4520123456")
    ids = [_store(engine, f"SM{i}", "+4520123456", "hjælp", now) for i in range(3)]

    first = process_batch(engine, settings=settings, now=now, limit=32, enough=lambda _held: True)

    assert first.claimed == 1
    statuses = [m.status for m in _messages(engine, Direction.inbound)]
    assert statuses == [MessageStatus.processed, MessageStatus.received, MessageStatus.received]
    assert process_batch(engine, settings=settings, now=now, limit=32).claimed == 2
    answered = [m.in_reply_to_id for m in _messages(engine, Direction.outbound)]
    assert answered == ids
