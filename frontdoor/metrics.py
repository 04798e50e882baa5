"""Prometheus metrics for ``/metrics``: no silent degradation.

When the model is slow or down the keyword classifier answers so no client waits; that
must show. Every classified message is counted by who answered it (``model``,
``keywords``, ``skipped``, ``fallback``), with latency histograms for the NLU and
for whole turns per channel; the breaker, the model's readiness and the outbox
(depth, oldest pending message, dead letters) are read when scraped. One registry per
runtime, so tests and several apps in one process never share counters; with
``FRONTDOOR_METRICS_DIR`` (:mod:`frontdoor.metrics_dir`) a scrape adds up the counters of
every process on the machine instead, and still reads the gauges once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.inbound import open_counts
from bot.outbox import OPEN, OutboxMessage
from frontdoor.metrics_dir import multiprocess_dir
from nlu.startup import NluStatus

__all__ = ["CONTENT_TYPE", "Metrics", "SOURCES", "source_label"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
SOURCES = ("model", "keywords", "skipped", "fallback")
_PHASES = ("off", "preparing", "training", "starting", "ready", "not ready", "failed")
_BREAKER = ("closed", "half-open", "open")
_TURN_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_NLU_BUCKETS = (0.001, 0.005, 0.01, 0.02, 0.04, 0.08, 0.15, 0.3, 0.6, 1.5, 3.0)


def source_label(source: str) -> str:
    """``NluResult.source`` as counted: "rasa" and "rasa+keywords" are both the model."""
    return "model" if source.startswith("rasa") else source if source in SOURCES else "fallback"


class Metrics:
    """The app's counters; also the conversation service's :class:`bot.service.TurnObserver`."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()  # this process's counters (with a metrics directory, kept in its files)
        self._multiprocess_dir = multiprocess_dir()
        r = self.registry
        self.turn_seconds = Histogram("frontdoor_turn_seconds", "Time to handle one client message, by channel",
                                      ["channel"], buckets=_TURN_BUCKETS, registry=r)
        self.nlu_messages = Counter("frontdoor_nlu_messages", "Client messages classified, by who answered",
                                    ["source"], registry=r)
        self.nlu_seconds = Histogram("frontdoor_nlu_seconds", "Time to classify one message, by who answered",
                                     ["source"], buckets=_NLU_BUCKETS, registry=r)
        for source in SOURCES:  # every source shows from the start, at 0
            self.nlu_messages.labels(source)

    # -- bot.service.TurnObserver ------------------------------------------------------------

    def nlu_done(self, source: str, seconds: float) -> None:
        label = source_label(source)
        self.nlu_messages.labels(label).inc()
        self.nlu_seconds.labels(label).observe(seconds)

    def turn_done(self, channel: str, seconds: float) -> None:
        self.turn_seconds.labels(channel).observe(seconds)

    # -- read when scraped ---------------------------------------------------------------------

    def render(self, sessions: sessionmaker[Session], status: NluStatus,
               now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)) -> bytes:
        """The exposition text, with the gauges read now (queries the database: call off the event loop).

        With a metrics directory the counters are every process's, added up from its files; the
        gauges are read once, here, whichever process answers.
        """
        registry = CollectorRegistry()
        if self._multiprocess_dir is not None:
            registry.register(MultiProcessCollector(None, self._multiprocess_dir))
        else:
            registry.register(self.registry)
        registry.register(_ReadNow(_read_now(sessions, status, now())))
        return generate_latest(registry)


class _ReadNow:
    """Gauges read at one scrape: never counted per process, so never summed."""

    def __init__(self, families: list[Metric]) -> None:
        self._families = families

    def collect(self) -> Iterable[Metric]:
        return self._families


def _gauge(name: str, documentation: str, value: float | None = None, labels: Sequence[str] = (),
           rows: Iterable[tuple[Sequence[str], float]] = ()) -> Metric:
    family = GaugeMetricFamily(name, documentation, value=value, labels=list(labels) if labels else None)
    for values, number in rows:
        family.add_metric(list(values), number)
    return family


def _read_now(sessions: sessionmaker[Session], status: NluStatus, now: dt.datetime) -> list[Metric]:
    with sessions() as session:
        pending, oldest = session.execute(
            select(func.count(OutboxMessage.id), func.min(OutboxMessage.created_at))
            .where(OutboxMessage.status.in_(OPEN))).one()
        dead = session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.status == "dead"))
        inbound = open_counts(session)
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=dt.UTC)
    age = max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0
    return [
        _gauge("frontdoor_nlu_model_ready", "1 when the NLU model answers free text", 1 if status.model_ready else 0),
        _gauge("frontdoor_nlu_model_phase", "The NLU model's phase (1 for the current one)",
               labels=("backend", "phase"),
               rows=(((status.backend, p), 1 if p == status.model else 0) for p in _PHASES)),
        _gauge("frontdoor_nlu_breaker_state", "The NLU circuit breaker (1 for the current state)", labels=("state",),
               rows=(((s,), 1 if s == status.breaker else 0) for s in _BREAKER)),
        _gauge("frontdoor_nlu_replicas", "Rasa processes the client asks in turn", status.replicas),
        _gauge("frontdoor_nlu_replicas_up", "Rasa processes not marked down by a failed call", status.replicas_up),
        _gauge("frontdoor_nlu_replica_failures",
               "Calls to one Rasa process that failed since start (the next one was asked)", status.replica_failures),
        _gauge("frontdoor_outbox_pending", "Outbox messages not yet sent", pending or 0),
        _gauge("frontdoor_outbox_oldest_pending_seconds",
               "Age of the oldest outbox message not yet sent (0 when none)", age),
        _gauge("frontdoor_outbox_dead", "Outbox messages given up on (dead letters)", dead or 0),
        _gauge("frontdoor_inbound_open", "Client messages stored and not yet run (waiting for their turn or a retry)",
               inbound.get("pending", 0) + inbound.get("processing", 0)),
        _gauge("frontdoor_inbound_dead", "Client messages whose turn failed every attempt", inbound.get("dead", 0)),
    ]
