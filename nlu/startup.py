"""Serve at once, switch to the model when it is ready: the rasa backend's first run.

A fresh clone has no Rasa venv and no trained model, and making both takes ten minutes.
The app does not wait: :class:`ModelSwitch` lets the keyword classifier answer
(``source="keywords"``) while a :class:`ModelStarter` thread sets up the venv, trains the
model if its inputs changed, starts ``rasa run`` and waits until it answers; then the
switch hands every message to the Rasa client, without a restart. :func:`nlu_status`
says where that stands, for ``/healthz``, ``/metrics`` and the simulator page.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, Protocol

from core.settings import PROJECT_ROOT
from nlu.keywords import KeywordClassifier
from nlu.rasa_venv import LOG_DIR, RasaSetupError, venv_ready
from nlu.replicas import ReplicaPool, replica_urls
from nlu.result import Classifier, NluResult
from nlu.server import SupervisorGroup, find_model, server_status

__all__ = ["Launched", "ModelStarter", "ModelSwitch", "NluStatus", "Phase", "Preparer", "RasaBringUp", "nlu_status",
           "rasa_starter"]

log = logging.getLogger("frontdoor.nlu.startup")

# off: keywords backend; preparing: making the Rasa venv; training; starting: rasa run is loading the model;
# ready; not ready: it was ready and is being restarted (the client's fallback answers meanwhile); failed.
Phase = Literal["off", "preparing", "training", "starting", "ready", "not ready", "failed"]


@dataclass(frozen=True)
class NluStatus:
    """What answers the clients' messages now."""

    backend: str  # "keywords" or "rasa" (FRONTDOOR_NLU_BACKEND)
    model: Phase
    breaker: str | None = None  # closed / open / half-open, with the rasa backend
    detail: str | None = None  # why it failed, when it did
    replicas: int = 0  # Rasa processes the client asks (FRONTDOOR_NLU_REPLICAS), with the rasa backend
    replicas_up: int = 0  # of which not marked down by a failed call
    replica_failures: int = 0  # calls to one replica that failed since start (the next one was asked)

    @property
    def model_ready(self) -> bool:
        return self.model == "ready"

    @property
    def answering(self) -> str:
        """Who answers free text now: "model" or "keywords"."""
        return "model" if self.model_ready and self.breaker != "open" else "keywords"


class ModelSwitch:
    """The :class:`Classifier` of the rasa backend: keywords until the model is ready, then the model."""

    def __init__(self, model: Classifier, keywords: KeywordClassifier | None = None) -> None:
        self.model = model
        self._keywords = keywords or KeywordClassifier()
        self._use_model = threading.Event()

    @property
    def using_model(self) -> bool:
        return self._use_model.is_set()

    def use_model(self) -> None:
        """From now on the model answers (its own fallback covers it when it fails later)."""
        self._use_model.set()

    async def classify(self, text: str, *, language: str | None, today: dt.date) -> NluResult:
        if self._use_model.is_set():
            return await self.model.classify(text, language=language, today=today)
        return replace(self._keywords.classify_sync(text, language=language, today=today), source="keywords")


class Launched(Protocol):
    """A started model server (the :class:`nlu.server.Supervisor`, or a fake in tests)."""

    def wait_ready(self, timeout: float = 240.0) -> bool: ...

    def is_ready(self) -> bool: ...

    def stop(self) -> None: ...


class Preparer(Protocol):
    """Makes the model file: venv, training; tells the starter which phase it is in; can be cancelled."""

    def prepare(self, phase: Callable[[Phase], None]) -> Path: ...

    def cancel(self) -> None: ...


