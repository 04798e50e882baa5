"""First run serves at once: keywords answer while the model is prepared, then the model, without a restart.

Fakes stand in for training and for the Rasa server: no real training here.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path

import anyio

from nlu.rasa_venv import RasaSetupError
from nlu.result import NluResult
from nlu.startup import ModelStarter, ModelSwitch, Phase, nlu_status

TODAY = dt.date(2026, 11, 24)
TEXT = "my landlord gave me a letter saying get out"


class FakeModel:
    def __init__(self) -> None:
        self.calls = 0

    async def classify(self, text: str, *, language: str | None, today: dt.date) -> NluResult:
        self.calls += 1
        return NluResult(categories=("housing",), source="rasa")


class FakeTraining:
    """Says it is training, then waits until the test lets it finish (or fails when told to)."""

    def __init__(self, fail: bool = False) -> None:
        self.started, self.release, self.cancelled = threading.Event(), threading.Event(), threading.Event()
        self.fail = fail

    def prepare(self, phase: Callable[[Phase], None]) -> Path:
        phase("training")
        self.started.set()
        self.release.wait(30)
        if self.fail:
            raise RasaSetupError("training failed; see var/nlu-train.out")
        return Path("nlu-fake.tar.gz")

    def cancel(self) -> None:
        self.cancelled.set()
        self.release.set()


class FakeServer:
    def __init__(self) -> None:
        self.ready, self.stopped = threading.Event(), False
        self.model: Path | None = None

    def wait_ready(self, timeout: float = 240.0) -> bool:
        return self.ready.wait(timeout)

    def is_ready(self) -> bool:
        return self.ready.is_set()

    def stop(self) -> None:
        self.stopped = True


def _launcher(server: FakeServer) -> Callable[[Path], FakeServer]:
    def launch(model: Path) -> FakeServer:
        server.model = model
        server.ready.set()
        return server
    return launch


def _classify(switch: ModelSwitch) -> NluResult:
    return anyio.run(lambda: switch.classify(TEXT, language="en", today=TODAY))


def test_keywords_answer_while_training_then_the_model_without_a_restart() -> None:
    model, training, server = FakeModel(), FakeTraining(), FakeServer()
    switch = ModelSwitch(model)
    starter = ModelStarter(switch, training, _launcher(server)).start()
    assert training.started.wait(10)
    meanwhile = _classify(switch)
    assert meanwhile.source == "keywords" and "housing" in meanwhile.categories and model.calls == 0
    status = nlu_status("rasa", switch, starter, "http://127.0.0.1:9")
    assert (status.model, status.model_ready, status.answering) == ("training", False, "keywords")

    training.release.set()
    assert starter.wait_switched(10)
    assert server.model == Path("nlu-fake.tar.gz")
    assert _classify(switch).source == "rasa" and model.calls == 1
    status = nlu_status("rasa", switch, starter, "http://127.0.0.1:9")
    assert (status.model, status.model_ready, status.answering) == ("ready", True, "model")

    server.ready.clear()  # the supervisor is restarting Rasa: the status says so
    assert nlu_status("rasa", switch, starter, "http://127.0.0.1:9").model == "not ready"
    starter.stop()
    assert server.stopped


def test_a_failed_set_up_leaves_the_keywords_answering_and_says_why() -> None:
    training, server = FakeTraining(fail=True), FakeServer()
    switch = ModelSwitch(FakeModel())
    starter = ModelStarter(switch, training, _launcher(server)).start()
    training.release.set()
    assert not starter.wait_switched(10)
    status = nlu_status("rasa", switch, starter, "http://127.0.0.1:9")
    assert status.model == "failed" and status.detail is not None and "nlu-train.out" in status.detail
    assert _classify(switch).source == "keywords" and server.model is None
    starter.stop()


def test_stopping_while_training_cancels_it_and_starts_nothing() -> None:
    training, server = FakeTraining(), FakeServer()
    starter = ModelStarter(ModelSwitch(FakeModel()), training, _launcher(server)).start()
    assert training.started.wait(10)
    starter.stop()
    assert training.cancelled.is_set() and server.model is None and not starter.switch.using_model
