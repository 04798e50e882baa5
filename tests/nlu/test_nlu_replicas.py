"""Several Rasa processes behind one client (FRONTDOOR_NLU_REPLICAS): round robin, a dead one skipped and counted.

Fake Rasa servers on loopback stand for the replicas; a closed port stands for a stopped one.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import anyio
import pytest

from core.settings import Settings
from nlu.backend import build_classifier
from nlu.breaker import CircuitBreaker
from nlu.rasa_client import RasaClassifier
from nlu.replicas import ReplicaPool, replica_urls
from nlu.server import SupervisorGroup
from nlu.startup import nlu_status
from tests.nlu.conftest import free_port

TODAY = dt.date(2026, 11, 24)


class FakeRasa:
    """A loopback HTTP server answering ``/status`` and ``/model/parse`` (intent ``housing``), counting parses."""

    def __init__(self) -> None:
        fake = self
        self.parses = 0

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                self._answer({"model_file": "nlu-fake.tar.gz"})

            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                fake.parses += 1
                self._answer({"intent": {"name": "housing", "confidence": 0.99},
                              "intent_ranking": [{"name": "housing", "confidence": 0.99}], "entities": []})

            def _answer(self, payload: dict[str, object]) -> None:
                body = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def fakes() -> Iterator[list[FakeRasa]]:
    servers = [FakeRasa(), FakeRasa()]
    yield servers
    for server in servers:
        server.close()


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _client(urls: list[str], failures: int = 3) -> RasaClassifier:
    # A generous timeout: on a loaded 2-core machine a first parse has taken over a second, marking a live
    # replica down and making the spread uneven. Dead replicas here refuse connections at once.
    return RasaClassifier(urls, timeout=5.0, breaker=CircuitBreaker(failures, 60), detect_language=False)


def _classify(client: RasaClassifier, times: int) -> list[str]:
    async def run() -> list[str]:
        results = [await client.classify("my landlord wants me out of the flat", language="en", today=TODAY)
                   for _ in range(times)]
        return [r.source for r in results]

    return anyio.run(run)


def test_replica_urls_are_consecutive_ports_on_the_same_host() -> None:
    assert replica_urls("http://127.0.0.1:5005/", 3) == [
        "http://127.0.0.1:5005", "http://127.0.0.1:5006", "http://127.0.0.1:5007"]
    assert replica_urls("http://localhost:7000", 1) == ["http://localhost:7000"]
    assert replica_urls("http://[::1]:5005", 2) == ["http://[::1]:5005", "http://[::1]:5006"]


def test_pool_goes_round_robin_skips_a_failed_replica_until_its_time_is_up() -> None:
    clock = Clock()
    pool = ReplicaPool(["a", "b", "c"], down_seconds=5.0, clock=clock)
    assert [pool.candidates()[0] for _ in range(4)] == ["a", "b", "c", "a"]
    pool.failed("c")
    assert pool.up() == 2 and pool.failures["c"] == 1
    assert [pool.candidates() for _ in range(3)] == [["b", "a"], ["a", "b"], ["a", "b"]]
    assert pool.skipped == 3
    clock.now += 5.0
    assert pool.up() == 3 and pool.candidates() == ["b", "c", "a"]  # the 8th call: b's turn, c back in


def test_pool_tries_the_replica_down_longest_when_all_are_down() -> None:
    clock = Clock()
    pool = ReplicaPool(["a", "b"], down_seconds=5.0, clock=clock)
    pool.failed("b")
    clock.now += 1.0
    pool.failed("a")
    assert pool.up() == 0
    assert pool.candidates() == ["b"]
    pool.succeeded("b")
    assert pool.up() == 1 and pool.candidates() == ["b"]


def test_client_spreads_parses_over_the_replicas(fakes: list[FakeRasa]) -> None:
    client = _client([f.url for f in fakes])
    assert _classify(client, 6) == ["rasa"] * 6
    assert [f.parses for f in fakes] == [3, 3]
    assert client.replicas.failures == {fakes[0].url: 0, fakes[1].url: 0}


def test_a_dead_replica_is_skipped_and_counted_and_the_breaker_stays_closed(fakes: list[FakeRasa]) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    client = _client([fakes[0].url, dead, fakes[1].url], failures=1)
    sources = _classify(client, 6)
    assert sources == ["rasa"] * 6  # the model answered every message, even the one first sent to the dead port
    assert fakes[0].parses + fakes[1].parses == 6
    assert client.replicas.failures[dead] == 1  # marked down after one failure, then skipped
    assert client.replicas.skipped >= 4
    assert client.breaker.state == "closed"


def test_the_breaker_opens_only_when_every_replica_is_down() -> None:
    dead = [f"http://127.0.0.1:{free_port()}" for _ in range(2)]
    client = _client(dead, failures=2)
    assert _classify(client, 3) == ["fallback"] * 3
    assert client.breaker.state == "open"
    # call 1 asked both (one breaker failure), call 2 the one down longest (the second: open), call 3 no one
    assert sum(client.replicas.failures.values()) == 3


def test_settings_give_the_client_every_replica_and_status_counts_them() -> None:
    settings = Settings(nlu_backend="rasa", nlu_manage_server=False, nlu_url="http://127.0.0.1:6100", nlu_replicas=3)
    classifier, starter = build_classifier(settings)
    assert starter is None and isinstance(classifier, RasaClassifier)
    assert classifier.replicas.urls == ["http://127.0.0.1:6100", "http://127.0.0.1:6101", "http://127.0.0.1:6102"]
    classifier.replicas.failed("http://127.0.0.1:6101")
    status = nlu_status("rasa", classifier, None, settings.nlu_url)
    assert (status.replicas, status.replicas_up, status.replica_failures) == (3, 2, 1)


def test_supervisor_group_is_ready_when_a_replica_answers(fakes: list[FakeRasa], tmp_path: Path) -> None:
    # Servers already answering on the ports are watched, not started again (as with `frontdoor nlu serve`).
    group = SupervisorGroup([f.url for f in fakes], tmp_path / "nlu-fake.tar.gz", check_every=0.2).start()
    try:
        assert group.wait_ready(10)
        deadline = time.monotonic() + 10
        while group.ready_count() < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert group.ready_count() == 2
    finally:
        group.stop()
    assert not group.is_ready()
