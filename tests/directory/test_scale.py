"""Matching at scale: the synthetic directory, the index, near misses with reasons, turns, and the cache."""

from __future__ import annotations

import dataclasses
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from core.categories import CATEGORY_IDS
from core.db import make_engine, make_sessionmaker, transaction
from directory.areas import resolve_place
from directory.exporter import service_document
from directory.generate import SYNTHETIC_NOTICE, generate_directory, sample_places
from directory.generation import bump
from directory.importer import import_directory
from directory.matching import (
    DirectoryCache,
    DirectorySnapshot,
    Match,
    MatchRequest,
    ServiceRecord,
    describe,
    load_records,
)
from directory.models import Organization, Service
from directory.schema import HSDS_VERSION, PROFILE
from tests.conftest import _migrate_with_demo, _pg_available, create_pg_database, drop_pg_database


@pytest.fixture(params=["sqlite", "postgresql"])
def own_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A demo database of this test's own: these tests change the directory, which ``db_url`` shares on PostgreSQL."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        shutil.copy(template, tmp_path / "own.db")
        yield f"sqlite:///{tmp_path / 'own.db'}"
        return
    if not _pg_available():
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    url = create_pg_database()
    try:
        _migrate_with_demo(url)
        yield url
    finally:
        drop_pg_database(url)


def _records(document: dict[str, Any]) -> tuple[ServiceRecord, ...]:
    """The records matching would read after importing ``document`` (built directly: no database needed)."""
    orgs = {o["id"]: o["name"] for o in document["organizations"]}
    return tuple(ServiceRecord(
        id=s["id"], organization_id=s["organization_id"], organization_name=orgs[s["organization_id"]],
        name=s["name"], description=s["description"], categories=tuple(s["categories"]),
        areas=tuple((a["extent_type"], a["extent"]) for a in s["service_areas"]),
        languages=frozenset(lang["code"] for lang in s["languages"]),
        interpreters=bool(s.get("interpretation_services")), free=not s["cost_options"], fees_description="",
        accepts_referrals=s["x_frontdoor"]["accepts_referrals"],
        capacity_per_week=s["x_frontdoor"]["capacity_per_week"], response_days=s["x_frontdoor"]["response_days"],
        phone=None, email=None, url=None, contact_methods=()) for s in sorted(document["services"],
                                                                           key=lambda s: s["id"]))


def test_the_synthetic_directory_is_marked_spread_and_repeatable() -> None:
    document = generate_directory(3000)
    assert document == generate_directory(3000) and document != generate_directory(3000, seed=2)
    assert len(document["services"]) == 3000 and document["demo"] is True and document["notice"] == SYNTHETIC_NOTICE
    assert all(o["id"].startswith("syn-") and o["name"].startswith("Synthetic") and o["x_frontdoor"]["is_demo"]
               for o in document["organizations"])
    assert all(s["id"].startswith("syn-") and s["name"].startswith("Synthetic") for s in document["services"])
    authorities = {a["extent"] for s in document["services"] for a in s["service_areas"]
                   if a["extent_type"] == "local_authority"}
    assert len(authorities) > 300  # of about 400
    assert {c for s in document["services"] for c in s["categories"]} == set(CATEGORY_IDS)
    assert len({lang["code"] for s in document["services"] for lang in s["languages"]}) >= 10
    capacities = {s["x_frontdoor"]["capacity_per_week"] for s in document["services"]}
    assert None in capacities and len(capacities) > 4


def _brute_force(snapshot: DirectorySnapshot, request: MatchRequest, limit: int) -> list[str]:
    """Every service looked at, the way matching worked before the index."""
    matches: list[Match] = []
    for service in snapshot.services:
        if request.category in service.categories and (coverage := service.covers(request.place)) is not None:
            matches.append(snapshot._score(service, coverage, request))
    matches.sort(key=lambda m: (-m.score, snapshot.last_referred.get(m.service.id, float("-inf")),
                                m.service.organization_name, m.service.id))
    return [m.service.id for m in matches[:limit]]


def test_the_index_finds_exactly_what_looking_at_every_service_finds() -> None:
    snapshot = DirectorySnapshot(_records(generate_directory(4000)))
    rng = random.Random(5)
    places = [*sample_places(150), None, resolve_place("BS3 4AA"), resolve_place("Luton"), resolve_place("CF24 4HQ"),
              resolve_place("TD9 7AA")]
    found = 0
    for place in places:
        request = MatchRequest(rng.choice(CATEGORY_IDS), place, rng.choice(("en", "pl", "so")),
                               urgent=rng.random() < 0.3)
        got = [m.service.id for m in snapshot.match(request, limit=8)]
        assert got == _brute_force(snapshot, request, 8), request
        found += bool(got)
    assert found > 100  # the comparison is not of empty lists


