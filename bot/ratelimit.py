"""Token buckets for provider rate limits (per process: each worker keeps its own share).

Telegram allows about 30 messages a second overall and about one a second
in one chat (short bursts tolerated); Twilio queues beyond a number's
throughput and eventually fails, so both are paced here rather than
discovered through 429s.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

import anyio

__all__ = ["Bucket", "KeyedBuckets"]


class Bucket:
    def __init__(self, rate: float, burst: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self._clock = rate, max(burst, 1.0), clock
        self._tokens, self._stamp = self.burst, clock()
        self._lock = anyio.Lock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    def try_take(self) -> float:
        """Take a token now (0.0), or say how many seconds until one is free (nothing taken)."""
        if self.rate <= 0:
            return 0.0
        self._refill()
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return 0.0
        return (1.0 - self._tokens) / self.rate

    async def take(self) -> None:
        """Wait for a token; callers queue in order behind the lock."""
        async with self._lock:
            while (wait := self.try_take()) > 0:
                await anyio.sleep(wait)


class KeyedBuckets:
    """One bucket per recipient, forgetting the least recently used beyond ``max_keys``."""

    def __init__(self, rate: float, burst: float, max_keys: int = 10_000) -> None:
        self.rate, self.burst, self.max_keys = rate, burst, max_keys
        self._buckets: OrderedDict[str, Bucket] = OrderedDict()

    def try_take(self, key: str) -> float:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = Bucket(self.rate, self.burst)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
        self._buckets.move_to_end(key)
        return bucket.try_take()
