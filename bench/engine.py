"""Engine turns per second: complete client journeys through the real service and database.

Each conversation is the JOURNEY.md example (housing + debt, deadline, postcode,
consent, name) ending in referrals; N conversations run one after another.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections import Counter
from typing import Any

import anyio

from bench.common import fresh_database, mean, percentile, print_table, write_results
from bot.service import ConversationService
from core.db import make_engine, make_sessionmaker
from core.settings import Settings
from nlu.keywords import KeywordClassifier

# The same client as the first journey of bench/journeys.py (9 messages since issue 19, 14 before).
SCRIPT = (
    "hi", "1",
    "got a letter from landlord saying get out by 15 jan. also behind on council tax and bailiffs sent a letter",
    "yes", "no", "LU2 7AB", "yes", "yes", "Anna",
)


class _Sources:
    """Counts who answered each turn (``NluResult.source``), for the share that skipped the model."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def nlu_done(self, source: str, seconds: float) -> None:
        self.counts[source] += 1

    def turn_done(self, channel: str, seconds: float) -> None:
        pass


async def _run(url: str, conversations: int) -> dict[str, Any]:
    engine = make_engine(url)
    start = dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC)
    clock = {"now": start}
    # One conversation a day, so partners' weekly capacity never fills and every run takes the same route.
    sources = _Sources()
    service = ConversationService(make_sessionmaker(engine), KeywordClassifier(), Settings(database_url=url),
                                  clock=lambda: clock["now"], observer=sources)
    latencies: list[float] = []
    started = time.perf_counter()
    for number in range(conversations):
        clock["now"] = start + dt.timedelta(days=number)
        for text in SCRIPT:
            t0 = time.perf_counter()
            await service.handle("sms", f"+44770090{number:04d}", text)
            latencies.append((time.perf_counter() - t0) * 1000)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return {"turns": len(latencies), "seconds": elapsed, "turns_per_s": len(latencies) / elapsed,
            "p50_ms": percentile(latencies, 50), "p99_ms": percentile(latencies, 99), "mean_ms": mean(latencies),
            "skipped_model_share": sources.counts["skipped"] / max(1, len(latencies))}


def run(conversations: int = 1000, backends: tuple[str, ...] = ("sqlite", "postgresql")) -> list[dict[str, Any]]:
    rows = []
    for backend in backends:
        with fresh_database(backend) as url:
            result = anyio.run(_run, url, conversations)
        rows.append({"backend": backend, "conversations": conversations, **result})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=1000)
    args = parser.parse_args()
    rows = run(args.conversations)
    print_table("Engine: complete conversations through service + database", rows)
    print(f"results: {write_results('engine', rows)}")


if __name__ == "__main__":
    main()
