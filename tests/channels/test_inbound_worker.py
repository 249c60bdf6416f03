"""The inbound worker: the webhook answers once a message is stored, and nothing stored is left behind."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.app import create_app
from bot.channels.inbound_store import store_inbound
from bot.channels.models import Direction, Message, MessageStatus, SignatureVerdict
from bot.channels.simulator import SimulatorTransport
from bot.composition import delivery_peers
from bot.config import Settings
from bot.conversations import inbound_worker
from bot.conversations.inbound_worker import InboundWorker
from tests.channels.helpers import add_citizen
from tests.channels.webhook_helpers import inbound_params, post_signed

PEERS = delivery_peers()


def _statuses(engine: Engine) -> list[MessageStatus]:
    with Session(engine) as session:
        query = select(Message.status).where(Message.direction == Direction.inbound).order_by(col(Message.id))
        return list(session.exec(query).all())


def _replies_to(engine: Engine) -> list[int | None]:
    with Session(engine) as session:
        query = select(Message.in_reply_to_id).where(Message.direction == Direction.outbound)
        return sorted(i for i in session.exec(query).all() if i is not None)


def _store(engine: Engine, sid: str, now: datetime, body: str = "hej") -> int:
    with Session(engine) as session:
        return store_inbound(
            session, provider_sid=sid, from_address="+4520123456", body=body, raw_payload={"Body": body},
            signature=SignatureVerdict.valid, now=now,
        ).message_id


def test_the_webhook_answers_once_stored_and_the_worker_answers_the_citizen(
    engine: Engine, settings: Settings
) -> None:
    add_citizen(engine)
    app = create_app(settings, engine=engine, transport=SimulatorTransport())
    with TestClient(app) as client:
        app.state.inbound_worker.stop()  # as if the process died right after answering Twilio
        response = post_signed(client, "/sms/inbound", inbound_params("SM" + "1" * 32, "+4520123456"))
        assert response.status_code == 200
        assert _statuses(engine) == [MessageStatus.received]
        assert _replies_to(engine) == []

        app.state.inbound_worker.start()
        assert app.state.inbound_worker.wait_idle(timeout=30)
    assert _statuses(engine) == [MessageStatus.processed]
    assert set(_replies_to(engine)) == {1}


def test_messages_stored_before_a_crash_are_answered_when_the_app_starts(
    engine: Engine, settings: Settings, now: datetime
) -> None:
    add_citizen(engine)
    stored = [_store(engine, f"SM{i}", now) for i in range(3)]
    app = create_app(settings, engine=engine, transport=SimulatorTransport())
    with TestClient(app):
        pass  # start-up alone: the worker's first pass takes what an earlier process left
    assert _statuses(engine) == [MessageStatus.processed] * 3
    assert set(_replies_to(engine)) == set(stored)


def test_while_posts_keep_arriving_the_worker_still_moves(
    engine: Engine, settings: Settings, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Giving way to the webhook is bounded: a burst that never ends delays replies, never stops them."""
    monkeypatch.setattr(inbound_worker, "YIELD_AT_MOST_SECONDS", 0.05)
    add_citizen(engine)
    _store(engine, "SM1", now)
    asked = threading.Event()

    def always_receiving() -> bool:
        asked.set()
        return True

    worker = InboundWorker(engine, settings, SimulatorTransport(), receiving=always_receiving, peers=PEERS)
    worker.start()
    try:
        assert worker.wait_idle(timeout=30)
    finally:
        worker.stop()
    assert asked.is_set()
    assert _statuses(engine) == [MessageStatus.processed]


def test_a_stopped_worker_is_not_started_again_by_a_late_message(
    engine: Engine, settings: Settings, now: datetime
) -> None:
    worker = InboundWorker(engine, settings, SimulatorTransport(), peers=PEERS)
    worker.start()
    worker.stop()
    _store(engine, "SM1", now)
    worker.wake()
    assert not worker.wait_idle(timeout=0.2)
    assert _statuses(engine) == [MessageStatus.received]
