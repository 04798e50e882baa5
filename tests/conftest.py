"""Shared fixtures: a migrated database on SQLite and on PostgreSQL, with the demo directory.

Database tests take ``db_url`` and run once per backend. PostgreSQL gets its own
database for the whole run (created and dropped here); in CI an unreachable
PostgreSQL fails the run instead of skipping.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from bot.service import ConversationService
from core.db import make_engine, make_sessionmaker, transaction
from core.logs import NOISY_LOGGERS, JsonFormatter
from core.migrate import upgrade
from core.settings import Settings
from directory.demo import load_demo
from nlu.keywords import KeywordClassifier

PG_ADMIN = os.environ.get("FRONTDOOR_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
DYNAMIC_TABLES = ("mail_outbox", "organization_settings",
                  "audit_event", "referral", "consent", "unmet_need", "signpost", "conversation",
                  "outbox_message", "inbound_message", "channel_contact",
                  "staff_event", "staff_sign_in_attempt", "staff_session", "staff_account",
                  "directory_draft", "directory_version", "referral_message", "client_handoff")
# Tuesday 24 November 2026, 10:00 UK time: every conversation test runs at this moment.
FIXED_NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


def _pg_available() -> bool:
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def _migrate_with_demo(url: str) -> None:
    upgrade(url)
    engine = make_engine(url)
    with transaction(make_sessionmaker(engine)) as session:
        load_demo(session)
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    _migrate_with_demo(f"sqlite:///{path}")
    return path


def create_pg_database() -> str:
    """A new, empty PostgreSQL database; returns its SQLAlchemy URL."""
    name = f"fd_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def drop_pg_database(url: str) -> None:
    name = url.rsplit("/", 1)[-1]
    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    if not _pg_available():
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL must be reachable in CI ({PG_ADMIN})")
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    url = create_pg_database()
    _migrate_with_demo(url)
    yield url
    drop_pg_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated database holding the demo directory and no client data."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "frontdoor.db"
        shutil.copy(template, path)
        yield f"sqlite:///{path}"
        return
    url: str = request.getfixturevalue("pg_url")
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(DYNAMIC_TABLES)} RESTART IDENTITY CASCADE"))
    engine.dispose()
    yield url


@pytest.fixture
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated SQLite database with nothing in it (for directory import tests)."""
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgrade(url)
    yield url


class FixedClock:
    """A clock the test moves by hand."""

    def __init__(self, now: dt.datetime = FIXED_NOW) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def service(db_url: str, clock: FixedClock) -> Iterator[ConversationService]:
    engine = make_engine(db_url)
    settings = Settings(database_url=db_url)
    yield ConversationService(make_sessionmaker(engine), KeywordClassifier(), settings, clock=clock)
    engine.dispose()


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that opens a socket to an address outside 127.0.0.0/8 or ::1."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else None
        if isinstance(host, str) and not (host.startswith("127.") or host in ("::1", "localhost")):
            raise AssertionError(f"test tried to reach a non-loopback address: {host}")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _logging_as_it_was() -> Iterator[None]:
    """Undo what an in-process ``frontdoor`` command (``frontdoor.cli.main``) does to logging.

    It calls ``configure_logging``: a JSON handler on the test's captured stderr, which pytest closes when the
    test ends, and the root level down to INFO. Every later log line from any thread (a sign-in warning in
    the web app, aiosmtpd's INFO lines) then printed "--- Logging error --- I/O operation on closed file".
    """
    root = logging.getLogger()
    level = root.level
    levels = {name: logging.getLogger(name).level for name in NOISY_LOGGERS}
    yield
    for handler in list(root.handlers):
        if isinstance(handler.formatter, JsonFormatter):  # ours, never pytest's capture handlers
            root.removeHandler(handler)
    root.setLevel(level)
    for name, was in levels.items():
        logging.getLogger(name).setLevel(was)
