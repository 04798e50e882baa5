"""Shared bench helpers: throwaway databases, percentiles, result tables."""

from __future__ import annotations

import json
import statistics
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg

from core.db import make_engine, make_sessionmaker, transaction
from core.migrate import upgrade
from directory.demo import load_demo

__all__ = ["PG_ADMIN", "fresh_database", "percentile", "print_table", "write_results"]

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
RESULTS = Path(__file__).resolve().parent


@contextmanager
def fresh_database(backend: str) -> Iterator[str]:
    """A migrated database with the demo directory, removed afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/bench.db"
            _prepare(url)
            yield url
        return
    name = f"fd_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    try:
        _prepare(url)
        yield url
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _prepare(url: str) -> None:
    upgrade(url)
    engine = make_engine(url)
    with transaction(make_sessionmaker(engine)) as session:
        load_demo(session)
    engine.dispose()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else float("nan")


def print_table(title: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        print(f"{title}: no rows")
        return
    columns = list(rows[0])
    widths = {c: max(len(c), *(len(_fmt(r.get(c))) for r in rows)) for c in columns}
    print(f"\n{title}")
    print("  ".join(c.ljust(widths[c]) for c in columns))
    print("  ".join("-" * widths[c] for c in columns))
    for row in rows:
        print("  ".join(_fmt(row.get(c)).ljust(widths[c]) for c in columns))


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def write_results(name: str, rows: list[dict[str, Any]]) -> Path:
    path = RESULTS / f"results-{name}.json"
    path.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return path
