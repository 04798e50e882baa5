"""The supervised Rasa child: restarted when it dies, stopped with its owner."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from nlu.server import Supervisor, server_status
from tests.nlu.conftest import free_port


def test_supervisor_restarts_a_dead_rasa_and_stops_it(rasa_model: Path) -> None:
    supervisor = Supervisor(f"http://127.0.0.1:{free_port()}", rasa_model, check_every=0.5).start()
    try:
        assert supervisor.wait_ready(300), supervisor.last_error
        first = supervisor.server.pid
        assert first is not None
        os.kill(first, signal.SIGKILL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and (supervisor.server.pid in (None, first) or
                                               server_status(supervisor.url) is None):
            time.sleep(0.5)
        assert supervisor.restarts == 1 and server_status(supervisor.url) is not None
        second = supervisor.server.pid
    finally:
        supervisor.stop()
    assert second is not None and second != first
    assert server_status(supervisor.url, timeout=0.5) is None
    try:
        os.kill(second, 0)
        alive = True
    except ProcessLookupError:
        alive = False
    assert not alive
