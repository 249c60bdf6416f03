"""The webhook's immediate send never waits for the rate: under a burst replies stay queued."""

from __future__ import annotations

from datetime import datetime

import time_machine
from sqlalchemy.engine import Engine

from bot.channels import ratelimit
from bot.channels.models import MessageStatus
from bot.channels.simulator import SimulatorTransport
from bot.composition import delivery_peers
from bot.config import Settings
from bot.conversations.inbound_worker import send_soon
from tests.channels.helpers import add_citizen, get_message, queue

PEERS = delivery_peers()


def _must_not_wait(seconds: float) -> None:
    raise AssertionError(f"the webhook's send waited {seconds} s for the rate")


def _bucket(transport: SimulatorTransport, settings: Settings, tokens: float) -> None:
    bucket = ratelimit.TokenBucket(settings.sms_max_per_second, monotonic=lambda: 0.0, sleep=_must_not_wait)
    bucket._tokens = tokens
    ratelimit._buckets[transport] = bucket


def test_reply_goes_out_at_once_while_the_rate_allows(engine: Engine, now: datetime, settings: Settings) -> None:
    transport = SimulatorTransport()
    _bucket(transport, settings, tokens=1)
    reply = queue(engine, now, contact_id=add_citizen(engine))

    with time_machine.travel(now, tick=False):
        send_soon(engine, settings, transport, [reply], peers=PEERS)

    assert get_message(engine, reply).status in (MessageStatus.sent, MessageStatus.delivered)


def test_reply_stays_queued_for_the_dispatcher_when_the_rate_is_spent(
    engine: Engine, now: datetime, settings: Settings
) -> None:
    transport = SimulatorTransport()
    _bucket(transport, settings, tokens=0)
    reply = queue(engine, now, contact_id=add_citizen(engine))

    with time_machine.travel(now, tick=False):
        send_soon(engine, settings, transport, [reply], peers=PEERS)

    assert get_message(engine, reply).status == MessageStatus.queued
    assert transport.sent == []
