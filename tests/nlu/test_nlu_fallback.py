"""When Rasa is stopped or slow, nothing waits long and nothing is lost; crisis words always count.

These run without the real model: a closed loopback port stands for a stopped
Rasa, and a tiny loopback HTTP server that sleeps stands for a slow one.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import anyio
import pytest

from bot.replies import render_plain
from bot.service import ConversationService
from core.db import make_engine, make_sessionmaker
from core.settings import Settings, load_settings
from nlu.backend import build_classifier
from nlu.breaker import CircuitBreaker
from nlu.keywords import KeywordClassifier
from nlu.rasa_client import RasaClassifier
from tests.conftest import FixedClock

TODAY = dt.date(2026, 11, 24)


def _client(url: str, timeout: float = 0.5, failures: int = 3) -> RasaClassifier:
    return RasaClassifier(url, timeout=timeout, breaker=CircuitBreaker(failures, 60), detect_language=False)


def test_stopped_server_falls_back_to_keywords_with_crisis_and_dates(dead_url: str) -> None:
    client = _client(dead_url)
    result = anyio.run(lambda: client.classify("my landlord says get out by 15 january", language="en", today=TODAY))
    assert result.source == "fallback"
    assert result.categories == ("housing",) and result.deadline
    assert [d.value for d in result.dates] == [dt.date(2027, 1, 15)]
    crisis = anyio.run(lambda: client.classify("he said he will kill me tonight", language="en", today=TODAY))
    assert crisis.crisis and crisis.source == "fallback"


@pytest.mark.parametrize(("in_flight", "served"), [(1, 10), (100, None)])
def test_a_busy_model_is_waited_for_not_timed_out(serial_server: str, in_flight: int, served: int | None) -> None:
    """Ten messages at once against one Rasa that parses one at a time (0.15 s each, 1.5 s for all ten).

    With one call in flight the rest wait their turn here and the 0.5 s timeout times each call alone: the
    model serves all ten. With every call sent at once they queue inside Rasa, the later ones pass the
    timeout while the model is healthy, and fall back (the behaviour this limit replaced).
    """
    client = RasaClassifier(serial_server, timeout=0.5, breaker=CircuitBreaker(100, 60), detect_language=False,
                            in_flight=in_flight)

    async def run() -> list[str]:
        sources: list[str] = []

        async def one() -> None:
            result = await client.classify("bailiffs are coming about my debts", language="en", today=TODAY)
            sources.append(result.source)

        async with anyio.create_task_group() as group:
            for _ in range(10):
                group.start_soon(one)
        return sources

    sources = anyio.run(run)
    if served is not None:
        assert sum(source.startswith("rasa") for source in sources) == served
    else:
        assert sources.count("fallback") >= 5


def test_slow_server_times_out_then_breaker_answers_at_once(slow_server: str) -> None:
    client = _client(slow_server, timeout=0.3, failures=2)

    async def run() -> list[tuple[str, float]]:
        timings = []
        for _ in range(4):
            started = time.perf_counter()
            result = await client.classify("bailiffs are coming about my debts", language="en", today=TODAY)
            timings.append((result.source, time.perf_counter() - started))
        return timings

    timings = anyio.run(run)
    assert all(source == "fallback" for source, _ in timings)
    assert all(seconds < 1.0 for _, seconds in timings[:2])  # each waited for the timeout, not for the answer
    assert client.breaker.state == "open"
    assert all(seconds < 0.1 for _, seconds in timings[2:])  # open breaker: no call at all


def test_menu_numbers_never_reach_the_model(slow_server: str) -> None:
    client = _client(slow_server, timeout=0.3, failures=1)
    started = time.perf_counter()
    result = anyio.run(lambda: client.classify("2", language="en", today=TODAY))
    assert time.perf_counter() - started < 0.2 and client.breaker.state == "closed"
    assert result.categories == () and not result.crisis and result.source == "keywords"


def test_backend_setting_picks_the_classifier() -> None:
    keywords, none = build_classifier(Settings())
    assert isinstance(keywords, KeywordClassifier) and none is None
    rasa, supervisor = build_classifier(Settings(nlu_backend="rasa", nlu_manage_server=False,
                                                 nlu_crisis_threshold=0.2))
    assert isinstance(rasa, RasaClassifier) and supervisor is None and rasa.policy.crisis_threshold == 0.2
    with pytest.raises(ValueError, match="FRONTDOOR_NLU_BACKEND must be one of 'keywords' or 'rasa': 'spacy'"):
        load_settings({"FRONTDOOR_NLU_BACKEND": "spacy"})


def test_crisis_keywords_win_over_a_calm_model() -> None:
    client = _client("http://127.0.0.1:9")
    calm = {"intent": {"name": "housing", "confidence": 0.99},
            "intent_ranking": [{"name": "housing", "confidence": 0.99}, {"name": "crisis", "confidence": 0.01}],
            "entities": []}
    result = client.from_parse("my landlord has a knife and says he will kill me", calm, language="en", today=TODAY)
    assert result.crisis and result.categories == ("housing",) and result.source == "rasa"


@pytest.fixture
def rasa_down_service(db_url: str, dead_url: str) -> Iterator[ConversationService]:
    engine = make_engine(db_url)
    service = ConversationService(make_sessionmaker(engine), _client(dead_url), Settings(database_url=db_url),
                                  clock=FixedClock())
    yield service
    engine.dispose()


def test_engine_carries_on_with_rasa_stopped(rasa_down_service: ConversationService) -> None:
    """Keyword categories when they match, the numbered menu when not, crisis always; every turn saved."""
    handle = rasa_down_service.handle_sync
    assert handle("sms", "+447700900111", "hi").step == "language"
    assert handle("sms", "+447700900111", "1").step == "describe"
    menu = handle("sms", "+447700900111", "something happened and I need to talk to someone")
    assert menu.step == "choose_categories"
    assert handle("sms", "+447700900111", "3").step != "choose_categories"  # the menu works as usual

    for text in ("hi", "1"):
        handle("sms", "+447700900222", text)
    found = handle("sms", "+447700900222", "my landlord wants me out and I owe council tax")
    assert found.step == "confirm_issues"
    crisis = handle("sms", "+447700900222", "he is outside with a knife")
    assert crisis.step == "crisis_safe" and "999" in " ".join(render_plain(r) for r in crisis.replies)
