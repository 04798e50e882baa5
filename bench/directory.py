"""Directory at scale: import records/s, matcher p50/p99, publishing one service, and ``GET /hsds/services``.

For each backend and size, a fresh database gets the demo directory plus a synthetic one
(``directory.generate``) through the real importer, and ``referrals`` referrals over the last
90 days. The matcher's cache builds its index once (time and memory measured); ``match_*`` is
the in-memory match, ``turn_match_*`` what a conversation turn pays: the generation read, the
candidates' referral counts and the match. ``publish_one_ms`` publishes one changed service
through the importer; ``rebuild_s`` is the next match's rebuild. The HSDS API answers
``api_requests`` list requests with mixed filters.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import time
import tracemalloc
from functools import partial
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from bench.common import fresh_database, percentile, print_table, write_results
from bot.service import ConversationService
from core.categories import CATEGORY_IDS
from core.db import make_engine, make_sessionmaker, transaction
from core.settings import Settings
from directory.generate import generate_directory, sample_places
from directory.importer import import_directory
from directory.matching import DirectoryCache, MatchRequest, load_snapshot
from directory.models import Service
from frontdoor.app import create_app
from frontdoor.runtime import Runtime
from nlu.keywords import KeywordClassifier
from referrals.models import Consent, Referral
from referrals.queries import service_usage

SIZES = (1_000, 10_000, 50_000)
LANGUAGES = ("en", "en", "en", "pl", "ro", "ur", "so", "ar")


def _records_in(document: dict[str, Any]) -> int:
    """Organisations, services and every row nested in them: what the importer writes."""
    nested = sum(len(s.get(k, [])) for s in document["services"]
                 for k in ("service_areas", "languages", "cost_options", "categories", "phones", "schedules"))
    return len(document["organizations"]) + len(document["services"]) + nested


def _one(backend: str, size: int, queries: int, api_requests: int, referrals: int) -> dict[str, Any]:
    document = generate_directory(size)
    with fresh_database(backend) as url:
        engine = make_engine(url)
        sessions = make_sessionmaker(engine)
        started = time.perf_counter()
        with transaction(sessions) as session:
            import_directory(session, document, file="synthetic")
        import_seconds = time.perf_counter() - started
        moment = dt.datetime.now(dt.UTC)
        _referrals(sessions, document, referrals, moment)

        cache = DirectoryCache()
        started = time.perf_counter()
        with sessions() as session:
            cache.get(session)
        load_seconds = time.perf_counter() - started
        index_mb = _index_megabytes(sessions)

        rng = random.Random(11)
        requests = [MatchRequest(rng.choice(CATEGORY_IDS), place, rng.choice(LANGUAGES), urgent=rng.random() < 0.2)
                    for place in sample_places(queries)]
        with sessions() as session:
            this_week, last = service_usage(session, list(session.scalars(select(Service.id))), now=moment)
            snapshot = load_snapshot(session, cache=cache, referrals_this_week=this_week, last_referred=last)
        match_ms: list[float] = []
        for request in requests:
            t0 = time.perf_counter()
            snapshot.explain(request)
            match_ms.append((time.perf_counter() - t0) * 1000)
        turn_ms: list[float] = []
        with sessions() as session:
            for request in requests:
                t0 = time.perf_counter()
                load_snapshot(session, cache=cache, usage=partial(service_usage, session, now=moment)).explain(request)
                turn_ms.append((time.perf_counter() - t0) * 1000)
                session.rollback()  # each turn is its own transaction

        publish_ms, rebuild_seconds = _publish_one(sessions, cache, document)
        api_ms = _api(url, engine, sessions, api_requests, size)
        engine.dispose()
    return {"backend": backend, "services": size, "import_records_per_s": _records_in(document) / import_seconds,
            "import_s": import_seconds, "load_index_s": load_seconds, "index_mb": index_mb,
            "match_p50_ms": percentile(match_ms, 50), "match_p99_ms": percentile(match_ms, 99),
            "turn_match_p50_ms": percentile(turn_ms, 50), "turn_match_p99_ms": percentile(turn_ms, 99),
            "publish_one_ms": publish_ms, "rebuild_s": rebuild_seconds,
            "api_p50_ms": percentile(api_ms, 50), "api_p99_ms": percentile(api_ms, 99),
            "load_1min": os.getloadavg()[0]}


def _referrals(sessions: Any, document: dict[str, Any], count: int, now: dt.datetime) -> None:
    """``count`` real (not simulated) referrals to core partners over the last 90 days, each with its consent."""
    rng = random.Random(19)
    partners = [s for s in document["services"] if s["x_frontdoor"]["accepts_referrals"]]
    consents: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    for number in range(count):
        service = rng.choice(partners)
        at = now - dt.timedelta(minutes=rng.randint(1, 90 * 24 * 60))
        consent = {"id": f"bench-consent-{number}", "client_channel": "sms", "client_address": f"+447700{number:06d}",
                   "organization_id": service["organization_id"], "granted": True, "wording_version": "bench",
                   "wording_text": "bench", "language": "en", "channel": "sms", "created_at": at}
        consents.append(consent)
        rows.append({"id": f"bench-referral-{number}", "reference": f"B{number:08d}", "client_channel": "sms",
                     "client_address": consent["client_address"], "language": "en", "categories": [],
                     "organization_id": service["organization_id"], "service_id": service["id"],
                     "consent_id": consent["id"], "status": rng.choice(("new", "accepted", "closed", "declined")),
                     "created_at": at, "updated_at": at})
    with transaction(sessions) as session:
        for start in range(0, count, 1000):
            session.execute(insert(Consent), consents[start:start + 1000])
            session.execute(insert(Referral), rows[start:start + 1000])


def _index_megabytes(sessions: Any) -> float:
    """What the cache's records and index hold (a second build, under tracemalloc)."""
    tracemalloc.start()
    with sessions() as session:
        kept = DirectoryCache()
        kept.get(session)
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del kept
    return held / 1e6


def _publish_one(sessions: Any, cache: DirectoryCache, document: dict[str, Any]) -> tuple[float, float]:
    """Publish one service with a new name (through the importer, as an admin's publish does); then the next match."""
    service = {**document["services"][len(document["services"]) // 2], "name": "Synthetic renamed by the bench"}
    owner = next(o for o in document["organizations"] if o["id"] == service["organization_id"])
    one = {**document, "organizations": [owner], "services": [service]}
    started = time.perf_counter()
    with transaction(sessions) as session:
        import_directory(session, one, file="one service")
    publish_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    with sessions() as session:
        records, _index = cache.get(session)
    rebuild_seconds = time.perf_counter() - started
    assert any(r.name == service["name"] for r in records), "the next match did not see the publish"
    return publish_ms, rebuild_seconds


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
        queries: int = 2000, api_requests: int = 200, referrals: int = 5000) -> list[dict[str, Any]]:
    return [_one(backend, size, queries, api_requests, referrals) for backend in backends for size in sizes]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="services, comma-separated")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--api-requests", type=int, default=200)
    parser.add_argument("--referrals", type=int, default=5000, help="referrals over the last 90 days")
    args = parser.parse_args()
    rows = run(tuple(int(s) for s in args.sizes.split(",")), tuple(args.backends.split(",")),
               args.queries, args.api_requests, args.referrals)
    print_table("Directory at scale: import, matching, HSDS API", rows)
    print(f"results: {write_results('directory', rows)}")


if __name__ == "__main__":
    main()
