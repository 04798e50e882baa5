"""Database engine and sessions: SQLite (WAL) by default, PostgreSQL by URL."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, MetaData, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

__all__ = ["Base", "JSONType", "insert_if_absent", "make_engine", "make_sessionmaker", "transaction"]

# Stable constraint names so Alembic migrations are identical on both databases.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSONType = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


log = logging.getLogger("frontdoor.db")

# How long a transaction waits for the process's SQLite turn before going on unserialised (as SQLite's own
# busy timeout does); a wait that long means a transaction was left open, which the warning names.
SQLITE_TURN_SECONDS = 30.0


class _SqliteTurns:
    """One transaction at a time per SQLite engine, handed over at once rather than after SQLite's busy sleeps.

    SQLite has one writer. Threads of one process that all write (32 webhooks at once) otherwise meet
    "database is locked": a deferred transaction that read a snapshot and then wants to write fails
    outright in WAL mode, and the turn is retried from the start, or waits in SQLite's busy handler,
    which sleeps in steps of up to 100 ms while the lock is already free. Taking a Python lock when a
    transaction begins and giving it back when the connection commits or rolls back makes the threads
    queue instead. The GIL runs one thread's Python at a time anyway, so little parallelism is lost.
    A thread that already holds the turn and begins a second connection's transaction goes on without
    it (as before), so nesting cannot deadlock; other processes still meet SQLite's busy handler.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owner: int | None = None

    def take(self, holder: Any) -> None:
        if self._owner == threading.get_ident():
            return  # nested in this thread: unserialised, as before
        if not self._lock.acquire(timeout=SQLITE_TURN_SECONDS):
            log.warning("sqlite transaction waited %.0f s for its turn; going on without it", SQLITE_TURN_SECONDS)
            return
        self._owner = threading.get_ident()
        holder.frontdoor_turn = self

    def give_back(self, holder: Any) -> None:
        if getattr(holder, "frontdoor_turn", None) is not self:
            return
        holder.frontdoor_turn = None
        self._owner = None
        self._lock.release()


class _TurnConnection(sqlite3.Connection):
    """A sqlite3 connection that gives its engine's turn back once its transaction has ended."""

    frontdoor_turn: _SqliteTurns | None = None

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._give_back()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._give_back()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._give_back()

    def _give_back(self) -> None:
        turns = self.frontdoor_turn
        if turns is not None:
            turns.give_back(self)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; for SQLite make the folder, turn on WAL and foreign keys."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "factory": _TurnConnection}, **kwargs)
        turns = _SqliteTurns()

        @event.listens_for(engine, "begin")
        def _take_turn(connection: Any) -> None:
            turns.take(connection.connection.dbapi_connection)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with factory() as session, session.begin():
        yield session


def insert_if_absent(session: Session, model: type[Base], values: Mapping[str, Any], *,
                     unique: Sequence[str]) -> Any | None:
    """Insert one row unless a row with the same ``unique`` columns exists; its primary key, or None if it did.

    One ``INSERT ... ON CONFLICT DO NOTHING RETURNING`` statement instead of a look and then a write (a round
    trip less on every delivery and reply), and no IntegrityError to catch when two requests race: the later
    one waits for the first and then inserts nothing. Both SQLite (3.35+) and PostgreSQL support it.
    """
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    key = model.__mapper__.primary_key[0]
    statement = insert(model).values(dict(values)).on_conflict_do_nothing(index_elements=list(unique))
    return session.scalar(statement.returning(key))
