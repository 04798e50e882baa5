"""/metrics: who answered each message, how long turns took, the breaker, the model, the outbox."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from bot.outbox import OutboxMessage
from core.settings import Settings
from frontdoor.app import create_app
from frontdoor.metrics_dir import PROMETHEUS_ENV, multiprocess_dir, remove_dead_files, use_metrics_dir
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


# -- FRONTDOOR_METRICS_DIR: every process on the machine in one scrape --------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
_COUNT = """
import sys
from core.settings import Settings
from frontdoor.metrics_dir import use_metrics_dir
use_metrics_dir(Settings(metrics_dir=sys.argv[1]))
from frontdoor.metrics import Metrics
metrics = Metrics()
for _ in range(int(sys.argv[2])):
    metrics.turn_done("sms", 0.02)
    metrics.nlu_done("keywords", 0.002)
"""
_SCRAPE = """
import sys
from core.settings import Settings
from frontdoor.metrics_dir import use_metrics_dir
use_metrics_dir(Settings(metrics_dir=sys.argv[1]))
from nlu.startup import NluStatus
from frontdoor.metrics import Metrics
from tests.support import keyword_runtime
from tests.frontdoor.test_metrics import NOW
with keyword_runtime(Settings(database_url=sys.argv[2]), lambda: NOW) as runtime:
    runtime.conversations.handle_sync("sms", "+447700900001", "hi")  # this process counts one turn too
    sys.stdout.write(runtime.metrics.render(runtime.sessions, runtime.nlu_status(), lambda: NOW).decode())
"""


def _python(code: str, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != PROMETHEUS_ENV and not k.startswith("FRONTDOOR_")}
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_metrics_dir_sums_the_counters_of_every_process_and_reads_the_gauges_once(
        sqlite_template: Path, tmp_path: Path) -> None:
    shutil.copy(sqlite_template, tmp_path / "frontdoor.db")
    url, folder = f"sqlite:///{tmp_path / 'frontdoor.db'}", str(tmp_path / "metrics")
    with keyword_runtime(Settings(database_url=url), lambda: NOW) as runtime, runtime.sessions() as session, \
            session.begin():  # one dead letter in the database: shown as 1 however many processes counted
        session.add(OutboxMessage(idempotency_key="dead-1", channel="sms", address="+447700900000",
                                  body="", status="dead", next_attempt_at=NOW, created_at=NOW, updated_at=NOW))
    _python(_COUNT, folder, "3")
    _python(_COUNT, folder, "4")
    text = _python(_SCRAPE, folder, url)
    assert _value(text, "frontdoor_turn_seconds_count", channel="sms") == 3 + 4 + 1
    assert _value(text, "frontdoor_nlu_messages_total", source="keywords") == 3 + 4 + 1
    assert _value(text, "frontdoor_nlu_messages_total", source="model") == 0
    assert _value(text, "frontdoor_outbox_dead") == 1
    for gauge in ("frontdoor_outbox_dead", "frontdoor_nlu_model_ready", "frontdoor_inbound_open"):
        assert len(re.findall(rf"^{gauge}\b", text, re.MULTILINE)) == 1, gauge
        assert len(re.findall(rf"^# TYPE {gauge} gauge$", text, re.MULTILINE)) == 1, gauge
    assert sorted(p.name.split("_")[0] for p in Path(folder).iterdir()) == ["counter"] * 3 + ["histogram"] * 3


def test_unset_leaves_prometheus_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PROMETHEUS_ENV, raising=False)
    assert use_metrics_dir(Settings()) is None and PROMETHEUS_ENV not in os.environ
    assert multiprocess_dir() is None


def test_too_late_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(PROMETHEUS_ENV, raising=False)  # prometheus_client is imported here, counting in memory
    with pytest.raises(RuntimeError, match="before prometheus_client"):
        use_metrics_dir(Settings(metrics_dir=str(tmp_path)))
    assert PROMETHEUS_ENV not in os.environ


def test_files_of_processes_no_longer_running_are_removed(tmp_path: Path) -> None:
    gone = subprocess.Popen([sys.executable, "-c", ""])
    gone.wait()
    for name in (f"counter_{gone.pid}.db", f"histogram_{gone.pid}.db", f"counter_{os.getpid()}.db", "notes.txt"):
        (tmp_path / name).write_bytes(b"")
    removed = remove_dead_files(tmp_path)
    assert sorted(p.name for p in removed) == [f"counter_{gone.pid}.db", f"histogram_{gone.pid}.db"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"counter_{os.getpid()}.db", "notes.txt"]
