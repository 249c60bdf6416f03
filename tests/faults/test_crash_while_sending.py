"""Crash while sending: SIGKILL one of three dispatcher processes in the middle of a batch, on
PostgreSQL. No message reaches Twilio twice, and every message is either sent or shown to staff
as "may not have been sent"."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from bench.harness import ROOT
from bot.channels.dispatcher import MAYBE_NOT_SENT, reconcile_sending
from bot.channels.models import Direction, Message, MessageStatus
from bot.channels.twilio_transport import TwilioTransport
from bot.clock import utcnow
from bot.composition import delivery_peers
from bot.db import make_engine
from bot.items.models import OpenItem
from tests.conftest import PG_URL
from tests.faults.conftest import FROM_NUMBER

PEERS = delivery_peers()

MESSAGES = 150
WORKERS = 3
KILL_AFTER_REQUESTS = 40

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (set BOT_TEST_DATABASE_URL)"),
]


def _wait_for(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        time.sleep(0.01)


def test_a_dispatcher_killed_mid_batch_sends_nothing_twice_and_loses_nothing(pg_url, fake_twilio, twilio_settings):
    engine = make_engine(pg_url)
    now = utcnow()
    with Session(engine) as s:
        for i in range(MESSAGES):
            s.add(Message(direction=Direction.outbound, phone=f"+45223{i:05d}", body=f"Påmindelse {i}",
                          status=MessageStatus.queued, due_at=now, created_at=now, purpose="reminder"))
        s.commit()
    # A slow Twilio: every request takes a moment, so a kill lands while one is in flight.
    fake_twilio.stall_next(MESSAGES * 2, seconds=0.03, accept=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    workers = [
        subprocess.Popen([sys.executable, "-m", "tests.faults.dispatch_worker", pg_url, fake_twilio.url],
                         cwd=ROOT, env=env, start_new_session=True)
        for _ in range(WORKERS)
    ]
    try:
        _wait_for(lambda: len(fake_twilio.create_requests()) >= KILL_AFTER_REQUESTS, timeout=60)
        os.kill(workers[0].pid, signal.SIGKILL)
        workers[0].wait(timeout=10)
        for worker in workers[1:]:
            assert worker.wait(timeout=60) == 0
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()

    transport = TwilioTransport(account_sid=fake_twilio.account_sid, auth_token=fake_twilio.auth_token,
                                api_url=fake_twilio.url, from_number=FROM_NUMBER, timeout_seconds=5)
    reconcile_sending(engine, twilio_settings, transport, utcnow() + timedelta(minutes=11), peers=PEERS)

    copies = Counter(request.form.get("Body") for request in fake_twilio.create_requests())
    assert copies and max(copies.values()) == 1, {body: n for body, n in copies.items() if n > 1}
    with Session(engine) as s:
        rows = s.exec(select(Message).where(Message.direction == Direction.outbound)).all()
        items = {i.message_id: i for i in s.exec(select(OpenItem).where(OpenItem.kind == "maybe_not_sent")).all()}
    statuses = Counter(m.status for m in rows)
    assert len(rows) == MESSAGES
    accepted = {m["sid"] for m in fake_twilio.created()}
    for message in rows:
        if message.status in (MessageStatus.sent, MessageStatus.delivered):
            assert message.provider_sid in accepted
        else:
            assert message.status == MessageStatus.failed and message.error_code == MAYBE_NOT_SENT, message
            assert message.id in items, f"message {message.id} may not have been sent and staff were not told"
    assert statuses[MessageStatus.failed] >= 1, "the kill hit no message in flight"
    engine.dispose()
