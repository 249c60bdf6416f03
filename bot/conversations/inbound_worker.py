"""The inbound worker: interprets stored messages after the webhook has answered.

Twilio waits for the webhook, and a webhook that waits for the conversation, the sick-notice
records and the replies holds a connection for all of it: under a burst Twilio's requests queue
up, time out and are sent again. So the webhook only stores the message and wakes this worker;
the worker processes every ``received`` message in id order (arrival order, so one person's
messages are handled in the order they were sent), a batch per transaction
(``bot.conversations.batch``), and sends the replies at once when the send rate allows.

Nothing is held only in memory: the worker reads what to do from the database. A message
stored just before a crash is processed when the next process starts, and the clock's sweep
(``reprocess_received``) covers an instance that never wakes. The batch's claims (``SKIP
LOCKED`` on PostgreSQL) make it safe for several instances (and the sweep) to work side by side:
each message is processed once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine

from bot import clock
from bot.channels.dispatcher import dispatch
from bot.channels.peers import DeliveryPeers
from bot.channels.ratelimit import bucket_for, prepaid
from bot.config import Settings
from bot.conversations.batch import process_batch

log = logging.getLogger("bot.conversations.inbound_worker")

# Messages interpreted in one transaction. A batch holds the database's writer (SQLite) or the
# ledger's lock (PostgreSQL, from its claim to its commit), and the webhook waits for both to
# store a message: a few dozen keeps that wait in the tens of milliseconds while sharing the
# transaction's fixed cost among many messages.
BATCH = 32
# Receiving comes first, but interpreting must keep pace: while posts arrive, the worker gives way
# (the webhook needs the interpreter lock and the database's writer to answer) for at most this
# long, then interprets for about ``SLICE_SECONDS`` before committing and giving way again.
YIELD_AT_MOST_SECONDS = 0.05
SLICE_SECONDS = 0.05
# A batch holds the ledger's lock until it commits, and every instance's webhook waits for that
# lock to store a message: no batch holds it longer than this, whoever is receiving.
BATCH_AT_MOST_SECONDS = 0.25
YIELD_STEP_SECONDS = 0.01
# After a pass that moved nothing (the database away), wait this long before looking again,
# unless a new message wakes the worker first.
RETRY_SECONDS = 5.0


def send_soon(
    engine: Engine, settings: Settings, transport: Any, reply_ids: list[int], *, peers: DeliveryPeers
) -> None:
    """Send the replies of one inbound message right away, if the send rate allows it now.

    Never waits for the rate: under a burst the replies stay queued and the dispatcher job
    sends them within one interval, while this worker goes on to the next message.
    """
    bucket = bucket_for(transport, settings.sms_max_per_second)
    if not bucket.try_acquire(len(reply_ids)):
        return
    try:
        dispatch(
            engine, settings, transport, clock.utcnow(), peers=peers, only_ids=reply_ids, bucket=prepaid()
        )
    except Exception:
        log.exception("immediate dispatch failed; the dispatcher job will retry", extra={"ids": reply_ids})


class InboundWorker:
    """One thread per app process; ``wake`` after storing, ``wait_idle`` to see it caught up."""

    def __init__(
        self, engine: Engine, settings: Settings, transport: Any, *, peers: DeliveryPeers,
        receiving: Callable[[], bool] = lambda: False,
    ) -> None:
        self._engine = engine
        self._settings = settings
        self._transport = transport
        self._peers = peers
        self._receiving = receiving
        self._wake = threading.Event()
        self._progress = threading.Condition()
        self._requested = 0  # wake-ups asked for
        self._finished = 0  # wake-ups whose messages have all been handled
        # Set by ``stop`` (and cleared only by ``start``): the thread ends, and a late webhook's
        # ``wake`` does not start it again.
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def start(self) -> None:
        """Start the thread (if it is not running): it first processes whatever is waiting."""
        with self._start_lock:
            if self._thread is not None and self._thread.is_alive():
                return
            with self._progress:
                self._stopping = False
                self._requested += 1  # the first pass: whatever an earlier process left
            self._wake.set()
            self._thread = threading.Thread(target=self._run, name="inbound-worker", daemon=True)
            self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and not self._stopping

    def wake(self) -> None:
        """Messages were stored: process them soon. Cheap, never blocks on the database."""
        with self._progress:
            self._requested += 1
        if not self._stopping:
            self.start()
        self._wake.set()

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Block until the worker has been through everything stored before this call: processed
        it, or found it not yet possible (the database away). False on timeout."""
        with self._progress:
            target = self._requested
            self._progress.wait_for(lambda: self._finished >= target or self._stopping, timeout)
            return self._finished >= target

    def stop(self, timeout: float = 10.0) -> None:
        """Finish the message in hand and stop; what is still waiting stays in the database."""
        with self._progress:
            self._stopping = True
            self._progress.notify_all()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        retry_in: float | None = None
        while not self._stopping:
            self._wake.wait(retry_in)
            self._wake.clear()
            with self._progress:
                target = self._requested
            try:
                caught_up = self._drain()
            except Exception:
                # A bug or a database fault outside any one message: log it, keep the thread.
                log.exception("inbound worker pass failed")
                caught_up = False
            retry_in = None if caught_up else RETRY_SECONDS
            with self._progress:
                self._finished = max(self._finished, target)
                self._progress.notify_all()

    def _drain(self) -> bool:
        """Process until nothing is waiting; False when a pass moved nothing (try again later)."""
        while not self._stopping:
            self._give_way()
            if self._stopping:
                break
            batch = process_batch(self._engine, settings=self._settings, now=clock.utcnow(), limit=BATCH,
                                  enough=self._slice_over)
            if batch.reply_ids:
                send_soon(self._engine, self._settings, self._transport, batch.reply_ids, peers=self._peers)
            if not batch.claimed:
                # Nothing waiting (or all of it claimed by another instance): caught up. With the
                # database away (logged where it failed), look again later.
                return not batch.deferred
        return True

    def _slice_over(self, held: float) -> bool:
        """Whether a batch has held the database long enough (``held`` seconds since it got the
        ledger's lock; the wait for it does not count, or a batch that waited behind another
        instance's would give up after one message): stopping, posts waiting here and the slice
        spent, or the longest hold any instance's webhook should wait for."""
        return self._stopping or held >= BATCH_AT_MOST_SECONDS or (
            self._receiving() and held >= SLICE_SECONDS
        )

    def _give_way(self) -> None:
        """Wait while the webhook is receiving, but never longer than ``YIELD_AT_MOST_SECONDS``.

        Answering Twilio quickly is what keeps a burst from turning into a storm of retries; a
        reply a few seconds later harms nobody. The bound keeps replies moving under any load.
        """
        deadline = time.monotonic() + YIELD_AT_MOST_SECONDS
        while self._receiving() and not self._stopping and time.monotonic() < deadline:
            time.sleep(YIELD_STEP_SECONDS)


__all__ = ["InboundWorker", "send_soon"]
