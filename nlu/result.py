"""What any classifier returns, and the interface every classifier implements.

The conversation engine only ever sees :class:`NluResult`; the keyword classifier
and the Rasa client are interchangeable behind :class:`Classifier`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["Classifier", "FoundDate", "NluResult"]


@dataclass(frozen=True)
class FoundDate:
    """A date found inside a message, with the words it came from."""

    value: dt.date
    text: str


@dataclass(frozen=True)
class NluResult:
    categories: tuple[str, ...] = ()  # category ids, most likely first
    crisis: bool = False  # risk to life, violence now, self-harm, child at risk
    deadline: bool = False  # the message mentions something the client must act by
    dates: tuple[FoundDate, ...] = ()
    language: str | None = None  # detected ISO code, None when unsure
    confidence: float = 0.0
    intent: str | None = None  # greeting, help, stop, affirm, deny, ... when recognised
    # which answered: "rasa" (or "rasa+keywords": the phrases added a category), "keywords", "fallback" (the
    # model was down or slow), "skipped" (the message was exactly what the step asked, so no model was asked)
    source: str = "keywords"
    extra: dict[str, float] = field(default_factory=dict)


class Classifier(Protocol):
    async def classify(self, text: str, *, language: str | None, today: dt.date) -> NluResult:
        """Classify one client message; must not raise for any text."""
        ...
