"""Pick the classifier the settings ask for, and start what it needs.

``FRONTDOOR_NLU_BACKEND=keywords`` (the default, and what the test suite uses)
gives the deterministic keyword classifier. ``rasa`` gives the Rasa client with
the keyword classifier behind it; with ``FRONTDOOR_NLU_MANAGE_SERVER=1`` a
supervised ``rasa run`` is started on the loopback ``FRONTDOOR_NLU_URL`` with the
model trained for the current data (``make nlu-model``). Until Rasa is ready,
and whenever it is not, the keyword fallback answers: the app never waits for it.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from core.settings import Settings
from nlu.breaker import CircuitBreaker
from nlu.decode import DecodePolicy
from nlu.keywords import KeywordClassifier
from nlu.rasa_client import RasaClassifier
from nlu.rasa_venv import RasaSetupError, venv_ready
from nlu.result import Classifier
from nlu.server import MODEL_DIR, Supervisor, find_model

__all__ = ["build_classifier", "latest_model"]

log = logging.getLogger("frontdoor.nlu")


def latest_model() -> str | None:
    """The model for the current inputs, else the newest cached one (stale but better than none)."""
    current = find_model()
    if current is not None:
        return str(current)
    cached = sorted(MODEL_DIR.glob("nlu-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return str(cached[-1]) if cached else None


def build_classifier(settings: Settings) -> tuple[Classifier, Supervisor | None]:
    """The configured classifier, and the Rasa supervisor when one was started (stop it on close)."""
    if settings.nlu_backend == "keywords":
        return KeywordClassifier(), None
    client = RasaClassifier(
        settings.nlu_url, timeout=settings.nlu_timeout_seconds,
        policy=DecodePolicy(crisis_threshold=settings.nlu_crisis_threshold),
        breaker=CircuitBreaker(settings.nlu_breaker_failures, settings.nlu_breaker_reset_seconds))
    threading.Thread(target=client.warm_up, name="lingua-warm-up", daemon=True).start()
    supervisor = None
    if settings.nlu_manage_server:
        supervisor = _start_server(settings.nlu_url)
    return client, supervisor


def _start_server(url: str) -> Supervisor | None:
    model = latest_model()
    if model is None or not venv_ready():
        log.warning("rasa not started: no trained model or no Rasa venv (run `make nlu-model`); "
                    "the keyword classifier answers")
        return None
    try:
        return Supervisor(url, Path(model)).start()
    except RasaSetupError as exc:
        log.warning("rasa not started; the keyword classifier answers", extra={"error": str(exc)})
        return None
