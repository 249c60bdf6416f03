"""Crash while receiving: SIGKILL the real server during an inbound burst, several times.

The sender behaves like Twilio: whatever got no 2xx is sent again with the same MessageSid.
Afterwards every message is stored once, processed once and answered once (the server's
inbound worker is given time to catch up), and the ledger chain is intact.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter

import pytest
from sqlmodel import Session, col, select

from bench.harness import (
    SAMPLE_BODIES,
    Connection,
    Server,
    citizen_phone,
    inbound_fields,
    new_sid,
    seed_database,
    server_env,
    signed_post,
    wait_processed,
)
from bot.channels import ledger
from bot.channels.models import Direction, Message, MessageStatus
from bot.db import make_engine
from bot.sick_notices.models import SickNotice

MESSAGES = 120
CITIZENS = 30
KILL_AFTER = (25, 55, 85)  # successful posts before each SIGKILL
WORKERS = 8
RETRY_PAUSE = 0.02


async def _burst(server: Server, posts: dict[str, tuple[bytes, dict[str, str]]]) -> tuple[set[str], int]:
    """Send every post until it gets a 2xx, killing and restarting the server along the way."""
    pending: asyncio.Queue[str] = asyncio.Queue()
    for sid in posts:
        pending.put_nowait(sid)
    acknowledged: set[str] = set()
    attempts = Counter[str]()
    progress = asyncio.Event()
    loop = asyncio.get_running_loop()

    async def worker() -> None:
        connection = Connection(server.port, timeout=15)
        try:
            while len(acknowledged) < len(posts):
                try:
                    sid = pending.get_nowait()
                except asyncio.QueueEmpty:
                    await asyncio.sleep(RETRY_PAUSE)
                    continue
                body, headers = posts[sid]
                attempts[sid] += 1
                try:
                    response = await connection.request("POST", "/sms/inbound", body, headers)
                except (OSError, ConnectionError, TimeoutError, asyncio.IncompleteReadError, ValueError):
                    response = None
                if response is not None and 200 <= response.status < 300:
                    acknowledged.add(sid)
                    progress.set()
                else:
                    pending.put_nowait(sid)
                    await asyncio.sleep(RETRY_PAUSE)
        finally:
            await connection.close()

    async def killer() -> int:
        kills = 0
        for threshold in KILL_AFTER:
            while len(acknowledged) < threshold:
                progress.clear()
                await progress.wait()
            await loop.run_in_executor(None, server.kill)
            kills += 1
            await loop.run_in_executor(None, server.start)
        return kills

    async def bounded() -> int:
        kill_task = asyncio.create_task(killer())
        await asyncio.gather(*(worker() for _ in range(WORKERS)))
        return await kill_task

    kills = await asyncio.wait_for(bounded(), timeout=120)
    assert sum(attempts.values()) > len(posts), "no post was ever retried: the kills hit nothing"
    return acknowledged, kills


@pytest.fixture(scope="module")
def crashed_run(tmp_path_factory):
    """One burst with SIGKILLs, shared by the checks below; yields the database URL and the posts."""
    tmp_path = tmp_path_factory.mktemp("crash")
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    seed_database(url, citizens=CITIZENS)
    rng = random.Random(8)
    posts = {}
    for _ in range(MESSAGES):
        sid = new_sid()
        fields = inbound_fields(sid=sid, phone=citizen_phone(rng.randrange(CITIZENS)), body=rng.choice(SAMPLE_BODIES))
        posts[sid] = signed_post(fields)
    server = Server("bench.apps:full_app", server_env(url), log_path=tmp_path / "server.log").start()
    try:
        acknowledged, kills = asyncio.run(_burst(server, posts))
        # The webhook answers once a message is stored; the worker answers the citizen after.
        drain = wait_processed(url, time_limit=120)
    finally:
        server.stop()
    assert drain.waiting == 0, drain
    assert kills == len(KILL_AFTER)
    assert acknowledged == set(posts)
    engine = make_engine(url)
    yield engine, posts
    engine.dispose()


@pytest.mark.slow
def test_every_acknowledged_message_is_stored_once_and_processed_once(crashed_run):
    engine, posts = crashed_run
    with Session(engine) as s:
        inbound = s.exec(select(Message).where(Message.direction == Direction.inbound)).all()
        by_sid = Counter(m.provider_sid for m in inbound)
        assert set(by_sid) == set(posts) and max(by_sid.values()) == 1
        statuses = Counter(m.status for m in inbound)
        assert statuses == {MessageStatus.processed: MESSAGES}, statuses
        replies = s.exec(select(Message).where(col(Message.in_reply_to_id).is_not(None))).all()
        to_senders = [r for r in replies if r.phone in {m.phone for m in inbound}]
        assert len(to_senders) >= len(inbound), "messages went unanswered"
        assert ledger.check(s).ok, ledger.check(s)


@pytest.mark.slow
def test_every_message_is_answered_once_by_a_reply_linked_to_it(crashed_run):
    engine, _posts = crashed_run
    with Session(engine) as s:
        inbound = s.exec(select(Message).where(Message.direction == Direction.inbound)).all()
        phone_of = {m.id: m.phone for m in inbound}
        replies = s.exec(select(Message).where(col(Message.in_reply_to_id).is_not(None))).all()
        to_sender = Counter((r.in_reply_to_id, r.template) for r in replies if r.phone == phone_of.get(r.in_reply_to_id))
        answered = {reply_to for reply_to, _ in to_sender}
        unanswered = [(m.id, m.body) for m in inbound if m.id not in answered]
        assert unanswered == [], "some messages got no answer"
        doubled = {key: n for key, n in to_sender.items() if n > 1}
        assert doubled == {}, f"answered twice: {doubled}"
        notices = Counter(n.inbound_message_id for n in s.exec(select(SickNotice)).all())
        assert all(count == 1 for count in notices.values()), "two sick notices point at one message"
