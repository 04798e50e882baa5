"""SQLite transactions of one process take turns (core.db): queued at once, given back on every ending."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from core.db import make_engine, make_sessionmaker, transaction


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    built = make_engine(f"sqlite:///{tmp_path / 'turns.db'}")
    with built.begin() as connection:
        connection.execute(text("CREATE TABLE tally (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)"))
        connection.execute(text("INSERT INTO tally (id, n) VALUES (1, 0)"))
    return built


def _count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT n FROM tally WHERE id = 1")).scalar_one())


def test_a_second_thread_waits_until_the_first_transaction_commits(engine: Engine) -> None:
    sessions = make_sessionmaker(engine)
    began, events = threading.Event(), []

    def first() -> None:
        with transaction(sessions) as session:
            session.execute(text("SELECT n FROM tally"))
            began.set()
            time.sleep(0.3)
            events.append("first commits")

    def second() -> None:
        began.wait(5)
        with transaction(sessions) as session:
            session.execute(text("UPDATE tally SET n = n + 1"))  # the connection's transaction begins here
            events.append("second began")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert events == ["first commits", "second began"]


def test_read_then_write_transactions_of_many_threads_all_succeed(engine: Engine) -> None:
    """Each reads, then writes what it read plus one: no lost update, no "database is locked"."""
    sessions = make_sessionmaker(engine)
    failures: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(25):
                with transaction(sessions) as session:
                    n = session.execute(text("SELECT n FROM tally WHERE id = 1")).scalar_one()
                    session.execute(text("UPDATE tally SET n = :n WHERE id = 1"), {"n": int(n) + 1})
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=work) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    assert _count(engine) == 12 * 25  # serialised read-modify-write: none lost


def test_the_turn_is_given_back_after_a_rollback_and_after_a_plain_close(engine: Engine) -> None:
    sessions = make_sessionmaker(engine)
    with pytest.raises(IntegrityError), transaction(sessions) as session:
        session.execute(text("INSERT INTO tally (id, n) VALUES (1, 5)"))
    with sessions() as session:  # a read that is never committed: closing ends it
        session.execute(text("SELECT n FROM tally"))
    done = threading.Event()

    def other_thread() -> None:
        with transaction(sessions) as session:
            session.execute(text("UPDATE tally SET n = 7"))
        done.set()

    thread = threading.Thread(target=other_thread)
    thread.start()
    assert done.wait(2), "the turn was not given back"
    thread.join()
    assert _count(engine) == 7


def test_a_nested_transaction_in_the_same_thread_does_not_deadlock(engine: Engine) -> None:
    sessions = make_sessionmaker(engine)
    with transaction(sessions) as outer:
        outer.execute(text("SELECT n FROM tally"))
        with sessions() as inner:  # reads on its own connection while the outer holds the turn
            assert inner.execute(text("SELECT n FROM tally")).scalar_one() == 0
