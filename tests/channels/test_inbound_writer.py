"""Group commit: posts that arrive while a batch is written go into the next batch."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime

import pytest

from bot.channels.inbound_store import InboundPost, Stored
from bot.channels.inbound_writer import InboundWriter
from bot.channels.models import MessageStatus

NOW = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)


def _post(sid: str) -> InboundPost:
    return InboundPost(provider_sid=sid, from_address="+4520123456", body="hej", received_at=NOW)


class RecordingStore:
    """Stands in for the database: records each batch, and holds the first until released."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.release_first = threading.Event()

    def __call__(self, posts: list[InboundPost]) -> list[Stored | Exception]:
        if not self.batches:
            self.release_first.wait(5)
        self.batches.append([post.provider_sid for post in posts])
        return [
            ValueError(f"refused {post.provider_sid}") if post.provider_sid.endswith("bad")
            else Stored(int(post.provider_sid.removeprefix("SM")), False, MessageStatus.received)
            for post in posts
        ]


def test_posts_waiting_behind_a_batch_are_written_together_and_each_gets_its_own_result() -> None:
    store = RecordingStore()
    writer = InboundWriter(store, max_batch=16)

    async def burst() -> list[Stored | BaseException]:
        first = asyncio.create_task(writer.store(_post("SM0")))
        await asyncio.sleep(0)  # the first batch (one post) is now being written
        rest = [asyncio.create_task(writer.store(_post(sid))) for sid in ["SM1", "SM2bad", *map("SM{}".format, range(3, 20))]]
        await asyncio.sleep(0.05)
        store.release_first.set()
        return await asyncio.gather(first, *rest, return_exceptions=True)

    results = asyncio.run(burst())

    assert [len(batch) for batch in store.batches] == [1, 16, 3]
    assert isinstance(results[2], ValueError) and "SM2bad" in str(results[2])
    assert [r.message_id for r in results if isinstance(r, Stored)] == [0, 1, *range(3, 20)]


def test_when_storing_fails_every_post_of_the_batch_gets_the_error() -> None:
    def unreachable(posts: list[InboundPost]) -> list[Stored | Exception]:
        raise ConnectionError("database away")

    writer = InboundWriter(unreachable)

    async def post_two() -> list[Stored | BaseException]:
        return await asyncio.gather(writer.store(_post("SM1")), writer.store(_post("SM2")), return_exceptions=True)

    assert all(isinstance(result, ConnectionError) for result in asyncio.run(post_two()))


def test_busy_while_posts_arrive_and_not_long_after(monkeypatch: pytest.MonkeyPatch) -> None:
    store = RecordingStore()
    store.release_first.set()
    writer = InboundWriter(store)
    monkeypatch.setattr("bot.channels.inbound_writer.BUSY_WINDOW_SECONDS", 60.0)
    assert not writer.busy()
    asyncio.run(writer.store(_post("SM1")))
    assert writer.busy()
    monkeypatch.setattr("bot.channels.inbound_writer.BUSY_WINDOW_SECONDS", 0.0)
    assert not writer.busy()
