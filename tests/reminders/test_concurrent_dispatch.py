"""Four dispatchers at once on PostgreSQL: every reminder becomes one message, sent once."""

from __future__ import annotations

import os
import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, text
from sqlmodel import Session, select

import bot.tables
from bot.channels import dispatcher
from bot.channels.models import Message, MessageStatus
from bot.channels.simulator import SimulatorTransport
from bot.composition import delivery_peers
from bot.config import Settings
from bot.contacts.models import Citizen
from bot.db import make_engine
from bot.reminders.dispatch import enqueue_due, settle_sent
from bot.reminders.models import Appointment, AppointmentKind, Reminder, ReminderStatus

from .helpers import local

PEERS = delivery_peers()

PG_URL = os.environ.get("BOT_TEST_DATABASE_URL", "")
SCHEMA = f"test_reminders_{os.getpid()}"
COUNT = 5000
WORKERS = 4

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.slow,
    pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (set BOT_TEST_DATABASE_URL)"),
]


@pytest.fixture
def pg_engine():
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    engine = make_engine(PG_URL, schema=SCHEMA)
    bot.tables.metadata.create_all(engine)
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    admin.dispose()


def _seed(engine, now):
    starts = now + timedelta(days=1)
    with engine.begin() as conn:
        conn.execute(insert(Citizen), [
            {"id": i, "name": f"Citizen {i}", "phone": f"+4560{i:06d}", "language": "da",
             "opted_out": False} for i in range(1, COUNT + 1)
        ])
        conn.execute(insert(Appointment), [
            {"id": i, "citizen_id": i, "kind": AppointmentKind.meeting, "starts_at": starts,
             "status": "planned", "confirmation": "none", "skip_holidays": True}
            for i in range(1, COUNT + 1)
        ])
        conn.execute(insert(Reminder), [
            {"appointment_id": i, "recipient_kind": "citizen", "recipient_id": i, "kind": "before_24h",
             "template": "reminder.meeting", "due_at": now - timedelta(seconds=i % 60),
             "status": "pending", "asks_confirmation": True}
            for i in range(1, COUNT + 1)
        ])


def test_four_dispatchers_send_every_reminder_exactly_once(pg_engine):
    now = local(2026, 11, 25, 10)
    _seed(pg_engine, now)
    settings = Settings(_env_file=None, sms_max_per_second=1_000_000, demo=True)  # type: ignore[call-arg]
    transport = SimulatorTransport()
    errors: list[BaseException] = []
    start = threading.Barrier(WORKERS)

    def worker() -> None:
        try:
            start.wait()
            while True:
                report = enqueue_due(pg_engine, now, settings.timezone, batch=50, max_batches=1)
                sent = dispatcher.dispatch(pg_engine, settings, transport, now, limit=200, peers=PEERS)
                if report.enqueued == 0 and sent.handled == 0:
                    break
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    settle_sent(pg_engine, now)

    with Session(pg_engine) as s:
        reminders = s.exec(select(Reminder)).all()
        assert len(reminders) == COUNT
        assert {r.status for r in reminders} == {ReminderStatus.sent}
        message_ids = [r.message_id for r in reminders]
        assert None not in message_ids and len(set(message_ids)) == COUNT
        assert s.exec(select(func.count()).select_from(Message)).one() == COUNT
        statuses = Counter(m.status for m in s.exec(select(Message)).all())
        assert set(statuses) <= {MessageStatus.sent, MessageStatus.delivered}
    per_phone = Counter(item.to for item in transport.sent)
    assert len(per_phone) == COUNT and set(per_phone.values()) == {1}
