"""Writers queueing at the same time, by single messages and by batches, keep one intact chain."""

from __future__ import annotations

import threading
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from bot.channels import ledger
from bot.channels.models import Message
from bot.channels.outbox import enqueue, enqueue_rows, row

WRITERS = 4
ROUNDS = 5
BATCH = 30


def _write(engine: Engine, writer: int, now: datetime) -> None:
    """Each transaction queues a batch and a single message; which comes first alternates."""
    for round_ in range(ROUNDS):
        with Session(engine) as session:
            single_first = (writer + round_) % 2 == 0
            if single_first:
                _single(session, writer, round_, now)
            enqueue_rows(session, [
                row(phone=f"+45208{writer}{round_:02d}{i:02d}", template="reminder.meeting", params={"i": i},
                    language="en", purpose="reminder", contact_kind="citizen", contact_id=None, now=now)
                for i in range(BATCH)
            ])
            if not single_first:
                _single(session, writer, round_, now)
            session.commit()


def _single(session: Session, writer: int, round_: int, now: datetime) -> None:
    enqueue(session, phone=f"+45209{writer}{round_:04d}", template="reply.help", params={},
            language="da", purpose="reply", contact_kind=None, contact_id=None, now=now)


def test_concurrent_writers_leave_a_chain_that_verifies(shared_engine: Engine, now: datetime) -> None:
    errors: list[BaseException] = []

    def run(writer: int) -> None:
        try:
            _write(shared_engine, writer, now)
        except BaseException as exc:  # reported below, so a failing thread fails the test
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(writer,)) for writer in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    expected = WRITERS * ROUNDS * (BATCH + 1)
    with Session(shared_engine) as session:
        assert session.exec(select(func.count()).select_from(Message)).one() == expected
        verdict = ledger.check(session)
        assert verdict.ok, verdict.reason
        assert verdict.checked == expected
