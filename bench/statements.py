"""SQL statements and round trips per interpreted message, by kind, next to the time each took.

    python -m bench.statements                 # SQLite file, 200 messages of each kind (and
                                               # PostgreSQL when BOT_BENCH_PG_URL is set)
    python -m bench.statements --postgres      # only PostgreSQL (BOT_BENCH_PG_URL), own schema
    python -m bench.statements --messages 50 --show sick   # print the statements of one message

Interpreting a message is a string of small queries; on PostgreSQL each is a network round trip,
so their number, more than their cost, sets how many messages an instance interprets per second.
This counts them with SQLAlchemy's ``before_cursor_execute`` event on the engine while the real
``process_inbound`` interprets stored messages of five kinds (help, sick notice, "yes" to a
reminder that asked, "no" to one, an employer's question), each from a person of its own, one
message per transaction (the baseline); then the same number of other people's messages of the
same kinds through the inbound worker's path, ``process_batch`` (``--batch`` messages per
transaction); and while ``send_soon`` sends the replies (simulator transport).

``statements`` are cursor executions (an ``executemany`` is one; SQLite's ``BEGIN IMMEDIATE`` is
one); ``round trips`` add the BEGINs (PostgreSQL), COMMITs and ROLLBACKs the driver sends. The
baseline, measured in the same run, is one ``SELECT 1`` round trip: the ratio says how many bare
round trips a message costs in time.
Target (issue 17): at most 12 statements per ordinary message on PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

import bot.tables  # noqa: E402
from bot.channels.inbound_store import store_inbound  # noqa: E402
from bot.channels.models import SignatureVerdict  # noqa: E402
from bot.channels.simulator import SimulatorTransport  # noqa: E402
from bot.composition import delivery_peers  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.contacts.models import Citizen, Employer, EmployerContact, Staff  # noqa: E402
from bot.conversations.batch import process_batch  # noqa: E402
from bot.conversations.inbound_worker import BATCH, send_soon  # noqa: E402
from bot.conversations.models import Conversation  # noqa: E402
from bot.conversations.pipeline import process_inbound  # noqa: E402
from bot.db import make_engine  # noqa: E402
from bot.reminders.conversation_hook import ask_attendance  # noqa: E402
from bot.reminders.models import Appointment, AppointmentKind, Reminder, ReminderStatus  # noqa: E402
from bot.wiring import wire  # noqa: E402

PEERS = delivery_peers()

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# A Tuesday, 09:00 in Copenhagen: inside opening hours, appointments later the same day.
NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Kind:
    name: str
    body: str
    sender: str  # "citizen" or "employer"
    asked: bool = False  # a reminder asked "are you coming?" before the message


KINDS = (
    Kind("help", "hjælp", "citizen"),
    Kind("sick", "jeg er syg i dag", "citizen"),
    Kind("confirmation", "ja", "citizen", asked=True),
    Kind("cancellation", "nej jeg kan ikke komme", "citizen", asked=True),
    Kind("employer_question", "Vi vil gerne ansætte en ny medarbejder på lageret", "employer"),
)


@dataclass
class Counts:
    statements: int = 0
    round_trips: int = 0
    seconds: float = 0.0
    texts: list[str] = field(default_factory=list)


class StatementCounter:
    """Counts what the engine sends to the database while ``counting`` is on."""

    def __init__(self, engine: Engine) -> None:
        self.current: Counts | None = None
        self.keep_text = False
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._end)
        event.listen(engine, "rollback", self._end)
        if engine.dialect.name == "postgresql":
            # psycopg sends BEGIN by itself before a transaction's first statement; SQLite's
            # BEGIN IMMEDIATE (``bot.db``) goes through the cursor and is counted as a statement.
            event.listen(engine, "begin", self._end)

    def _statement(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if self.current is not None:
            self.current.statements += 1
            self.current.round_trips += 1
            if self.keep_text:
                self.current.texts.append(" ".join(statement.split())[:160])

    def _end(self, _conn: Any) -> None:
        if self.current is not None:
            self.current.round_trips += 1

    @contextmanager
    def counting(self, into: Counts) -> Iterator[None]:
        self.current = into
        started = time.perf_counter()
        try:
            yield
        finally:
            into.seconds += time.perf_counter() - started
            self.current = None


def _seed_citizen(session: Session, index: int, consultant_id: int | None, asked: bool,
                  settings: Settings) -> None:
    person = Citizen(name=f"Borger {index}", phone=_citizen_phone(index), language="da",
                     consultant_id=consultant_id)
    session.add(person)
    session.flush()
    assert person.id is not None
    appointment = Appointment(citizen_id=person.id, kind=AppointmentKind.meeting,
                              starts_at=NOW + timedelta(hours=5), location="Rådhuset")
    session.add(appointment)
    session.flush()
    assert appointment.id is not None
    if asked:
        session.add(Reminder(appointment_id=appointment.id, recipient_id=person.id, kind="before_24h",
                             template="reminder.meeting", due_at=NOW - timedelta(hours=1),
                             status=ReminderStatus.sent, asks_confirmation=True))
        conversation = Conversation(phone=person.phone or "", contact_kind="citizen", contact_id=person.id)
        session.add(conversation)
        ask_attendance(session, conversation, appointment_id=appointment.id, settings=settings,
                                now=NOW - timedelta(hours=1))


def _seed_employer(session: Session, index: int, consultant_id: int | None) -> None:
    company = Employer(name=f"Virksomhed {index} ApS", cvr=f"{10_000_000 + index}",
                       consultant_id=consultant_id)
    session.add(company)
    session.flush()
    assert company.id is not None
    session.add(EmployerContact(employer_id=company.id, name=f"Leder {index}", phone=_employer_phone(index)))


def _citizen_phone(index: int) -> str:
    return f"+4521{index:06d}"


def _employer_phone(index: int) -> str:
    return f"+4531{index:06d}"


def seed(engine: Engine, settings: Settings, per_kind: int, offset: int = 0) -> dict[str, list[str]]:
    """People for every kind, each writing once; returns the senders' phones by kind."""
    senders: dict[str, list[str]] = {}
    index = offset
    with Session(engine) as session:
        staff = Staff(name="Mette Konsulent", email=f"mette{offset}@kommune.example")
        session.add(staff)
        session.flush()
        for kind in KINDS:
            senders[kind.name] = []
            for _ in range(per_kind):
                index += 1
                if kind.sender == "employer":
                    _seed_employer(session, index, staff.id)
                    senders[kind.name].append(_employer_phone(index))
                else:
                    _seed_citizen(session, index, staff.id, kind.asked, settings)
                    senders[kind.name].append(_citizen_phone(index))
        session.commit()
    return senders


