"""The message store is tamper-evident: changes and deletions are found and named."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from bot.channels import ledger
from bot.channels.models import Direction, Message, MessageStatus
from bot.channels.outbox import enqueue


def _inbound(session: Session, body: str, now, phone: str = "+4520123456") -> Message:
    message = Message(direction=Direction.inbound, phone=phone, body=body,
                      status=MessageStatus.received, created_at=now)
    session.add(message)
    session.flush()
    return message


def _store_some(engine, now) -> list[int]:
    with Session(engine) as s:
        ids = []
        for i in range(3):
            ids.append(_inbound(s, f"syg {i}", now + timedelta(minutes=i)).id)
        ids.append(enqueue(s, phone="+4520123456", template="absence.receipt", params={"reference": "S-2026-000001"},
                           language="ar", purpose="receipt", contact_kind="citizen", contact_id=None,
                           now=now).id)
        ids.append(_inbound(s, "rask", now + timedelta(minutes=9)).id)
        s.commit()
    return ids


def test_every_stored_message_is_chained_and_the_ledger_verifies(engine, now):
    ids = _store_some(engine, now)
    with Session(engine) as s:
        rows = s.exec(select(Message).order_by(Message.id)).all()
        assert [r.id for r in rows] == ids
        assert all(r.chain_hash and len(r.chain_hash) == 64 for r in rows)
        assert rows[0].body_sha256 == ledger.sha256_text("syg 0")
        assert ledger.verify(s) is None
        assert ledger.check(s).checked == 5


def test_an_empty_ledger_verifies(engine):
    with Session(engine) as s:
        assert ledger.verify(s) is None


def test_status_updates_and_sending_do_not_break_the_chain(engine, now):
    ids = _store_some(engine, now)
    with Session(engine) as s:
        out = s.get(Message, ids[3])
        out.status = MessageStatus.delivered
        out.provider_sid = "SM" + "1" * 32
        out.body = "rendered text"
        out.delivered_at = now
        s.add(out)
        s.commit()
        assert ledger.verify(s) is None


def test_a_changed_body_is_named(engine, now):
    ids = _store_some(engine, now)
    with Session(engine) as s:
        s.execute(text("UPDATE message SET body = 'not sick' WHERE id = :id"), {"id": ids[1]})
        s.commit()
        verdict = ledger.check(s)
        assert verdict.broken_id == ids[1]
        assert "content" in (verdict.reason or "")


def test_a_changed_digest_is_named(engine, now):
    ids = _store_some(engine, now)
    with Session(engine) as s:
        s.execute(text("UPDATE message SET body = NULL, body_sha256 = :d WHERE id = :id"),
                  {"d": "f" * 64, "id": ids[2]})
        s.commit()
        assert ledger.verify(s) == ids[2]


def test_changed_outbound_parameters_are_named(engine, now):
    ids = _store_some(engine, now)
    with Session(engine) as s:
        out = s.get(Message, ids[3])
        out.params = {"reference": "S-2026-999999"}
        s.add(out)
        s.commit()
        assert ledger.verify(s) == ids[3]


def test_a_deleted_message_breaks_the_next_link(engine, now):
    ids = _store_some(engine, now)
    with Session(engine) as s:
        s.execute(text("DELETE FROM message WHERE id = :id"), {"id": ids[1]})
        s.commit()
        assert ledger.verify(s) == ids[2]


def test_a_changed_phone_or_time_is_named(engine, now):
    ids = _store_some(engine, now)
    with Session(engine) as s:
        s.execute(text("UPDATE message SET phone = '+4599999999' WHERE id = :id"), {"id": ids[0]})
        s.commit()
        assert ledger.verify(s) == ids[0]


def test_erasing_a_body_keeps_the_chain_whole(engine, now):
    ids = _store_some(engine, now)
    with Session(engine) as s:
        s.execute(text("UPDATE message SET body = NULL WHERE id = :id"), {"id": ids[0]})
        s.execute(text("UPDATE message SET template = NULL, body = NULL WHERE id = :id"), {"id": ids[3]})
        s.commit()
        assert ledger.verify(s) is None


def test_a_row_slipped_in_without_the_ledger_is_named(engine, now):
    _store_some(engine, now)
    with Session(engine) as s:
        s.execute(text(
            "INSERT INTO message (direction, channel, phone, contact_kind, status, params, raw_payload, "
            "signature, attempts) VALUES ('inbound', 'sms', '+4520123456', 'unknown', 'received', '{}', '{}', "
            "'not_applicable', 0)"
        ))
        s.commit()
        last = s.exec(select(Message.id).order_by(Message.id.desc())).first()
        assert ledger.verify(s) == last


def test_messages_stored_by_parallel_writers_form_one_chain(file_engine, engine, now):
    # PostgreSQL when configured, else SQLite on disk: several connections insert at once.
    target = engine if engine.dialect.name == "postgresql" else file_engine
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(5):
                with Session(target) as s:
                    _inbound(s, f"writer {n} message {i}", now)
                    _inbound(s, f"writer {n} message {i} again", now)
                    s.commit()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with Session(target) as s:
        verdict = ledger.check(s)
        assert verdict.ok, verdict
        assert verdict.checked == 40


@pytest.mark.parametrize("body", ["أنا مريض", "я хворію", ""])
def test_any_script_is_hashed_as_utf8(engine, now, body):
    with Session(engine) as s:
        m = _inbound(s, body, now)
        s.commit()
        assert m.body_sha256 == ledger.sha256_text(body)
        assert ledger.verify(s) is None


def test_deleting_the_newest_message_is_named(engine, now):
    ids = _store_some(engine, now)
    with Session(engine) as s:
        s.execute(text("DELETE FROM message WHERE id = :id"), {"id": ids[-1]})
        s.commit()
        verdict = ledger.check(s)
        assert verdict.broken_id == ids[-1]
        assert "missing" in (verdict.reason or "")


def test_the_head_follows_every_flush(engine, now):
    ids = _store_some(engine, now)
    with Session(engine) as s:
        head = s.get(ledger.LedgerHead, 1)
        last = s.get(Message, ids[-1])
        assert (head.last_id, head.last_hash, head.count) == (ids[-1], last.chain_hash, len(ids))


def test_links_kept_back_until_commit_make_the_same_chain(engine, now):
    """``defer`` writes a transaction's links once, at commit; the chain is the one flushes make."""
    _store_some(engine, now)
    with Session(engine) as s:
        ledger.lock(s.connection())
        ledger.defer(s)
        ids = [_inbound(s, f"senere {i}", now + timedelta(minutes=20 + i)).id for i in range(3)]
        s.commit()
    with Session(engine) as s:
        assert ledger.verify(s) is None
        head = s.get(ledger.LedgerHead, 1)
        assert (head.last_id, head.count) == (ids[-1], 5 + len(ids))


