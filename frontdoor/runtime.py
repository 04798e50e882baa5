"""Wire settings, database, classifier and conversation service together once."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.channels.registry import build_composers
from bot.inbound_worker import InboundProcessor, inbound_config
from bot.service import ConversationService
from core.db import make_engine, make_sessionmaker
from core.migrate import upgrade
from core.settings import Settings, load_settings
from frontdoor.metrics import Metrics
from nlu.backend import build_classifier
from nlu.result import Classifier
from nlu.startup import ModelStarter, NluStatus, nlu_status

__all__ = ["Runtime", "build_runtime"]


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    classifier: Classifier
    conversations: ConversationService
    nlu_starter: ModelStarter | None = None  # sets up, trains and supervises Rasa, when this runtime started it
    metrics: Metrics = field(default_factory=Metrics)
    inbound: InboundProcessor = field(init=False)  # stores channel messages and runs their turns (with retries)

    def __post_init__(self) -> None:
        self.conversations.observer = self.metrics  # every turn counted, whoever built the runtime
        self.inbound = InboundProcessor(self.sessions, self.conversations, build_composers(self.settings),
                                        inbound_config(self.settings), clock=self.conversations.clock)

    def nlu_status(self) -> NluStatus:
        """Who answers messages now and how the model stands (may ask Rasa: call off the event loop)."""
        return nlu_status(self.settings.nlu_backend, self.classifier, self.nlu_starter, self.settings.nlu_url)

    def close(self) -> None:
        if self.nlu_starter is not None:
            self.nlu_starter.stop()
        self.engine.dispose()


def build_runtime(settings: Settings | None = None, *, migrate: bool = True,
                  classifier: Classifier | None = None) -> Runtime:
    """Everything a command or the web app needs; applies migrations first unless told not to."""
    settings = settings or load_settings()
    if migrate:
        upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    nlu_starter = None
    if classifier is None:  # FRONTDOOR_NLU_BACKEND: keywords (default) or rasa with keyword fallback
        classifier, nlu_starter = build_classifier(settings)
    service = ConversationService(sessions, classifier, settings)
    return Runtime(settings, engine, sessions, classifier, service, nlu_starter)