def store_all(engine: Engine, senders: dict[str, list[str]], first_sid: int = 0,
              kinds: tuple[Kind, ...] = KINDS) -> dict[str, list[int]]:
    stored: dict[str, list[int]] = {}
    sid = first_sid
    with Session(engine) as session:
        for kind in kinds:
            stored[kind.name] = []
            for phone in senders[kind.name]:
                sid += 1
                row = store_inbound(session, provider_sid=f"SMbench{sid:026d}", from_address=phone,
                                    body=kind.body, raw_payload={"Body": kind.body},
                                    signature=SignatureVerdict.valid, now=NOW)
                stored[kind.name].append(row.message_id)
    return stored


def measure(engine: Engine, settings: Settings, stored: dict[str, list[int]], show: str | None,
            ) -> dict[str, tuple[Counts, Counts, Counter[str]]]:
    counter = StatementCounter(engine)
    transport = SimulatorTransport()
    results: dict[str, tuple[Counts, Counts, Counter[str]]] = {}
    for kind in KINDS:
        interpret, send, replies = Counts(), Counts(), Counter[str]()
        for position, message_id in enumerate(stored[kind.name]):
            counter.keep_text = show == kind.name and position == len(stored[kind.name]) - 1
            with counter.counting(interpret):
                reply_ids = process_inbound(engine, message_id, settings=settings, now=NOW)
            with counter.counting(send):
                send_soon(engine, settings, transport, reply_ids, peers=PEERS)
            replies[str(len(reply_ids))] += 1
        results[kind.name] = (interpret, send, replies)
    return results