class ModelStarter:
    """One background thread: prepare the model, launch its server, wait for it, switch to it."""

    def __init__(self, switch: ModelSwitch, preparer: Preparer, launch: Callable[[Path], Launched]) -> None:
        self.switch = switch
        self._preparer = preparer
        self._launch = launch
        self._launched: Launched | None = None
        self._phase: Phase = "preparing"
        self._error: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="nlu-model-starter", daemon=True)

    def start(self) -> ModelStarter:
        self._thread.start()
        return self

    @property
    def phase(self) -> Phase:
        if self._phase == "ready" and self._launched is not None and not self._launched.is_ready():
            return "not ready"
        return self._phase

    @property
    def error(self) -> str | None:
        return self._error

    def wait_switched(self, timeout: float) -> bool:
        """True once the model answers (for tests and scripts)."""
        self._thread.join(timeout)
        return self.switch.using_model

    def stop(self) -> None:
        self._stop.set()
        self._preparer.cancel()
        self._thread.join(30)
        if self._launched is not None:
            self._launched.stop()

    def _set_phase(self, phase: Phase) -> None:
        self._phase = phase
        log.info("nlu model phase", extra={"phase": phase})

    def _run(self) -> None:
        try:
            model = self._preparer.prepare(self._set_phase)
            if self._stop.is_set():
                return
            self._set_phase("starting")
            self._launched = self._launch(model)
            while not self._stop.is_set():
                if self._launched.wait_ready(1.0):
                    self.switch.use_model()
                    self._set_phase("ready")
                    return
        except (RasaSetupError, OSError) as exc:
            if not self._stop.is_set():
                self._error = str(exc)
                self._set_phase("failed")
                log.warning("nlu model not started; the keyword classifier answers", extra={"error": str(exc)})


class RasaBringUp:
    """The real :class:`Preparer`: the Rasa venv, then the model, each in a child process it can stop."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._cancelled = threading.Event()

    def prepare(self, phase: Callable[[Phase], None]) -> Path:
        if not venv_ready():
            phase("preparing")
            self._child("from nlu.rasa_venv import ensure_venv; ensure_venv(quiet=True)", "nlu-venv.out")
        model = find_model()
        if model is None:
            phase("training")
            self._child("from nlu.server import ensure_model; ensure_model(quiet=True)", "nlu-train.out")
            model = find_model()
        if model is None:
            raise RasaSetupError("training finished without a model; see var/nlu-train.out")
        return model

    def cancel(self) -> None:
        self._cancelled.set()
        process = self._process
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # the child and the rasa it started

    def _child(self, code: str, log_name: str) -> None:
        if self._cancelled.is_set():
            raise RasaSetupError("cancelled")
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "OMP_WAIT_POLICY": "passive"}  # leave the app a core while e5 trains
        with (LOG_DIR / log_name).open("wb") as out:
            self._process = subprocess.Popen([sys.executable, "-c", code], stdout=out, stderr=subprocess.STDOUT,
                                             stdin=subprocess.DEVNULL, cwd=PROJECT_ROOT, env=env,
                                             start_new_session=True)
            returncode = self._process.wait()
        if returncode != 0:
            raise RasaSetupError(f"{log_name.removesuffix('.out')} failed (exit {returncode}); see var/{log_name}")


def rasa_starter(switch: ModelSwitch, url: str, replicas: int = 1) -> ModelStarter:
    """The starter the app uses: :class:`RasaBringUp`, then ``replicas`` supervised servers from ``url``'s port on."""
    urls = replica_urls(url, replicas)
    return ModelStarter(switch, RasaBringUp(), lambda model: SupervisorGroup(urls, model).start())


def nlu_status(backend: str, classifier: Classifier, starter: ModelStarter | None, url: str) -> NluStatus:
    """Where the NLU stands now (blocking for at most a second when Rasa runs outside the app: call off the loop)."""
    if backend != "rasa":
        return NluStatus(backend, "off")
    model = classifier.model if isinstance(classifier, ModelSwitch) else classifier
    breaker = getattr(getattr(model, "breaker", None), "state", None)
    pool = getattr(model, "replicas", None)
    # The replicas' counts are read before the (up to a second) readiness call, so they describe one moment.
    replicas = ((len(pool.urls), pool.up(), sum(pool.failures.values())) if isinstance(pool, ReplicaPool)
                else (0, 0, 0))
    if starter is not None:
        status = NluStatus(backend, starter.phase, breaker, starter.error)
    else:
        ready = server_status(url, timeout=1.0) is not None  # someone else runs Rasa: ask it
        status = NluStatus(backend, "ready" if ready else "not ready", breaker)
    return replace(status, replicas=replicas[0], replicas_up=replicas[1], replica_failures=replicas[2])
