"""Pick the classifier the settings ask for, and start what it needs.

``FRONTDOOR_NLU_BACKEND=keywords`` (the default, and what the test suite uses)
gives the deterministic keyword classifier. ``rasa`` gives the Rasa client with
the keyword classifier behind it; with ``FRONTDOOR_NLU_MANAGE_SERVER=1`` the client
sits behind a :class:`nlu.startup.ModelSwitch` and a background
:class:`nlu.startup.ModelStarter` makes the Rasa venv, trains the model for the
current data when there is none, and starts a supervised ``rasa run`` on the
loopback ``FRONTDOOR_NLU_URL`` (and, with ``FRONTDOOR_NLU_REPLICAS=N``, on the N-1
ports after it, asked round robin: :mod:`nlu.replicas`). Until Rasa is ready the keyword classifier answers
and the app says so (``/healthz``, ``/metrics``, the simulator): it never waits for it.
"""

from __future__ import annotations

import threading

from core.settings import Settings
from nlu.breaker import CircuitBreaker
from nlu.decode import DecodePolicy
from nlu.keywords import KeywordClassifier
from nlu.rasa_client import RasaClassifier
from nlu.replicas import replica_urls
from nlu.result import Classifier
from nlu.server import MODEL_DIR, find_model
from nlu.startup import ModelStarter, ModelSwitch, rasa_starter

__all__ = ["build_classifier", "latest_model"]

def latest_model() -> str | None:
    """The model for the current inputs, else the newest cached one (stale but better than none)."""
    current = find_model()
    if current is not None:
        return str(current)
    cached = sorted(MODEL_DIR.glob("nlu-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return str(cached[-1]) if cached else None


def build_classifier(settings: Settings) -> tuple[Classifier, ModelStarter | None]:
    """The configured classifier, and the model starter when one was started (stop it on close)."""
    if settings.nlu_backend == "keywords":
        return KeywordClassifier(), None
    client = RasaClassifier(
        replica_urls(settings.nlu_url, settings.nlu_replicas), timeout=settings.nlu_timeout_seconds,
        in_flight=settings.nlu_in_flight, queue_seconds=settings.nlu_queue_seconds,
        policy=DecodePolicy(crisis_threshold=settings.nlu_crisis_threshold),
        breaker=CircuitBreaker(settings.nlu_breaker_failures, settings.nlu_breaker_reset_seconds))
    threading.Thread(target=client.warm_up, name="lingua-warm-up", daemon=True).start()
    if not settings.nlu_manage_server:
        return client, None
    switch = ModelSwitch(client)
    return switch, rasa_starter(switch, settings.nlu_url, settings.nlu_replicas).start()
