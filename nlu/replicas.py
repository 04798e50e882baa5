"""Several Rasa processes behind one client: round robin, and a replica that fails is skipped for a while.

One ``rasa run`` parses one message at a time (e5 on one thread), so on a busy line
messages queue behind each other; N processes on consecutive loopback ports
(``FRONTDOOR_NLU_REPLICAS``) answer N at once. The client asks them in turn. A replica
that fails a call (refused, reset, 5xx, too slow) is marked down for ``down_seconds``
and skipped meanwhile, and the call moves on to the next one; every such failure is
counted. Only when no replica answers does the call fail, so the circuit breaker
opens when all of them are down, never because one is.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

__all__ = ["ReplicaPool", "replica_urls"]


def replica_urls(url: str, replicas: int) -> list[str]:
    """``url`` and the next ``replicas - 1`` ports on the same host: http://h:5005 -> :5005, :5006, ..."""
    parts = urlsplit(url.rstrip("/"))
    port = parts.port or 5005
    host = parts.hostname or "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return [urlunsplit((parts.scheme or "http", f"{host}:{port + i}", parts.path, "", ""))
            for i in range(max(1, replicas))]


class ReplicaPool:
    """Which replica to ask next (round robin over those not marked down), and what failed so far."""

    def __init__(self, urls: list[str], *, down_seconds: float = 5.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if not urls:
            raise ValueError("a replica pool needs at least one URL")
        self.urls = [u.rstrip("/") for u in urls]
        self._down_seconds = down_seconds
        self._clock = clock
        self._down_until: dict[str, float] = {}
        self._next = 0
        self._lock = threading.Lock()  # the pool is shared by every event loop of the process
        self.failures: dict[str, int] = dict.fromkeys(self.urls, 0)
        self.skipped = 0  # calls that passed over a replica marked down

    def candidates(self) -> list[str]:
        """The replicas to try for one call, in order: the live ones from the next in turn.

        When every replica is marked down, the one down longest is tried anyway (its
        failure is what the circuit breaker counts).
        """
        with self._lock:
            now = self._clock()
            start = self._next
            self._next = (self._next + 1) % len(self.urls)
            rotated = self.urls[start:] + self.urls[:start]
            live = [u for u in rotated if self._down_until.get(u, 0.0) <= now]
            self.skipped += len(rotated) - len(live)
            if live:
                return live
            return [min(rotated, key=lambda u: self._down_until[u])]

    def failed(self, url: str) -> None:
        with self._lock:
            self.failures[url] = self.failures.get(url, 0) + 1
            self._down_until[url] = self._clock() + self._down_seconds

    def succeeded(self, url: str) -> None:
        with self._lock:
            self._down_until.pop(url, None)

    def up(self) -> int:
        """How many replicas are not marked down now."""
        with self._lock:
            now = self._clock()
            return sum(1 for u in self.urls if self._down_until.get(u, 0.0) <= now)
