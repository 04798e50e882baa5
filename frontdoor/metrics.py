"""Prometheus metrics for ``/metrics``: no silent degradation.

When the model is slow or down the keyword classifier answers so no client waits; that
must show. Every classified message is counted by who answered it (``model``,
``keywords``, ``skipped``, ``fallback``), with latency histograms for the NLU and
for whole turns per channel; the breaker, the model's readiness and the outbox
(depth, oldest pending message, dead letters) are read when scraped. One registry per
runtime, so tests and several apps in one process never share counters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.inbound import open_counts
from bot.outbox import OPEN, OutboxMessage
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
        self.registry = CollectorRegistry()
        r = self.registry
        self.turn_seconds = Histogram("frontdoor_turn_seconds", "Time to handle one client message, by channel",
                                      ["channel"], buckets=_TURN_BUCKETS, registry=r)
        self.nlu_messages = Counter("frontdoor_nlu_messages", "Client messages classified, by who answered",
                                    ["source"], registry=r)
        self.nlu_seconds = Histogram("frontdoor_nlu_seconds", "Time to classify one message, by who answered",
                                     ["source"], buckets=_NLU_BUCKETS, registry=r)
        self.model_ready = Gauge("frontdoor_nlu_model_ready", "1 when the NLU model answers free text", registry=r)
        self.model_phase = Gauge("frontdoor_nlu_model_phase", "The NLU model's phase (1 for the current one)",
                                 ["backend", "phase"], registry=r)
        self.breaker = Gauge("frontdoor_nlu_breaker_state", "The NLU circuit breaker (1 for the current state)",
                             ["state"], registry=r)
        self.replicas = Gauge("frontdoor_nlu_replicas", "Rasa processes the client asks in turn", registry=r)
        self.replicas_up = Gauge("frontdoor_nlu_replicas_up", "Rasa processes not marked down by a failed call",
                                 registry=r)
        self.replica_failures = Gauge("frontdoor_nlu_replica_failures",
                                      "Calls to one Rasa process that failed since start (the next one was asked)",
                                      registry=r)
        self.outbox_depth = Gauge("frontdoor_outbox_pending", "Outbox messages not yet sent", registry=r)
        self.outbox_age = Gauge("frontdoor_outbox_oldest_pending_seconds",
                                "Age of the oldest outbox message not yet sent (0 when none)", registry=r)
        self.dead_letters = Gauge("frontdoor_outbox_dead", "Outbox messages given up on (dead letters)", registry=r)
        self.inbound_open = Gauge("frontdoor_inbound_open",
                                  "Client messages stored and not yet run (waiting for their turn or a retry)",
                                  registry=r)
        self.inbound_dead = Gauge("frontdoor_inbound_dead", "Client messages whose turn failed every attempt",
                                  registry=r)
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
        """The exposition text, with the gauges read now (queries the database: call off the event loop)."""
        self.model_ready.set(1 if status.model_ready else 0)
        for phase in _PHASES:
            self.model_phase.labels(status.backend, phase).set(1 if phase == status.model else 0)
        for state in _BREAKER:
            self.breaker.labels(state).set(1 if state == status.breaker else 0)
        self.replicas.set(status.replicas)
        self.replicas_up.set(status.replicas_up)
        self.replica_failures.set(status.replica_failures)
        with sessions() as session:
            pending, oldest = session.execute(
                select(func.count(OutboxMessage.id), func.min(OutboxMessage.created_at))
                .where(OutboxMessage.status.in_(OPEN))).one()
            dead = session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.status == "dead"))
            inbound = open_counts(session)
        self.inbound_open.set(inbound.get("pending", 0) + inbound.get("processing", 0))
        self.inbound_dead.set(inbound.get("dead", 0))
        self.outbox_depth.set(pending or 0)
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=dt.UTC)
        self.outbox_age.set(max(0.0, (now() - oldest).total_seconds()) if oldest is not None else 0.0)
        self.dead_letters.set(dead or 0)
        return generate_latest(self.registry)
