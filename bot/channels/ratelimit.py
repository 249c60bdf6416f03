"""A token bucket: at most ``rate`` sends a second, with a burst of one second's worth."""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

from bot import clock


class TokenBucket:
    def __init__(
        self,
        rate: float,
        *,
        monotonic: Callable[[], float] = clock.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.capacity = max(1.0, rate)
        self._monotonic = monotonic
        self._sleep = sleep
        self._tokens = self.capacity
        self._last = monotonic()
        self._lock = threading.Lock()

    def _refill(self) -> None:
        current = self._monotonic()
        self._tokens = min(self.capacity, self._tokens + (current - self._last) * self.rate)
        self._last = current

    def take(self) -> float:
        """Take a token; returns how long the caller must wait before using it (0 if none)."""
        with self._lock:
            self._refill()
            self._tokens -= 1.0
            if self._tokens >= 0:
                return 0.0
            return -self._tokens / self.rate

    def try_acquire(self, count: int = 1) -> bool:
        """Take ``count`` tokens if the rate allows it now; never waits."""
        with self._lock:
            self._refill()
            if self._tokens < count:
                return False
            self._tokens -= count
            return True

    def acquire(self) -> None:
        """Take a token, waiting until the rate allows it."""
        wait = self.take()
        if wait > 0:
            self._sleep(wait)


def prepaid() -> TokenBucket:
    """A bucket that never waits: for sends whose tokens were already taken with try_acquire."""
    return TokenBucket(1e12)


# One bucket per transport: every dispatcher in this process shares the provider's rate.
_buckets: weakref.WeakKeyDictionary[Any, TokenBucket] = weakref.WeakKeyDictionary()
_buckets_lock = threading.Lock()


def bucket_for(transport: Any, rate: float) -> TokenBucket:
    with _buckets_lock:
        bucket = _buckets.get(transport)
        if bucket is None or bucket.rate != rate:
            bucket = TokenBucket(rate)
            _buckets[transport] = bucket
        return bucket
