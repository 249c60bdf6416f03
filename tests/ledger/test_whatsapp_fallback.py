"""A WhatsApp reply that must fall back to SMS leaves the sealed ledger row as it was stored."""

from __future__ import annotations

from datetime import datetime, timedelta

import time_machine
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.channels import ledger
from bot.channels.dispatcher import dispatch
from bot.channels.models import Channel, Direction, Message, MessageStatus, SignatureVerdict
from bot.channels.twilio_transport import TwilioTransport
from bot.composition import delivery_peers
from bot.config import Settings
from bot.conversations.registry import Reply
from bot.conversations.replies import enqueue_reply
from tests.fakes.twilio_api import FROM_NUMBER, FakeTwilio, fake_twilio, twilio_settings, twilio_transport

PEERS = delivery_peers()

__all__ = ["fake_twilio", "twilio_settings", "twilio_transport"]

PHONE = "+4520123456"


def _whatsapp_inbound_with_reply(engine: Engine, at: datetime) -> int:
    """A WhatsApp message from the citizen at ``at`` and the reply queued to it then."""
    with Session(engine) as session:
        inbound = Message(
            direction=Direction.inbound, channel=Channel.whatsapp, phone=PHONE, body="hej",
            provider_sid="SMin" + "1" * 30, status=MessageStatus.processed,
            signature=SignatureVerdict.valid, created_at=at,
        )
        session.add(inbound)
        session.flush()
        reply = enqueue_reply(
            session, Reply(template="reply.help", purpose="reply"), inbound=inbound, contact=None, now=at
        )
        session.commit()
        assert reply.id is not None
        return reply.id


def test_a_reply_sent_after_the_whatsapp_window_goes_by_sms_and_the_ledger_verifies(
    engine: Engine, now: datetime, fake_twilio: FakeTwilio, twilio_settings: Settings,
    twilio_transport: TwilioTransport,
) -> None:
    reply_id = _whatsapp_inbound_with_reply(engine, now)
    # The reply waited (a provider outage, a stopped service) until the window had closed.
    later = now + timedelta(hours=25)
    with time_machine.travel(later, tick=False):
        report = dispatch(engine, twilio_settings, twilio_transport, later, peers=PEERS)

    assert report.sent == 1
    [request] = fake_twilio.create_requests()
    assert (request.form["To"], request.form["From"]) == (PHONE, FROM_NUMBER)
    with Session(engine) as session:
        stored = session.get(Message, reply_id)
        assert stored is not None
        assert stored.channel == Channel.whatsapp  # as sealed: what the reply was meant to be
        assert stored.sent_channel == Channel.sms  # how it went
        assert stored.status == MessageStatus.sent
        verdict = ledger.check(session)
    assert verdict.ok, verdict
    assert verdict.checked == 2


def test_a_retried_fallback_still_verifies(
    engine: Engine, now: datetime, fake_twilio: FakeTwilio, twilio_settings: Settings,
    twilio_transport: TwilioTransport,
) -> None:
    """A throttled first attempt and a second one, both by SMS: still one intact chain."""
    _whatsapp_inbound_with_reply(engine, now - timedelta(hours=30))
    fake_twilio.fail_next(1, status=429, code=20429)

    first = dispatch(engine, twilio_settings, twilio_transport, now, peers=PEERS)
    second = dispatch(engine, twilio_settings, twilio_transport, now + timedelta(minutes=5), peers=PEERS)

    assert (first.retried, second.sent) == (1, 1)
    with Session(engine) as session:
        [reply] = session.exec(select(Message).where(Message.direction == Direction.outbound)).all()
        assert (reply.channel, reply.sent_channel, reply.attempts) == (Channel.whatsapp, Channel.sms, 2)
        assert ledger.verify(session) is None