def _service(ident: str, areas: tuple[tuple[str, str], ...], *, languages: tuple[str, ...] = ("en",),
             interpreters: bool = False, referrals: bool = True, capacity: int | None = 10) -> ServiceRecord:
    return ServiceRecord(
        id=ident, organization_id=f"org-{ident}", organization_name=f"Org {ident}", name=ident, description="",
        categories=("debt",), areas=areas, languages=frozenset(languages), interpreters=interpreters, free=True,
        fees_description="", accepts_referrals=referrals, capacity_per_week=capacity, response_days=3,
        phone=None, email=None, url=None, contact_methods=())


def test_each_near_miss_says_why_it_was_left_out() -> None:
    snapshot = DirectorySnapshot((
        _service("speaks-somali", (("postcode_district", "BS3"),), languages=("en", "so")),
        _service("interpreters", (("local_authority", "Bristol"),), interpreters=True),
        _service("english-only", (("local_authority", "Bristol"),)),
        _service("full", (("local_authority", "Bristol"),), languages=("en", "so"), capacity=2),
        _service("next-door", (("postcode_district", "BS4"),), languages=("en", "so")),
    ), referrals_this_week={"full": 2})
    explained = snapshot.explain(MatchRequest("debt", resolve_place("BS3 4AA"), "so"), limit=2, near=3)
    assert [m.service.id for m in explained.matches] == ["speaks-somali", "interpreters"]
    assert [describe(r) for r in explained.matches[0].reasons] == [
        "covers BS3", "handles debt", "has room this week", "speaks Somali", "free"]
    assert {m.service.id: [describe(r) for r in m.reasons] for m in explained.near_misses} == {
        "english-only": ["no Somali and no interpreter"],
        "full": ["at capacity this week"],
        "next-door": ["does not cover BS3"],
    }


def test_equally_good_partners_take_turns() -> None:
    snapshot = DirectorySnapshot((_service("a", (("local_authority", "Luton"),)),
                                  _service("b", (("local_authority", "Luton"),)),
                                  _service("c", (("local_authority", "Luton"),))))
    request = MatchRequest("debt", resolve_place("LU2 7AB"), "en")
    assert [m.service.id for m in snapshot.match(request)] == ["a", "b", "c"]  # nobody referred yet: by name
    turns = []
    last: dict[str, float] = {}
    for clock in range(6):
        best = dataclasses.replace(snapshot, last_referred=dict(last)).match(request)[0].service.id
        turns.append(best)
        last[best] = float(clock)
    assert turns == ["a", "b", "c", "a", "b", "c"]
    # A better partner is still first however recently it was referred to.
    better = DirectorySnapshot((*snapshot.services, _service("d", (("postcode_district", "LU2"),))),
                               last_referred={"d": 99.0})
    assert better.match(request)[0].service.id == "d"


def test_the_cache_keeps_the_directory_until_its_generation_moves(own_db_url: str) -> None:
    engine = make_engine(own_db_url)
    sessions = make_sessionmaker(engine)
    cache = DirectoryCache()
    with sessions() as session:
        records, index = cache.get(session)
        assert cache.get(session)[1] is index and cache.builds == 1  # built once
        some = records[0].id
    with transaction(sessions) as session:  # a write that does not say so: the cache keeps what it has
        session.execute(update(Service).where(Service.id == some).values(name="Renamed by the cache test"))
    with sessions() as session:
        assert next(r for r in cache.get(session)[0] if r.id == some).name != "Renamed by the cache test"
    with transaction(sessions) as session:
        bump(session)
    with sessions() as session:
        assert next(r for r in cache.get(session)[0] if r.id == some).name == "Renamed by the cache test"
        assert load_records(session) == cache.get(session)[0] and cache.builds == 2
    engine.dispose()


def test_the_conversation_service_sees_a_published_change_at_once(own_db_url: str) -> None:
    from bot.service import ConversationService
    from core.settings import Settings
    from nlu.keywords import KeywordClassifier

    engine = make_engine(own_db_url)
    service = ConversationService(make_sessionmaker(engine), KeywordClassifier(), Settings(database_url=own_db_url))
    with service._factory() as session:
        before = service._directory(session, service._clock())
        org = session.scalar(select(Organization.id).order_by(Organization.id))
    with transaction(service._factory) as session:
        session.execute(update(Organization).where(Organization.id == org).values(status="inactive"))
        bump(session)
    with service._factory() as session:  # no refresh call: the generation says the directory changed
        after = service._directory(session, service._clock())
        assert len(after.services) < len(before.services)
        assert all(r.organization_id != org for r in after.services)
    engine.dispose()


@pytest.mark.parametrize("count", [120])
def test_cli_generate_imports_a_synthetic_directory(monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str], own_db_url: str,
                                                    count: int) -> None:
    from frontdoor.cli import main

    db_url = own_db_url
    monkeypatch.setenv("FRONTDOOR_DATABASE_URL", db_url)
    assert main(["directory", "generate", "--services", str(count)]) == 0
    assert f"{count} services" in capsys.readouterr().out
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as session:
        assert session.scalar(select(func.count()).where(Service.id.like("syn-%"))) == count
    engine.dispose()
    assert main(["directory", "generate", "--services", str(count)]) == 0  # the same again: nothing changes
    assert ": 0 changes." in capsys.readouterr().out


