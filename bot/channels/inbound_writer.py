"""Group commit for the inbound webhook.

Each post waits until its message is committed: only then may the webhook answer 2xx, since
Twilio does not send a message again once it has been answered. One transaction per post would
make a burst queue behind the database's single writer. Instead, posts that arrive while a batch
is being written wait together and go into the next batch: one transaction, one ledger lock,
one multi-row insert. At low traffic a batch holds one post and costs what a single insert
costs; under a burst the cost per post falls with the batch size.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool

from bot.channels.inbound_store import InboundPost, Stored

StoreFn = Callable[[list[InboundPost]], list[Stored | Exception]]
MAX_BATCH = 256
# How long after the last post the webhook still counts as busy (see ``busy``).
BUSY_WINDOW_SECONDS = 0.05


class InboundWriter:
    """Batches concurrent ``store`` calls; one writer task at a time per event loop."""

    def __init__(self, store: StoreFn, *, max_batch: int = MAX_BATCH) -> None:
        self._store = store
        self._max_batch = max_batch
        self._waiting: list[tuple[InboundPost, asyncio.Future[Stored]]] = []
        self._writer: asyncio.Task[None] | None = None
        self._last_post = float("-inf")
        self._writing = False

    def busy(self) -> bool:
        """True while posts are arriving, waiting or being stored: the inbound worker gives way to
        them (any thread). A post waiting for the database counts too: SQLite's busy handler
        backs off while it waits, so a worker that took the writer again at once could keep it
        from ever getting its turn."""
        recent = time.monotonic() - self._last_post < BUSY_WINDOW_SECONDS
        return recent or self._writing or bool(self._waiting)

    async def store(self, post: InboundPost) -> Stored:
        """Store ``post`` (with whatever else is waiting); raises what storing it raised."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Stored] = loop.create_future()
        self._last_post = time.monotonic()
        self._waiting.append((post, future))
        if self._writer is None or self._writer.done():
            self._writer = loop.create_task(self._write_waiting())
        return await future

    async def _write_waiting(self) -> None:
        while self._waiting:
            batch = self._waiting[: self._max_batch]
            del self._waiting[: self._max_batch]
            self._writing = True
            try:
                results = await run_in_threadpool(self._store, [post for post, _ in batch])
            except Exception as exc:
                results = [exc] * len(batch)
            finally:
                self._writing = False
            for (_, future), result in zip(batch, results, strict=True):
                if future.done():  # the request was cancelled (client gone); the row stays stored
                    continue
                if isinstance(result, Exception):
                    future.set_exception(result)
                else:
                    future.set_result(result)


__all__ = ["InboundWriter"]
