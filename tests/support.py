"""Helpers shared by test modules (fixtures themselves live in the conftest files)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from bot.service import ConversationService
from core.db import make_engine, make_sessionmaker
from core.settings import Settings
from frontdoor.runtime import Runtime
from nlu.keywords import KeywordClassifier


@contextmanager
def keyword_runtime(settings: Settings, clock: Callable[[], dt.datetime]) -> Iterator[Runtime]:
    """The app's runtime on ``settings.database_url`` with the keyword classifier and a hand-moved clock."""
    engine = make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    classifier = KeywordClassifier()
    service = ConversationService(sessions, classifier, settings, clock=clock)
    yield Runtime(settings, engine, sessions, classifier, service)
    engine.dispose()
