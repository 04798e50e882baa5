"""NLU fixtures: one real Rasa server (the trained model) for the whole session, and loopback fakes.

``make test`` trains the model while the other tests run, then runs these
(marked ``rasa_model``); here we only start it, once, on a free loopback port.
Without a venv or model the model tests skip with a message, except in CI,
where they fail.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from nlu.rasa_venv import venv_ready
from nlu.server import Supervisor, find_model


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs the trained model, so `make test` can run the rest while it trains."""
    for item in items:
        if "rasa_model" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.rasa_model)


@pytest.fixture(scope="session")
def rasa_model() -> Path:
    """The trained model for the current training data (``make nlu-model`` builds it)."""
    model = find_model() if venv_ready() else None
    if model is None:
        message = "no Rasa venv or no model for the current training data: run `make nlu-model`"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return model


@pytest.fixture(scope="session")
def rasa_url(rasa_model: Path) -> Iterator[str]:
    """URL of a ready Rasa server with the model for the current training data."""
    model = rasa_model
    # The supervisor logs from its own thread; handlers other tests bound to captured (and since
    # closed) streams must not see those records.
    quiet = logging.getLogger("frontdoor.nlu")
    propagate, quiet.propagate = quiet.propagate, False
    supervisor = Supervisor(f"http://127.0.0.1:{free_port()}", model).start()
    try:
        if not supervisor.wait_ready(300):
            pytest.fail(f"Rasa did not start: {supervisor.last_error}; see {supervisor.server.log_path}")
        yield supervisor.url
    finally:
        supervisor.stop()
        quiet.propagate = propagate


class _SlowHandler(BaseHTTPRequestHandler):
    delay = 2.0

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        time.sleep(self.delay)
        body = b'{"intent": {"name": "housing", "confidence": 0.99}, "entities": []}'
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the client gave up first: that is the point
            pass

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def slow_server() -> Iterator[str]:
    """A fake Rasa on loopback that answers every parse only after 2 seconds."""
    yield from _serve(_SlowHandler)


def _serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _SerialHandler(_SlowHandler):
    """Parses one message at a time, as a Rasa process does (e5 on one thread): calls queue inside it."""

    delay = 0.15
    busy = threading.Lock()

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        with self.busy:
            super().do_POST()


@pytest.fixture
def serial_server() -> Iterator[str]:
    """A fake Rasa on loopback that answers one parse at a time, each after 0.15 s."""
    yield from _serve(_SerialHandler)


@pytest.fixture
def dead_url() -> str:
    """A loopback URL where nothing listens (a stopped Rasa)."""
    return f"http://127.0.0.1:{free_port()}"
