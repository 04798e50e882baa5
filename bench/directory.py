"""Directory at scale: import records/s, matcher p50/p99, and ``GET /hsds/services`` p50/p99.

For each backend and size, a fresh database gets the demo directory plus a synthetic one
(``directory.generate``) through the real importer; then the matcher reads it once (as the
conversation service's cache does) and answers ``queries`` requests for places spread like
the services, and the HSDS API answers ``api_requests`` list requests with mixed filters.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from typing import Any

from fastapi.testclient import TestClient

from bench.common import fresh_database, percentile, print_table, write_results
from bot.service import ConversationService
from core.categories import CATEGORY_IDS
from core.db import make_engine, make_sessionmaker, transaction
from core.settings import Settings
from directory.generate import generate_directory, sample_places
from directory.importer import import_directory
from directory.matching import DirectoryCache, MatchRequest, load_snapshot
from frontdoor.app import create_app
from frontdoor.runtime import Runtime
from nlu.keywords import KeywordClassifier
from referrals.queries import last_referred, referrals_this_week

SIZES = (1_000, 10_000, 50_000)
LANGUAGES = ("en", "en", "en", "pl", "ro", "ur", "so", "ar")


def _records_in(document: dict[str, Any]) -> int:
    """Organisations, services and every row nested in them: what the importer writes."""
    nested = sum(len(s.get(k, [])) for s in document["services"]
                 for k in ("service_areas", "languages", "cost_options", "categories", "phones", "schedules"))
    return len(document["organizations"]) + len(document["services"]) + nested


def _one(backend: str, size: int, queries: int, api_requests: int) -> dict[str, Any]:
    document = generate_directory(size)
    with fresh_database(backend) as url:
        engine = make_engine(url)
        sessions = make_sessionmaker(engine)
        started = time.perf_counter()
        with transaction(sessions) as session:
            import_directory(session, document, file="synthetic")
        import_seconds = time.perf_counter() - started

        cache = DirectoryCache(max_age=3600)
        started = time.perf_counter()
        with sessions() as session:
            records, index = cache.get(session)
        load_seconds = time.perf_counter() - started
        moment = dt.datetime.now(dt.UTC)
        started = time.perf_counter()
        with sessions() as session:
            snapshot = load_snapshot(session, referrals_this_week=referrals_this_week(session, now=moment),
                                     last_referred=last_referred(session, now=moment), records=records, index=index)
        snapshot_ms = (time.perf_counter() - started) * 1000

        rng = random.Random(11)
        match_ms: list[float] = []
        for place in sample_places(queries):
            request = MatchRequest(rng.choice(CATEGORY_IDS), place, rng.choice(LANGUAGES), urgent=rng.random() < 0.2)
            t0 = time.perf_counter()
            snapshot.explain(request)
            match_ms.append((time.perf_counter() - t0) * 1000)

        api_ms = _api(url, engine, sessions, api_requests, size)
        engine.dispose()
    return {"backend": backend, "services": size, "import_records_per_s": _records_in(document) / import_seconds,
            "import_s": import_seconds, "load_index_s": load_seconds, "snapshot_ms": snapshot_ms,
            "match_p50_ms": percentile(match_ms, 50), "match_p99_ms": percentile(match_ms, 99),
            "api_p50_ms": percentile(api_ms, 50), "api_p99_ms": percentile(api_ms, 99)}


def _api(url: str, engine: Any, sessions: Any, requests: int, size: int) -> list[float]:
    settings = Settings(database_url=url, outbox_in_app=False, hsds_requests_per_minute=1e9)
    classifier = KeywordClassifier()
    runtime = Runtime(settings, engine, sessions, classifier, ConversationService(sessions, classifier, settings))
    rng = random.Random(13)
    places = sample_places(requests, seed=17)
    timings: list[float] = []
    with TestClient(create_app(settings, runtime)) as client:
        for number in range(requests):
            params: dict[str, str] = {"page": str(rng.randint(1, max(1, size // 50)))}
            kind = number % 4
            if kind == 1:
                params = {"taxonomy_term_id": rng.choice(CATEGORY_IDS)}
            elif kind == 2:
                params = {"postcode": places[number].districts[0], "taxonomy_term_id": rng.choice(CATEGORY_IDS)}
            elif kind == 3:
                params = {"language": rng.choice(LANGUAGES[3:]), "search": "debt"}
            t0 = time.perf_counter()
            response = client.get("/hsds/services", params=params)
            timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, response.text
    return timings


def run(sizes: tuple[int, ...] = SIZES, backends: tuple[str, ...] = ("sqlite", "postgresql"),
        queries: int = 2000, api_requests: int = 200) -> list[dict[str, Any]]:
    return [_one(backend, size, queries, api_requests) for backend in backends for size in sizes]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="services, comma-separated")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--api-requests", type=int, default=200)
    args = parser.parse_args()
    rows = run(tuple(int(s) for s in args.sizes.split(",")), tuple(args.backends.split(",")),
               args.queries, args.api_requests)
    print_table("Directory at scale: import, matching, HSDS API", rows)
    print(f"results: {write_results('directory', rows)}")


if __name__ == "__main__":
    main()
