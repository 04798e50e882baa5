"""A circuit breaker: after repeated failures, stop calling a service for a while.

When Rasa is down every call would wait for its timeout before falling back;
with the breaker open the fallback answers at once, and one trial call after
``reset_seconds`` finds out whether Rasa is back.
"""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["CircuitBreaker"]


class CircuitBreaker:
    """closed -> (``failures`` in a row) -> open -> (``reset_seconds``) -> half-open -> one trial."""

    def __init__(self, failures: int = 3, reset_seconds: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._threshold = max(1, failures)
        self._reset = reset_seconds
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_running = False

    @property
    def state(self) -> str:
        if self._opened_at is None:
            return "closed"
        return "half-open" if self._clock() - self._opened_at >= self._reset else "open"

    def allow(self) -> bool:
        """May a call go through now? In half-open state only one trial call at a time may."""
        state = self.state
        if state == "closed":
            return True
        if state == "half-open" and not self._trial_running:
            self._trial_running = True
            return True
        return False

    def success(self) -> None:
        self._failures, self._opened_at, self._trial_running = 0, None, False

    def failure(self) -> None:
        self._trial_running = False
        self._failures += 1
        if self._opened_at is not None or self._failures >= self._threshold:
            self._opened_at = self._clock()
