"""Twilio answering 429, 500 and timeouts: sends are retried with back-off and nothing is lost.

The real twilio client talks to a local fake of the REST API that throttles, breaks and stalls.
Time travels between dispatcher runs instead of sleeping.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlmodel import Session, select

from bot.channels.dispatcher import dispatch
from bot.channels.models import Direction, Message, MessageStatus
from bot.channels.ratelimit import TokenBucket
from bot.composition import delivery_peers
from bot.items.models import OpenItem

PEERS = delivery_peers()

MESSAGES = 30


def _queue(engine, now, count: int = MESSAGES) -> None:
    with Session(engine) as s:
        for i in range(count):
            s.add(Message(direction=Direction.outbound, phone=f"+45222{i:05d}", body=f"Påmindelse {i}",
                          status=MessageStatus.queued, due_at=now, created_at=now, purpose="reminder"))
        s.commit()


def _rows(engine) -> list[Message]:
    with Session(engine) as s:
        return list(s.exec(select(Message).where(Message.direction == Direction.outbound)).all())


def _no_sleep() -> TokenBucket:
    return TokenBucket(1e9)


def test_throttling_errors_and_timeouts_are_retried_with_backoff_and_nothing_is_lost(
    engine, now, twilio_settings, twilio_transport, fake_twilio
):
    _queue(engine, now)
    fake_twilio.fail_next(4, status=429, code=20429)
    fake_twilio.fail_next(4, status=500, code=20500)
    fake_twilio.fail_next(2, status=503)
    fake_twilio.stall_next(1, seconds=1.0)  # Twilio never got it
    fake_twilio.stall_next(1, seconds=1.0, accept=True)  # Twilio took it; the client timed out

    first = dispatch(engine, twilio_settings, twilio_transport, now, bucket=_no_sleep(), peers=PEERS)
    assert first.retried == 12 and first.sent == MESSAGES - 12 and first.failed == 0
    waiting = [m for m in _rows(engine) if m.status == MessageStatus.queued]
    assert len(waiting) == 12
    # Back-off: nothing is tried again at once, and a second run at the same moment sends nothing.
    assert all(m.due_at > now for m in waiting)
    assert dispatch(engine, twilio_settings, twilio_transport, now, bucket=_no_sleep(), peers=PEERS).handled == 0

    later = now
    for _ in range(6):
        later += timedelta(hours=1)
        dispatch(engine, twilio_settings, twilio_transport, later, bucket=_no_sleep(), peers=PEERS)
    rows = _rows(engine)
    assert Counter(m.status for m in rows) == {MessageStatus.sent: MESSAGES}
    accepted = {m["sid"]: m for m in fake_twilio.created()}
    assert all(m.provider_sid in accepted for m in rows), "a message we call sent is unknown to Twilio"
    assert {accepted[m.provider_sid]["body"] for m in rows} == {f"Påmindelse {i}" for i in range(MESSAGES)}
    assert sorted(m.attempts for m in rows).count(2) == 12
    # Throttled and failed requests created nothing at Twilio, so only a timed-out request (which
    # Twilio may have taken after all) can have produced a second copy.
    copies = Counter(m["body"] for m in fake_twilio.created())
    assert sum(n - 1 for n in copies.values()) <= 1


def test_a_twilio_that_stays_broken_ends_in_failed_with_an_item_for_staff(
    engine, now, twilio_settings, twilio_transport, fake_twilio
):
    _queue(engine, now, count=1)
    fake_twilio.fail_next(20, status=500)
    later = now
    for _ in range(twilio_settings.send_max_attempts + 2):
        dispatch(engine, twilio_settings, twilio_transport, later, bucket=_no_sleep(), peers=PEERS)
        later += timedelta(hours=2)
    [row] = _rows(engine)
    assert row.status == MessageStatus.failed
    assert row.attempts == twilio_settings.send_max_attempts
    assert len(fake_twilio.create_requests()) == twilio_settings.send_max_attempts
    with Session(engine) as s:
        items = s.exec(select(OpenItem).where(OpenItem.message_id == row.id)).all()
    assert [i.kind for i in items] == ["delivery_failed"]


def test_a_refusal_is_never_retried(engine, now, twilio_settings, twilio_transport, fake_twilio):
    _queue(engine, now, count=1)
    fake_twilio.refuse_next(21211)
    for hours in range(4):
        dispatch(engine, twilio_settings, twilio_transport, now + timedelta(hours=hours), bucket=_no_sleep(), peers=PEERS)
    [row] = _rows(engine)
    assert row.status == MessageStatus.failed and row.error_code == "21211"
    assert len(fake_twilio.create_requests()) == 1