@pytest.mark.parametrize("keep", [True, False])
def test_a_savepoint_after_kept_back_links_leaves_the_chain_whole(engine, now, keep):
    """Links kept back are written before a savepoint begins, whatever the savepoint does."""
    with Session(engine) as s:
        ledger.lock(s.connection())
        ledger.defer(s)
        _inbound(s, "før", now)
        savepoint = s.begin_nested()
        _inbound(s, "inde", now + timedelta(minutes=1))
        if keep:
            savepoint.commit()
        else:
            savepoint.rollback()
        _inbound(s, "efter", now + timedelta(minutes=2))
        s.commit()
    with Session(engine) as s:
        assert ledger.verify(s) is None
        assert s.get(ledger.LedgerHead, 1).count == (3 if keep else 2)


def test_links_kept_back_go_with_a_rollback(engine, now):
    _store_some(engine, now)
    with Session(engine) as s:
        ledger.lock(s.connection())
        ledger.defer(s)
        _inbound(s, "væk", now)
        s.rollback()
        _inbound(s, "bliver", now + timedelta(minutes=1))
        s.commit()
    with Session(engine) as s:
        assert ledger.verify(s) is None
        assert s.get(ledger.LedgerHead, 1).count == 6


def test_a_writer_that_can_wait_does_not_queue_and_sees_who_does(engine):
    """``try_lock`` takes the ledger's lock only when it is free; ``wanted`` says whether another
    writer is queued for it (PostgreSQL; SQLite has one writer and says no)."""
    with engine.connect() as holder, engine.connect() as other:
        assert ledger.try_lock(holder)
        assert not ledger.wanted(holder)
        if engine.dialect.name != "postgresql":
            return
        assert not ledger.try_lock(other)
        queued = threading.Thread(target=lambda: (ledger.lock(other), other.rollback()))
        queued.start()
        for _ in range(200):
            if ledger.wanted(holder):
                break
            threading.Event().wait(0.01)
        assert ledger.wanted(holder)
        holder.rollback()
        queued.join(5)
        assert not queued.is_alive()
