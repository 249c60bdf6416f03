"""Batched queueing and sending keep the outbox's guarantees: chain order, no blind resend."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.channels import ledger
from bot.channels.dispatcher import MAYBE_NOT_SENT, dispatch, reconcile_sending
from bot.channels.models import Message, MessageStatus
from bot.channels.outbox import enqueue, enqueue_rows, row
from bot.channels.transport import SendResult
from bot.composition import delivery_peers
from bot.config import Settings
from bot.contacts.models import Citizen
from tests.channels.helpers import add_citizen

PEERS = delivery_peers()


class _CrashingTransport:
    """Accepts ``survive`` messages, then the process 'dies' (SystemExit is not caught)."""

    name = "crashing"
    supports_whatsapp = True

    def __init__(self, survive: int) -> None:
        self.survive = survive
        self.sent: list[str] = []

    def send(self, *, to: str, body: str, channel: str, status_callback: str | None) -> SendResult:
        if len(self.sent) >= self.survive:
            raise SystemExit("killed mid-batch")
        self.sent.append(to)
        return SendResult(provider_sid=f"SMcrash{len(self.sent):026d}", status="queued")

    def fetch_status(self, provider_sid: str) -> SendResult:
        return SendResult(provider_sid=provider_sid, status="sent")


def _row(phone: str, now: datetime) -> dict[str, Any]:
    return row(phone=phone, template="reply.help", params={"n": phone}, language="da",
                   purpose="reminder", contact_kind="citizen", contact_id=None, now=now)


def test_a_batch_queued_in_one_insert_is_sealed_in_order_between_single_messages(engine: Engine, now: datetime) -> None:
    with Session(engine) as session:
        enqueue(session, phone="+4520000000", template="reply.help", params={}, language="da",
                purpose="reply", contact_kind=None, contact_id=None, now=now)
        session.commit()
    phones = [f"+45201000{i:02d}" for i in range(25)]
    with Session(engine) as session:
        ids = enqueue_rows(session, [_row(phone, now) for phone in phones])
        enqueue(session, phone="+4520999999", template="reply.help", params={}, language="da",
                purpose="reply", contact_kind=None, contact_id=None, now=now)
        session.commit()

    assert ids == sorted(ids)
    with Session(engine) as session:
        rows = session.exec(select(Message).where(col(Message.id).in_(ids)).order_by(col(Message.id))).all()
        assert [row.phone for row in rows] == phones
        verdict = ledger.check(session)
        assert verdict.ok, verdict.reason
        assert verdict.checked == 27
        head = ledger.head(session)
        assert head is not None and head.last_id == ids[-1] + 1 and head.count == 27
        first = session.get(Message, ids[0])
        assert first is not None and first.status == MessageStatus.queued
        assert first.template == "reply.help" and first.params == {"n": phones[0]}


def test_a_crash_mid_batch_leaves_sending_rows_that_are_never_resent_blindly(
    engine: Engine, now: datetime, settings: Settings
) -> None:
    phones = [f"+45202000{i:02d}" for i in range(5)]
    for phone in phones:
        add_citizen(engine, phone=phone)
    with Session(engine) as session:
        enqueue_rows(session, [_row(phone, now) for phone in phones])
        session.commit()
    settings = settings.model_copy(update={"sms_max_per_second": 100.0})

    crashing = _CrashingTransport(survive=2)
    with pytest.raises(SystemExit):
        dispatch(engine, settings, crashing, now, peers=PEERS)

    with Session(engine) as session:
        statuses = {m.phone: m.status for m in session.exec(select(Message)).all()}
    # Every claimed row was committed as sending before the provider saw any of them.
    assert statuses == {phone: MessageStatus.sending for phone in phones}

    later = _CrashingTransport(survive=100)
    report = dispatch(engine, settings, later, now + timedelta(minutes=1), peers=PEERS)
    assert later.sent == [] and report.handled == 0

    settled = reconcile_sending(engine, settings, later, now + timedelta(hours=1), peers=PEERS)
    assert settled == len(phones)
    with Session(engine) as session:
        rows = session.exec(select(Message)).all()
        assert {row.error_code for row in rows} == {MAYBE_NOT_SENT}
        assert ledger.check(session).ok
    assert later.sent == []


def test_opted_out_recipients_in_a_batch_are_cancelled_and_the_rest_are_sent(
    engine: Engine, now: datetime, settings: Settings
) -> None:
    phones = [f"+45203000{i:02d}" for i in range(6)]
    for phone in phones:
        add_citizen(engine, phone=phone)
    with Session(engine) as session:
        for stopped in session.exec(select(Citizen).where(col(Citizen.phone).in_(phones[::2]))).all():
            stopped.opted_out = True
            session.add(stopped)
        enqueue_rows(session, [_row(phone, now) for phone in phones])
        session.commit()
    transport = _CrashingTransport(survive=100)

    report = dispatch(engine, settings.model_copy(update={"sms_max_per_second": 100.0}), transport, now, peers=PEERS)

    assert sorted(transport.sent) == sorted(phones[1::2])
    assert report.sent == 3 and report.cancelled == 3
    with Session(engine) as session:
        statuses = {m.phone: m.status for m in session.exec(select(Message)).all()}
    assert {statuses[p] for p in phones[::2]} == {MessageStatus.cancelled}
    assert {statuses[p] for p in phones[1::2]} == {MessageStatus.sent}
