"""Reminder dispatch throughput on SQLite, with a baseline measured in the same run.

    python bench/reminders_dispatch.py            # 100,000 due reminders
    python bench/reminders_dispatch.py --count 10000

The real path: claim due reminders, queue one message each (sealed into the message ledger),
render it in the recipient's language, hand it to a no-op transport and mark it sent. The
baseline is a plain batched ``UPDATE`` of the same reminder rows to ``sent``: the least any
dispatcher must do. The ratio says how many times the real path costs that floor.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

import bot.tables  # noqa: E402
from bot.channels import dispatcher  # noqa: E402
from bot.channels.transport import SendResult  # noqa: E402
from bot.composition import delivery_peers  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.contacts.models import Citizen  # noqa: E402
from bot.db import make_engine  # noqa: E402
from bot.i18n import LANGUAGES, preload  # noqa: E402
from bot.reminders.dispatch import enqueue_due, settle_sent  # noqa: E402
from bot.reminders.models import Appointment, Reminder, ReminderStatus  # noqa: E402

PEERS = delivery_peers()

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
CITIZENS = 1000
CHUNK = 1000


class NoopTransport:
    """Takes every message and sends nothing."""

    name = "noop"

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self.sent = 0

    def send(self, *, to: str, body: str, channel: str, status_callback: str | None) -> SendResult:
        self.sent += 1
        return SendResult(provider_sid=f"SMnoop{next(self._ids):028d}", status="sent")

    def fetch_status(self, provider_sid: str) -> SendResult:
        return SendResult(provider_sid=provider_sid, status="sent")


def seed(engine: Engine, count: int) -> None:
    starts = NOW + timedelta(days=1)
    with engine.begin() as conn:
        conn.execute(insert(Citizen), [
            {"id": i, "name": f"Borger {i}", "phone": f"+4521{i:06d}",
             "language": LANGUAGES[i % len(LANGUAGES)], "opted_out": False}
            for i in range(1, CITIZENS + 1)
        ])
        for first in range(1, count + 1, CHUNK):
            ids = range(first, min(first + CHUNK, count + 1))
            conn.execute(insert(Appointment), [
                {"id": i, "citizen_id": 1 + i % CITIZENS, "kind": "meeting",
                 "starts_at": starts + timedelta(minutes=i % 600), "location": "Rådhuset, lokale 2",
                 "status": "planned", "confirmation": "none", "skip_holidays": True}
                for i in ids
            ])
            conn.execute(insert(Reminder), [
                {"id": i, "appointment_id": i, "recipient_kind": "citizen",
                 "recipient_id": 1 + i % CITIZENS, "kind": "before_24h", "template": "reminder.meeting",
                 "due_at": NOW - timedelta(seconds=i % 60), "status": "pending", "asks_confirmation": True}
                for i in ids
            ])


def dispatch_all(engine: Engine, count: int) -> tuple[float, float, float, float]:
    """Seconds for the whole path, the part spent queueing (the rest is the outbox sending), and
    the same two in CPU seconds of this process (SQLite runs in it), which other load on the
    machine moves less."""
    settings = Settings(_env_file=None, demo=True, sms_max_per_second=1e9)  # type: ignore[call-arg]
    transport = NoopTransport()
    preload()  # as the service does at start-up: reading the catalogs is not dispatching
    queueing = queueing_cpu = 0.0
    cpu = time.process_time()
    started = time.perf_counter()
    while True:
        mark, mark_cpu = time.perf_counter(), time.process_time()
        report = enqueue_due(engine, NOW, settings.timezone, batch=500, max_batches=20)
        queueing += time.perf_counter() - mark
        queueing_cpu += time.process_time() - mark_cpu
        sent = dispatcher.dispatch(engine, settings, transport, NOW, limit=count, peers=PEERS)
        if report.enqueued == 0 and sent.handled == 0:
            break
    settle_sent(engine, NOW)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    with Session(engine) as session:
        done = session.exec(select(func.count()).select_from(Reminder)
                            .where(Reminder.status == ReminderStatus.sent)).one()
    if done != count or transport.sent != count:
        raise SystemExit(f"expected {count} sent reminders, got {done} (transport saw {transport.sent})")
    return elapsed, queueing, cpu, queueing_cpu


def baseline(engine: Engine, count: int) -> tuple[float, float]:
    with engine.begin() as conn:
        conn.execute(text("UPDATE reminder SET status = 'pending'"))
    cpu = time.process_time()
    started = time.perf_counter()
    for first in range(1, count + 1, CHUNK):
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE reminder SET status = 'sent' WHERE id >= :a AND id < :b AND status = 'pending'"),
                {"a": first, "b": first + CHUNK},
            )
    return time.perf_counter() - started, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        bot.tables.metadata.create_all(engine)
        seed(engine, args.count)
        real, queueing, real_cpu, queueing_cpu = dispatch_all(engine, args.count)
        floor, floor_cpu = baseline(engine, args.count)
        engine.dispose()
    print(f"reminders_dispatch: {args.count} reminders rendered, sent and marked in {real:.1f} s")
    print(f"  {args.count / real:,.0f} reminders/s; plain batched UPDATE: {args.count / floor:,.0f} rows/s")
    print(f"  of which queueing (claim, render parameters, one outbox row each): {queueing / real:.0%}, "
          f"{queueing_cpu / real_cpu:.0%} of the CPU time; the rest is the outbox sending")
    print(f"  in CPU seconds of this process: {args.count / real_cpu:,.0f} reminders/s, "
          f"UPDATE {args.count / floor_cpu:,.0f} rows/s")
    print(f"reminder dispatch, SQLite: {args.count / real:,.0f}/s "
          f"({args.count / real_cpu:,.0f}/s in CPU time), "
          f"{real / floor:.0f}x the plain UPDATE ({real_cpu / floor_cpu:.0f}x in CPU time) "
          f"(target: 5,000/s and at most 8x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
