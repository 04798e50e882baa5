"""/metrics: who answered each message, how long turns took, the breaker, the model, the outbox."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from bot.outbox import OutboxMessage
from core.settings import Settings
from frontdoor.app import create_app
from frontdoor.runtime import Runtime
from nlu.rasa_client import RasaClassifier
from nlu.result import NluResult
from nlu.startup import ModelStarter, ModelSwitch
from tests.nlu.test_nlu_startup import FakeModel, FakeServer, FakeTraining, _launcher
from tests.support import keyword_runtime

NOW = dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC)


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def _value(text: str, name: str, **labels: str) -> float:
    return _samples(text)[(name, tuple(sorted(labels.items())))]


@pytest.fixture
def runtime(db_url: str) -> Iterator[Runtime]:
    with keyword_runtime(Settings(database_url=db_url), lambda: NOW) as built:
        yield built


def _simulate(client: TestClient, *texts: str) -> None:
    """Messages typed into the simulator, as a browser sends them (its client id and CSRF token)."""
    page = client.get("/simulator").text
    ids = [re.search(rf'name="{field}" value="([^"]+)"', page) for field in ("client", "csrf")]
    assert ids[0] and ids[1]
    for text in texts:
        sent = client.post("/simulator", data={"client": ids[0].group(1), "csrf": ids[1].group(1), "text": text,
                                               "channel": "sms"})
        assert sent.status_code == 200


def test_metrics_after_a_simulated_conversation(runtime: Runtime) -> None:
    with TestClient(create_app(runtime.settings, runtime)) as client:
        _simulate(client, "hi", "1", "my landlord wants me out")
        with runtime.sessions() as session, session.begin():  # one message the worker gave up on
            session.add(OutboxMessage(idempotency_key="dead-1", channel="sms", address="+447700900000",
                                      body="", status="dead", next_attempt_at=NOW, created_at=NOW, updated_at=NOW))
        response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    text = response.text
    for name in ("frontdoor_turn_seconds_bucket", "frontdoor_nlu_seconds_bucket", "frontdoor_nlu_messages_total",
                 "frontdoor_nlu_breaker_state", "frontdoor_nlu_model_ready", "frontdoor_nlu_model_phase",
                 "frontdoor_outbox_pending", "frontdoor_outbox_oldest_pending_seconds", "frontdoor_outbox_dead"):
        assert re.search(rf"^{name}\b", text, re.MULTILINE), name
    assert _value(text, "frontdoor_turn_seconds_count", channel="sms") == 3
    assert _value(text, "frontdoor_nlu_messages_total", source="keywords") == 2  # "hi" and the story
    assert _value(text, "frontdoor_nlu_messages_total", source="skipped") == 1  # "1" on the language menu
    assert _value(text, "frontdoor_nlu_messages_total", source="model") == 0
    assert _value(text, "frontdoor_nlu_messages_total", source="fallback") == 0
    assert _value(text, "frontdoor_nlu_model_phase", backend="keywords", phase="off") == 1
    assert _value(text, "frontdoor_outbox_dead") == 1


def test_every_fallback_is_counted(db_url: str) -> None:
    dead = RasaClassifier("http://127.0.0.1:9", timeout=0.5, detect_language=False)  # nothing listens there
    with keyword_runtime(Settings(database_url=db_url), lambda: NOW) as runtime:
        runtime.conversations._classifier = dead  # the model is down
        runtime.conversations.handle_sync("sms", "+447700900001", "my landlord wants me out")
        runtime.conversations.handle_sync("sms", "+447700900001", "1")  # a menu answer: skipped, not a fallback

        class Broken:
            async def classify(self, text: str, *, language: str | None, today: dt.date) -> NluResult:
                raise RuntimeError("boom")

        runtime.conversations._classifier = Broken()
        runtime.conversations.handle_sync("sms", "+447700900002", "my landlord wants me out")
        text = runtime.metrics.render(runtime.sessions, runtime.nlu_status()).decode()
    assert _value(text, "frontdoor_nlu_messages_total", source="fallback") == 2
    assert _value(text, "frontdoor_nlu_messages_total", source="skipped") == 1


def test_healthz_and_simulator_say_the_model_is_training_then_ready(runtime: Runtime, tmp_path: Path) -> None:
    training, server = FakeTraining(), FakeServer()
    switch = ModelSwitch(FakeModel())
    runtime.settings = Settings(database_url=runtime.settings.database_url, nlu_backend="rasa")
    runtime.classifier = runtime.conversations._classifier = switch
    runtime.nlu_starter = ModelStarter(switch, training, _launcher(server)).start()
    with TestClient(create_app(runtime.settings, runtime)) as client:
        assert training.started.wait(10)
        health = client.get("/healthz").json()
        assert health["status"] == "ok"
        assert health["nlu"] | {"breaker": None} == {"backend": "rasa", "model": "training", "model_ready": False,
                                                     "breaker": None, "answering": "keywords", "detail": None}
        page = client.get("/simulator").text
        assert "Model: training" in page
        _simulate(client, "my landlord wants me out")  # answered while training
        training.release.set()
        assert runtime.nlu_starter.wait_switched(10)
        health = client.get("/healthz").json()
        assert health["nlu"]["model"] == "ready" and health["nlu"]["answering"] == "model"
        assert "Model:" not in client.get("/simulator").text
        _simulate(client, "also my benefits stopped")
        text = client.get("/metrics").text
    runtime.nlu_starter.stop()
    assert _value(text, "frontdoor_nlu_messages_total", source="keywords") == 1
    assert _value(text, "frontdoor_nlu_messages_total", source="model") == 1
    assert _value(text, "frontdoor_nlu_model_ready") == 1