def test_a_publish_in_another_process_is_matched_on_at_once(own_db_url: str) -> None:
    """Two engines stand for two web workers: one publishes through the importer, the other's next match sees it."""
    worker_a, worker_b = make_engine(own_db_url), make_engine(own_db_url)
    cache = DirectoryCache()
    with make_sessionmaker(worker_b)() as session:
        service = cache.get(session)[0][0]
    with transaction(make_sessionmaker(worker_a)) as session:
        record = service_document(session, service.id)
        assert record is not None
        import_directory(session, {"hsds_version": HSDS_VERSION, "profile": PROFILE, "demo": False,
                                   "organizations": [], "services": [{**record, "name": "Published in worker A"}]})
    with make_sessionmaker(worker_b)() as session:
        assert next(r for r in cache.get(session)[0] if r.id == service.id).name == "Published in worker A"
    worker_a.dispose()
    worker_b.dispose()


def _two_partners(capacity: int) -> dict[str, Any]:
    """Two core partners equally good for debt in one authority (Org A before Org B by name)."""
    document = generate_directory(2, seed=3)
    organizations, services = [], []
    for letter, service in zip("ab", document["services"], strict=True):
        organizations.append({**document["organizations"][0], "id": f"turns-{letter}", "name": f"Org {letter.upper()}"})
        services.append({**service, "id": f"turns-svc-{letter}", "organization_id": f"turns-{letter}",
                         "categories": ["debt"], "languages": [{"id": f"turns-{letter}-en", "code": "en"}],
                         "service_areas": [{"id": f"turns-{letter}-sa", "extent_type": "local_authority",
                                            "extent": "Turnstown"}],
                         "cost_options": [], "interpretation_services": None,
                         "x_frontdoor": {**service["x_frontdoor"], "accepts_referrals": True,
                                         "capacity_per_week": capacity, "response_days": 3}})
    return {**document, "organizations": organizations, "services": services}


def test_a_referral_from_another_process_changes_capacity_and_turns_on_the_next_match(own_db_url: str) -> None:
    import datetime as dt

    from bot.service import ConversationService
    from core.settings import Settings
    from directory.areas import Place
    from nlu.keywords import KeywordClassifier
    from referrals.actions import create_referral, record_consent

    now = dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC)
    worker_a, worker_b = make_engine(own_db_url), make_engine(own_db_url)
    with transaction(make_sessionmaker(worker_a)) as session:
        import_directory(session, _two_partners(capacity=2))
    service = ConversationService(make_sessionmaker(worker_b), KeywordClassifier(), Settings(database_url=own_db_url))
    request = MatchRequest("debt", Place((), "Turnstown", None, "Turnstown", None, "England"), "en")

    def ranked() -> list[tuple[str, bool]]:
        with service._factory() as session:  # a new turn in worker B
            matches = service._directory(session, now).match(request, limit=10)
        return [(m.service.id, m.has_capacity) for m in matches if m.service.id.startswith("turns-")]

    def refer(letter: str, minutes_ago: int) -> None:  # worker A makes a referral
        at = now - dt.timedelta(minutes=minutes_ago)
        with transaction(make_sessionmaker(worker_a)) as session:
            consent = record_consent(session, consent_id=None, client_channel="sms", client_address=f"+4470{at:%H%M}",
                                     organization_id=f"turns-{letter}", granted=True, wording_version="v",
                                     wording_text="ok", language="en", at=at)
            create_referral(session, consent_id=consent.id, at=at, reference=f"T-{letter}{minutes_ago}",
                            language="en", organization_id=f"turns-{letter}", service_id=f"turns-svc-{letter}",
                            categories=["debt"])

    assert ranked() == [("turns-svc-a", True), ("turns-svc-b", True)]  # nobody referred yet: by name
    refer("a", 30)
    assert ranked() == [("turns-svc-b", True), ("turns-svc-a", True)]  # A just had one: B's turn
    refer("b", 20)
    assert ranked() == [("turns-svc-a", True), ("turns-svc-b", True)]  # B more recently: A's turn again
    refer("a", 10)
    assert ranked() == [("turns-svc-b", True), ("turns-svc-a", False)]  # A has had its two this week
    with service._factory() as session:
        explained = service._directory(session, now).explain(request, limit=1, near=5)
    assert explained.matches[0].service.id == "turns-svc-b"
    assert {m.service.id: [describe(r) for r in m.reasons] for m in explained.near_misses}["turns-svc-a"] == [
        "at capacity this week"]
    worker_a.dispose()
    worker_b.dispose()
