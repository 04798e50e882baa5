"""Wire settings, database, classifier and conversation service together once."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.service import ConversationService
from core.db import make_engine, make_sessionmaker
from core.migrate import upgrade
from core.settings import Settings, load_settings
from nlu.backend import build_classifier
from nlu.result import Classifier
from nlu.server import Supervisor

__all__ = ["Runtime", "build_runtime"]


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    classifier: Classifier
    conversations: ConversationService
    nlu_server: Supervisor | None = None  # the Rasa child process, when this runtime started one

    def close(self) -> None:
        if self.nlu_server is not None:
            self.nlu_server.stop()
        self.engine.dispose()


def build_runtime(settings: Settings | None = None, *, migrate: bool = True,
                  classifier: Classifier | None = None) -> Runtime:
    """Everything a command or the web app needs; applies migrations first unless told not to."""
    settings = settings or load_settings()
    if migrate:
        upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    nlu_server = None
    if classifier is None:  # FRONTDOOR_NLU_BACKEND: keywords (default) or rasa with keyword fallback
        classifier, nlu_server = build_classifier(settings)
    service = ConversationService(sessions, classifier, settings)
    return Runtime(settings, engine, sessions, classifier, service, nlu_server)
