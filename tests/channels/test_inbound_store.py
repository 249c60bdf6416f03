"""Storing inbound posts in batches: one row per SID, a sealed ledger, and one bad post costs only itself."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlalchemy.exc import StatementError
from sqlmodel import Session, col, func, select

from bot.channels import ledger
from bot.channels.inbound_store import InboundPost, Stored, store_batch, store_posts
from bot.channels.models import Direction, Message, MessageStatus, SignatureVerdict


def _post(sid: str, now: datetime, *, phone: str = "+4520123456", body: str = "hej", **payload: object) -> InboundPost:
    return InboundPost(
        provider_sid=sid, from_address=phone, body=body, received_at=now,
        raw_payload={"MessageSid": sid, "From": phone, "Body": body, **payload},
    )


def _inbound(engine: Engine) -> list[Message]:
    with Session(engine) as session:
        return list(session.exec(
            select(Message).where(Message.direction == Direction.inbound).order_by(col(Message.id))
        ).all())


def test_a_batch_stores_each_post_as_a_sealed_message(engine: Engine, now: datetime) -> None:
    posts = [_post("SM1", now, body="Jeg er syg"), _post("SM2", now, phone="whatsapp:+4520999888", body="ana mareed")]
    with engine.begin() as connection:
        results = store_batch(connection, posts)

    stored = _inbound(engine)
    assert [r.message_id for r in results] == [m.id for m in stored]
    assert all(not r.duplicate and r.status == MessageStatus.received for r in results)
    first, second = stored
    assert (first.provider_sid, first.phone, first.channel.value, first.body) == ("SM1", "+4520123456", "sms", "Jeg er syg")
    assert (second.phone, second.channel.value) == ("+4520999888", "whatsapp")
    assert second.raw_payload["Body"] == "ana mareed" and second.signature == SignatureVerdict.valid
    assert first.created_at == now and first.body_sha256 == ledger.sha256_text("Jeg er syg")
    with Session(engine) as session:
        assert ledger.check(session).ok


def test_a_sid_stored_before_or_repeated_in_the_batch_is_a_duplicate_of_its_row(engine: Engine, now: datetime) -> None:
    with engine.begin() as connection:
        [earlier] = store_batch(connection, [_post("SMold", now)])
    with engine.begin() as connection:
        results = store_batch(connection, [_post("SMnew", now), _post("SMold", now), _post("SMnew", now)])

    new, old, repeat = results
    assert not new.duplicate
    assert old == Stored(earlier.message_id, True, MessageStatus.received)
    assert repeat == Stored(new.message_id, True, MessageStatus.received)
    assert [m.provider_sid for m in _inbound(engine)] == ["SMold", "SMnew"]


def test_a_post_the_database_refuses_costs_only_itself(engine: Engine, now: datetime) -> None:
    unstorable = _post("SMbad", now, Extra=object())  # not JSON: the insert of this row fails
    results = store_posts(engine, [_post("SMa", now), unstorable, _post("SMb", now)])

    first, refused, last = results
    assert isinstance(first, Stored) and isinstance(last, Stored)
    assert isinstance(refused, StatementError | TypeError)  # as the driver reports it
    assert [m.provider_sid for m in _inbound(engine)] == ["SMa", "SMb"]
    with Session(engine) as session:
        assert ledger.check(session).ok


def test_writers_storing_the_same_sids_at_once_store_each_once(shared_engine: Engine, now: datetime) -> None:
    """Two app instances each get Twilio's original and its retry: one row per SID, one id for all."""
    sids = [f"SM{i:04d}" for i in range(60)]

    def writer(seed: int) -> dict[str, int]:
        order = random.Random(seed).sample(sids, len(sids))
        ids: dict[str, int] = {}
        for start in range(0, len(order), 7):
            batch = [_post(sid, now) for sid in order[start:start + 7]]
            for post, result in zip(batch, store_posts(shared_engine, batch), strict=True):
                assert isinstance(result, Stored), result
                ids[post.provider_sid] = result.message_id
        return ids

    with ThreadPoolExecutor(max_workers=4) as pool:
        seen = list(pool.map(writer, range(4)))  # a writer's exception is raised here

    assert all(ids == seen[0] for ids in seen)
    with Session(shared_engine) as session:
        assert session.exec(select(func.count()).select_from(Message)).one() == len(sids)
        assert ledger.check(session).ok
