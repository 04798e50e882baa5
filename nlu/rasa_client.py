"""The Rasa classifier: the :class:`nlu.result.Classifier` the engine uses when Rasa is configured.

Each message goes to Rasa's ``/model/parse`` over loopback HTTP with short
timeouts, while lingua guesses its language. With several Rasa processes
(``FRONTDOOR_NLU_REPLICAS``) the calls go round robin and a failing one is skipped
(:mod:`nlu.replicas`). When Rasa is down, slow or failing
(the circuit breaker is open), the deterministic keyword classifier answers
instead (``source="fallback"``), so no message waits long or is lost. The
keyword phrases also add what they find to Rasa's categories; when neither finds
a category, categories are empty and the engine shows its numbered menu.
The keyword crisis list runs on every message whatever Rasa says, and its
"true" always wins. Message text is never logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

import anyio
import httpx

from nlu.breaker import CircuitBreaker
from nlu.dates import find_dates
from nlu.decode import DecodePolicy, decode
from nlu.keywords import KeywordClassifier, find_categories, is_crisis, is_deadline
from nlu.language import SUPPORTED, LanguageDetector, LanguageGuess, default_detector
from nlu.replicas import ReplicaPool
from nlu.result import FoundDate, NluResult

__all__ = ["KeywordUse", "RasaClassifier", "with_keywords"]

log = logging.getLogger("frontdoor.nlu.rasa")
_MAX_CHARS = 5000
# How the keyword phrase tables add to the model's categories. "union" measured best: the phrases catch much
# of what the model misses; a phrase the model gives almost nothing to is left out (DecodePolicy.keyword_floor).
KeywordUse = Literal["union", "unsure", "off"]


@dataclass(frozen=True)
class _LoopState:
    loop: asyncio.AbstractEventLoop
    client: httpx.AsyncClient
    slots: anyio.Semaphore


class RasaClassifier:
    """Rasa over HTTP, with language detection, keyword crisis check and keyword fallback."""

    def __init__(self, url: str | list[str], *, timeout: float = 1.5, policy: DecodePolicy | None = None,
                 breaker: CircuitBreaker | None = None, detector: LanguageDetector | None = None,
                 fallback: KeywordClassifier | None = None, keywords: KeywordUse = "union",
                 detect_language: bool = True, in_flight: int = 2, queue_seconds: float = 10.0) -> None:
        urls = [url] if isinstance(url, str) else list(url)
        self.replicas = ReplicaPool(urls)
        self.url = self.replicas.urls[0]
        self.timeout = timeout
        self.policy = policy or DecodePolicy()
        self.breaker = breaker or CircuitBreaker()
        self._detector = detector
        self._detect_language = detect_language
        self._fallback = fallback or KeywordClassifier()
        self.keywords = keywords
        self._loop_state: _LoopState | None = None  # the pooled client and call slots of one event loop
        # A Rasa process parses one message at a time: more than a couple of calls in flight per replica
        # only queue inside Rasa, where the wait eats the call's timeout and a busy model looks like a dead
        # one. Calls wait here instead (up to ``queue_seconds``), and ``timeout`` times the call alone.
        self.in_flight = max(1, in_flight) * len(self.replicas.urls)
        self.queue_seconds = queue_seconds

    # -- the Classifier interface -------------------------------------------------------------

    async def classify(self, text: str, *, language: str | None, today: dt.date) -> NluResult:
        text = text[:_MAX_CHARS]
        parse: dict[str, Any] | None = None
        guess = LanguageGuess(None, 0.0)

        async def run_parse() -> None:
            nonlocal parse
            parse = await self.parse(text)

        async def run_detect() -> None:
            nonlocal guess
            guess = await anyio.to_thread.run_sync(self.detect_language, text)

        if _has_words(text):  # "1", "2", "LU2 7AB": menu answers and postcodes are not for the model
            async with anyio.create_task_group() as group:
                group.start_soon(run_parse)
                group.start_soon(run_detect)
        date_language = guess.language if guess.language in SUPPORTED else language
        extra = {"language_confidence": guess.confidence}
        if parse is None:
            fallback = self._fallback.classify_sync(text, language=date_language, today=today)
            source = "fallback" if _has_words(text) else "keywords"
            return replace(fallback, language=guess.language, source=source, extra=extra)
        return await anyio.to_thread.run_sync(self._from_parse, text, parse, guess, date_language, today, extra)

    # -- parts, public for the evaluation and the CLI --------------------------------------------

    def detect_language(self, text: str) -> LanguageGuess:
        if not self._detect_language:
            return LanguageGuess(None, 0.0)
        if self._detector is None:
            self._detector = default_detector()
        return self._detector.detect(text)

    def warm_up(self) -> None:
        """Load the language models now (seconds): call once at start, off the event loop."""
        if self._detect_language:
            if self._detector is None:
                self._detector = default_detector()
            self._detector.warm_up()

    async def parse(self, text: str) -> dict[str, Any] | None:
        """Rasa's raw parse answer, or None when no replica answers in time or the breaker is open.

        One ``timeout`` covers the whole call: a replica that refuses at once leaves the rest of it to
        the next one; the breaker counts a failure only when no replica answered.
        """
        if not self.breaker.allow():
            return None
        slots = self._for_loop().slots
        with anyio.move_on_after(self.queue_seconds) as waiting:  # the wait for a slot only, not the call
            await slots.acquire()
        if waiting.cancelled_caught:
            log.warning("rasa busy: no call slot within the queue time; using the fallback",
                        extra={"queue_s": self.queue_seconds})
            return None
        try:
            return await self._parse_now(text)
        finally:
            slots.release()

    async def _parse_now(self, text: str) -> dict[str, Any] | None:
        started = time.perf_counter()
        error = "no replica"
        for url in self.replicas.candidates():
            left = self.timeout - (time.perf_counter() - started)
            if left <= 0:
                break
            try:
                with anyio.fail_after(left):
                    response = await self._for_loop().client.post(f"{url}/model/parse", json={"text": text})
                response.raise_for_status()
                data = response.json()
                if not isinstance(data, dict):
                    raise ValueError("parse answer is not a JSON object")
            except (httpx.HTTPError, TimeoutError, ValueError) as exc:
                self.replicas.failed(url)
                status = exc.response.status_code if isinstance(exc, httpx.HTTPStatusError) else None
                error = f"{type(exc).__name__} {status}" if status else type(exc).__name__
                continue
            self.replicas.succeeded(url)
            self.breaker.success()
            return data
        self.breaker.failure()
        # The error's kind (never the text) in the message itself, so a captured log or CI output says why.
        log.warning("rasa parse failed (%s); using the fallback", error, extra={
            "error": error, "breaker": self.breaker.state, "ms": round((time.perf_counter() - started) * 1000)})
        return None

    def from_parse(self, text: str, parse: dict[str, Any], *, language: str | None, today: dt.date,
                   guess: LanguageGuess | None = None) -> NluResult:
        """The result for an already fetched parse (the evaluation reuses parses across settings)."""
        guess = guess or LanguageGuess(None, 0.0)
        date_language = guess.language if guess.language in SUPPORTED else language
        return self._from_parse(text, parse, guess, date_language, today, {"language_confidence": guess.confidence})

    async def aclose(self) -> None:
        state, self._loop_state = self._loop_state, None
        if state is not None:
            with contextlib.suppress(RuntimeError):  # its event loop may be gone: nothing left to close
                await state.client.aclose()

    # -- internals ----------------------------------------------------------------------------------

    def _for_loop(self) -> _LoopState:
        """The pooled client and the call slots of this event loop (``handle_sync`` callers run a new loop per call)."""
        loop = asyncio.get_running_loop()
        state = self._loop_state
        if state is None or state.loop is not loop:
            timeout = httpx.Timeout(self.timeout, connect=min(0.5, self.timeout))
            limits = httpx.Limits(max_connections=32, max_keepalive_connections=16)
            state = _LoopState(loop, httpx.AsyncClient(timeout=timeout, limits=limits, trust_env=False),
                               anyio.Semaphore(self.in_flight))
            self._loop_state = state
        return state

    def _from_parse(self, text: str, parse: dict[str, Any], guess: LanguageGuess, date_language: str | None,
                    today: dt.date, extra: dict[str, float]) -> NluResult:
        decoded = decode(parse, self.policy)
        categories = (with_keywords(decoded.categories, text, self.keywords, decoded.scores, self.policy.keyword_floor)
                      if decoded.intent is None else ())
        source = "rasa" if categories == decoded.categories else "rasa+keywords"
        confidence = decoded.confidence if decoded.categories else (1.0 if categories else 0.0)
        dates = _dates(text, decoded.date_spans, date_language, today)
        # The spans Rasa tags as dates count only through the dates found in them ("2 years" is not one).
        crisis = decoded.crisis or is_crisis(text)
        deadline = is_deadline(text, date_language, dates, today, crisis=crisis)
        return NluResult(
            categories=categories, crisis=crisis, deadline=deadline, dates=dates,
            language=guess.language, confidence=confidence, intent=decoded.intent, source=source,
            extra={**extra, "crisis_score": decoded.crisis_score})


def _has_words(text: str) -> bool:
    """True when ``text`` has at least two letters (in any script; menu numbers have none)."""
    return sum(1 for ch in text if ch.isalpha()) >= 2


def with_keywords(categories: tuple[str, ...], text: str, use: KeywordUse,
                  scores: Mapping[str, float] | None = None, floor: float = 0.0) -> tuple[str, ...]:
    """The model's categories plus the keyword phrases' ("union"), or the phrases' only when the model has none.

    With ``scores`` (the model's score per category), a phrase's category is added only when the model
    gives it at least ``floor``, even when the model is unsure: a phrase the model thinks is beside the point
    is a side topic ("bills" in a debt message). Cross-validation preferred that to an ungated union.
    """
    if use == "off" or (use == "unsure" and categories):
        return categories
    found = find_categories(text)
    if scores is not None:
        found = tuple(c for c in found if scores.get(c, 0.0) >= floor)
    return tuple(dict.fromkeys((*categories, *found)))


def _dates(text: str, spans: tuple[str, ...], language: str | None, today: dt.date) -> tuple[FoundDate, ...]:
    """Dates dateparser finds in the message, plus any in the spans Rasa tagged as dates."""
    found = list(find_dates(text, language, today))
    for span in spans:
        if any(span in f.text or f.text in span for f in found):
            continue
        found.extend(find_dates(span, language, today))
    unique = {(f.value, f.text): f for f in found}
    return tuple(unique.values())
