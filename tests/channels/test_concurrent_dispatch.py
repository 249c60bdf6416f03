"""Several dispatchers at once never send one message twice."""

from __future__ import annotations

import threading
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.channels.dispatcher import dispatch
from bot.channels.models import Message, MessageStatus
from bot.channels.ratelimit import TokenBucket
from bot.channels.simulator import SimulatorTransport
from bot.composition import delivery_peers
from bot.config import Settings
from tests.channels.helpers import queue

PEERS = delivery_peers()


def test_parallel_dispatchers_send_each_message_once(shared_engine: Engine, settings: Settings, now: datetime) -> None:
    for i in range(40):
        queue(shared_engine, now, phone=f"+45201234{i:02d}")
    transport = SimulatorTransport()
    bucket = TokenBucket(10_000)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            dispatch(shared_engine, settings, transport, now, bucket=bucket, peers=PEERS)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    recipients = [item.to for item in transport.sent]
    assert len(recipients) == 40
    assert len(set(recipients)) == 40
    with Session(shared_engine) as session:
        statuses = {m.status for m in session.exec(select(Message)).all()}
    assert statuses == {MessageStatus.delivered}