def measure_batched(engine: Engine, settings: Settings, senders: dict[str, list[str]], batch: int,
                    ) -> dict[str, tuple[Counts, Counts, Counter[str]]]:
    """Other people's messages of the same kinds through the worker's path: each kind stored,
    then interpreted by ``process_batch`` until nothing waits, so each kind is counted alone."""
    counter = StatementCounter(engine)
    transport = SimulatorTransport()
    results: dict[str, tuple[Counts, Counts, Counter[str]]] = {}
    for number, kind in enumerate(KINDS):
        store_all(engine, {kind.name: senders[kind.name]}, first_sid=10_000_000 * (number + 1), kinds=(kind,))
        interpret, send, replies = Counts(), Counts(), Counter[str]()
        while True:
            with counter.counting(interpret):
                done = process_batch(engine, settings=settings, now=NOW, limit=batch)
            if not done.claimed:
                break
            with counter.counting(send):
                send_soon(engine, settings, transport, done.reply_ids, peers=PEERS)
            replies[str(len(done.reply_ids) // done.claimed)] += done.claimed
        results[kind.name] = (interpret, send, replies)
    return results


def round_trip_seconds(engine: Engine, count: int) -> float:
    with engine.connect() as conn:
        started = time.perf_counter()
        for _ in range(count):
            conn.execute(text("SELECT 1")).scalar()
        return (time.perf_counter() - started) / count


Results = dict[str, tuple[Counts, Counts, Counter[str]]]


def report(single: Results, batched: Results, per_kind: int, batch: int, bare: float) -> None:
    """One line per kind: one message per transaction (the baseline) beside the worker's batches."""
    print(f"{'':<18} {'one per transaction':^30} | {f'batches of {batch}':^30} | batched/one")
    print(f"{'kind':<18} {'stmts':>6} {'trips':>6} {'ms':>7} {'msg/s':>7}  | {'stmts':>6} {'trips':>6} "
          f"{'ms':>7} {'msg/s':>7}  | {'stmts':>6} {'msg/s':>6}   replies")
    for name, (interpret, _send, replies) in single.items():
        other, _other_send, _other_replies = batched[name]
        ms, batched_ms = (counts.seconds / per_kind * 1000 for counts in (interpret, other))
        print(f"{name:<18} {interpret.statements / per_kind:>6.1f} {interpret.round_trips / per_kind:>6.1f} "
              f"{ms:>7.2f} {1000 / ms:>7.0f}  | {other.statements / per_kind:>6.1f} "
              f"{other.round_trips / per_kind:>6.1f} {batched_ms:>7.2f} {1000 / batched_ms:>7.0f}  | "
              f"{other.statements / interpret.statements:>6.2f} {ms / batched_ms:>6.1f}x  {dict(replies)}")
    sends = [send for _interpret, send, _replies in batched.values()]
    print(f"sending the replies (send_soon, per message): "
          f"{sum(s.statements for s in sends) / per_kind / len(sends):.1f} statements, "
          f"{sum(s.seconds for s in sends) / per_kind / len(sends) * 1000:.2f} ms")
    print(f"baseline: one SELECT 1 round trip {bare * 1e6:.0f} us")
    for name, (interpret, _send, _replies) in single.items():
        if interpret.texts:
            print(f"\nstatements of the last {name} message, one per transaction:")
            for number, statement in enumerate(interpret.texts, start=1):
                print(f"  {number:>2}. {statement}")


@contextmanager
def database(postgres: bool) -> Iterator[Engine]:
    if not postgres:
        with tempfile.TemporaryDirectory() as folder:
            engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
            bot.tables.metadata.create_all(engine)
            yield engine
            engine.dispose()
        return
    url = os.environ.get("BOT_BENCH_PG_URL") or os.environ.get("BOT_TEST_DATABASE_URL") or DEFAULT_PG_URL
    schema = f"bench_statements_{os.getpid()}"
    _on_admin(url, f"CREATE SCHEMA {schema}")
    engine = make_engine(url, schema=schema)
    try:
        bot.tables.metadata.create_all(engine)
        yield engine
    finally:
        engine.dispose()
        _on_admin(url, f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def _on_admin(url: str, statement: str) -> None:
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(statement))
    admin.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200, help="messages of each kind")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--batch", type=int, default=BATCH, help=f"messages per batch (default {BATCH})")
    parser.add_argument("--show", choices=[kind.name for kind in KINDS],
                        help="print the statements of one message of this kind")
    args = parser.parse_args(argv)
    settings = Settings(_env_file=None, demo=True, scheduler_enabled=False,  # type: ignore[call-arg]
                        sms_max_per_second=1e9)
    wire()
    pg_url = os.environ.get("BOT_BENCH_PG_URL") or os.environ.get("BOT_TEST_DATABASE_URL")
    for postgres in [True] if args.postgres else [False] + ([True] if pg_url else []):
        with database(postgres) as engine:
            senders = seed(engine, settings, args.messages)
            others = seed(engine, settings, args.messages, offset=len(KINDS) * args.messages)
            stored = store_all(engine, senders)
            single = measure(engine, settings, stored, args.show)
            batched = measure_batched(engine, settings, others, args.batch)
            bare = round_trip_seconds(engine, 2000)
            print(f"statements: {engine.dialect.name}, {args.messages} messages of each kind, interpreted "
                  f"(process_inbound, then process_batch); the replies sent with send_soon")
            report(single, batched, args.messages, args.batch, bare)
            _check_processed(engine)
        print()
    return 0


def _check_processed(engine: Engine) -> None:
    from bot.channels.models import Direction, Message, MessageStatus

    with Session(engine) as session:
        left = session.exec(select(Message.id).where(Message.direction == Direction.inbound,
                                                     Message.status != MessageStatus.processed)).all()
    if left:
        raise SystemExit(f"{len(left)} messages were not processed")

if __name__ == "__main__":
    sys.exit(main())
