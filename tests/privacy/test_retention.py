"""Retention: content older than BOT_RETENTION_DAYS is erased, the ledger still verifies."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from bot.audit.models import AuditEntry
from bot.channels.models import Message, MessageStatus
from bot.privacy.jobs import retention_job
from bot.privacy.service import erase_expired
from tests.privacy.conftest import add_citizen, add_inbound, add_outbound, days_ago


def test_old_bodies_are_erased_and_recent_ones_kept(engine, now):
    with Session(engine, expire_on_commit=False) as s:
        citizen = add_citizen(s)
        old = add_inbound(s, citizen=citizen, phone=citizen.phone, body="Jeg er syg i dag",
                          at=days_ago(now, 731), sid="SMold")
        fresh = add_inbound(s, citizen=citizen, phone=citizen.phone, body="Jeg kommer",
                            at=days_ago(now, 729), sid="SMfresh")
        s.commit()
        result = erase_expired(s, now=now, retention_days=730)
        s.commit()
        assert result.messages_erased == 1
        s.expire_all()
        old_row = s.get(Message, old.id)
        fresh_row = s.get(Message, fresh.id)
    assert old_row.body is None
    assert old_row.erased_at == now
    assert "Body" not in old_row.raw_payload and "ProfileName" not in old_row.raw_payload
    assert "FromCity" not in old_row.raw_payload
    assert old_row.raw_payload["MessageSid"] == "SMold"
    assert old_row.provider_sid == "SMold" and old_row.phone == "+4520123456"
    assert fresh_row.body == "Jeg kommer" and fresh_row.erased_at is None
    assert fresh_row.raw_payload["Body"] == "Jeg kommer"


def test_outbound_template_and_params_go_but_queued_messages_wait(engine, now):
    with Session(engine, expire_on_commit=False) as s:
        citizen = add_citizen(s)
        sent = add_outbound(s, citizen=citizen, at=days_ago(now, 800))
        queued = add_outbound(s, citizen=citizen, at=days_ago(now, 800), status=MessageStatus.queued)
        s.commit()
        erase_expired(s, now=now, retention_days=730)
        s.commit()
        s.expire_all()
        sent_row, queued_row = s.get(Message, sent.id), s.get(Message, queued.id)
    assert sent_row.body is None and sent_row.template is None and sent_row.params == {}
    assert sent_row.erased_at == now
    assert queued_row.template == "reminder.meeting" and queued_row.erased_at is None


def test_the_ledger_still_verifies_after_retention(engine, now):
    ledger = pytest.importorskip("bot.channels.ledger")
    with Session(engine, expire_on_commit=False) as s:
        citizen = add_citizen(s)
        for i in range(5):
            add_inbound(s, citizen=citizen, phone=citizen.phone, body=f"besked {i} ☺",
                        at=days_ago(now, 900 - i), sid=f"SM{i}")
        add_outbound(s, citizen=citizen, at=days_ago(now, 850))
        add_inbound(s, citizen=citizen, phone=citizen.phone, body="ny", at=now, sid="SMnew")
        s.commit()
        assert ledger.verify(s) is None
        hashes = dict(s.execute(select(Message.id, Message.body_sha256)).all())
        erase_expired(s, now=now, retention_days=730)
        s.commit()
        assert ledger.verify(s) is None
        assert dict(s.execute(select(Message.id, Message.body_sha256)).all()) == hashes
        erased = s.exec(select(Message).where(Message.erased_at.is_not(None))).all()
    assert len(erased) == 6


def test_the_job_runs_in_batches_audits_once_and_is_idempotent(engine, settings, now, monkeypatch):
    import bot.privacy.jobs as jobs

    monkeypatch.setattr(jobs, "BATCH_SIZE", 3)
    with Session(engine, expire_on_commit=False) as s:
        citizen = add_citizen(s)
        for i in range(8):
            add_inbound(s, citizen=citizen, phone=citizen.phone, body=f"gammel {i}",
                        at=days_ago(now, settings.retention_days + 1), sid=f"SMb{i}")
        s.commit()
    retention_job(engine, settings, None, now)
    retention_job(engine, settings, None, now)
    with Session(engine, expire_on_commit=False) as s:
        left = s.exec(select(Message).where(Message.body.is_not(None))).all()
        entries = s.exec(select(AuditEntry).where(AuditEntry.action == "privacy.retention")).all()
    assert left == []
    assert len(entries) == 1
    assert entries[0].details["messages_erased"] == 8


def test_the_retention_job_is_registered_with_the_scheduler(settings):
    from bot.jobs import all_jobs

    assert "privacy.retention" in {job.name for job in all_jobs(settings)}


def test_idle_conversations_forget_what_was_said(engine, now):
    from bot.conversations.models import Conversation

    with Session(engine, expire_on_commit=False) as s:
        s.add(Conversation(phone="+4520000001", flow="citizen", state={"engine": {"text": "syg, feber"}},
                           updated_at=days_ago(now, 800)))
        s.add(Conversation(phone="+4520000002", flow="citizen", state={"engine": {"text": "kommer"}},
                           updated_at=days_ago(now, 3)))
        s.commit()
        first = erase_expired(s, now=now, retention_days=730)
        s.commit()
        second = erase_expired(s, now=now, retention_days=730)
        s.commit()
        states = {c.phone: c.state for c in s.exec(select(Conversation)).all()}
    assert states == {"+4520000001": {}, "+4520000002": {"engine": {"text": "kommer"}}}
    assert first.records_erased == 1 and second.records_erased == 0
