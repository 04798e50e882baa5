"""Directory import/export on a bare schema: lossless round trips, every problem named, HSDS converters."""

from __future__ import annotations

import copy
import json
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

import directory.models  # noqa: F401  (registers the tables)
from core.db import Base, make_engine, make_sessionmaker, transaction
from directory.demo import DEMO_FILE, load_demo
from directory.exporter import export_directory
from directory.files import read_json
from directory.formats import convert_csv_folder, convert_hsds_json
from directory.importer import import_directory
from directory.models import Organization, Service
from directory.problems import DirectoryImportError, Problem
from directory.schema import DEMO_NOTICE

HSDS = Path(__file__).resolve().parents[3] / "shared" / "eval" / "hsds"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def _phone(ident: str, number: str, kind: str | None = "voice", description: str | None = None) -> dict[str, Any]:
    return {"id": ident, "number": number, "type": kind, "description": description}


FIXTURE: dict[str, Any] = {
    "hsds_version": "3.0",
    "profile": "frontdoor",
    "demo": False,
    "organizations": [
        {
            "id": "org-a", "name": "Advice Centre A", "alternate_name": None, "description": "General advice.",
            "email": "hello@a.example.org", "website": "https://a.example.org",
            "phones": [_phone("ph-a1", "0300 123 0001", "voice", "Main line")],
            "locations": [
                {
                    "id": "loc-a1", "name": "Town hall", "description": "Ground floor, step-free.",
                    "latitude": 51.8787, "longitude": -0.4200,
                    "addresses": [{
                        "id": "addr-a1", "address_1": "1 George Street", "address_2": None, "city": "Luton",
                        "state_province": "Bedfordshire", "postal_code": "LU1 2AA", "country": "GB",
                        "address_type": "physical",
                    }],
                },
                {"id": "loc-a2", "name": None, "description": None, "latitude": None, "longitude": None,
                 "addresses": []},
            ],
            "x_frontdoor": {"network": "luton", "is_demo": False},
        },
        {
            "id": "org-b", "name": "Łódź Community Helpline", "alternate_name": "ŁCH", "description": "",
            "email": None, "website": None, "phones": [], "locations": [],
            "x_frontdoor": {"network": None, "is_demo": True},
        },
    ],
    "services": [
        {
            "id": "svc-a1", "organization_id": "org-a", "name": "Housing advice", "alternate_name": None,
            "description": "Help to keep your home.", "url": "https://a.example.org/housing",
            "email": "housing@a.example.org", "status": "active",
            "interpretation_services": "Telephone interpreters on request.",
            "application_process": "Text us or call.", "fees_description": "Free.", "wait_time": "About a week.",
            "eligibility_description": "People living in Luton.", "minimum_age": 16, "maximum_age": None,
            "phones": [_phone("ph-s1", "+44 1582 000001", "text", None), _phone("ph-s2", "01582 000002")],
            "schedules": [
                {"id": "sch-1", "byday": "MO,TU,WE", "opens_at": "09:30", "closes_at": "17:00", "description": None},
                {"id": "sch-2", "byday": "FR", "opens_at": "10:00:00", "closes_at": "13:00:00",
                 "description": "Drop-in"},
            ],
            "service_areas": [
                {"id": "sa-1", "name": "Luton", "extent_type": "local_authority", "extent": "Luton"},
                {"id": "sa-2", "name": None, "extent_type": "postcode_district", "extent": "LU2"},
            ],
            "service_at_locations": [{"id": "sal-1", "location_id": "loc-a1"}],
            "languages": [
                {"id": "lang-1", "code": "en", "name": "English", "note": None},
                {"id": "lang-2", "code": "pl", "name": "Polski", "note": "Tuesdays only"},
            ],
            "cost_options": [{"id": "cost-1", "option": "Everyone", "amount": 0, "currency": None,
                              "amount_description": "Free"}],
            "contacts": [{"id": "con-1", "name": "Sam Adviser", "title": "Housing caseworker",
                          "email": "sam@a.example.org", "phones": [_phone("cph-1", "01582 000003")]}],
            "categories": ["housing", "debt"],
            "x_frontdoor": {"accepts_referrals": True, "capacity_per_week": 20, "response_days": 2,
                            "contact_methods": ["sms", "phone"],
                            "translations": {"pl": {"name": "Porady mieszkaniowe", "description": "Pomoc."}}},
        },
        {
            "id": "svc-b1", "organization_id": "org-b", "name": "National helpline", "alternate_name": None,
            "description": "", "url": None, "email": None, "status": "temporarily closed",
            "interpretation_services": None, "application_process": None, "fees_description": None,
            "wait_time": None, "eligibility_description": None, "minimum_age": None, "maximum_age": None,
            "phones": [], "schedules": [],
            "service_areas": [{"id": "sa-3", "name": "England", "extent_type": "national", "extent": "England"}],
            "service_at_locations": [{"id": "sal-2", "location_id": "loc-a2"}],
            "languages": [],
            "cost_options": [{"id": "cost-2", "option": None, "amount": 12.5, "currency": "GBP",
                              "amount_description": "per call"}],
            "contacts": [],
            "categories": ["other"],
            "x_frontdoor": {"accepts_referrals": False, "capacity_per_week": None, "response_days": None,
                            "contact_methods": []},
        },
    ],
}


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'directory.db'}")
    Base.metadata.create_all(engine)
    yield make_sessionmaker(engine)
    engine.dispose()


@pytest.fixture
def pg_sessions() -> Iterator[sessionmaker[Session]]:
    """A fresh PostgreSQL database for this test only, dropped afterwards."""
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL must be reachable in CI")
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    name = f"fd_test_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    engine = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
    try:
        Base.metadata.create_all(engine)
        yield make_sessionmaker(engine)
    finally:
        engine.dispose()
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _canon(node: Any) -> Any:
    """A document as export writes it: no nulls, HSDS's required location_type and state_province filled in."""
    if isinstance(node, list):
        return [_canon(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _canon(value) for key, value in node.items() if value is not None}
    if "addresses" in out:
        out.setdefault("location_type", "physical")
    if "address_1" in out:
        out.setdefault("state_province", "")
    if "is_demo" in out:
        out.setdefault("status", "active")
    return out


def _round_trip(sessions: sessionmaker[Session], data: dict[str, Any]) -> dict[str, Any]:
    with transaction(sessions) as session:
        import_directory(session, copy.deepcopy(data))
    with sessions() as session:  # a new session: everything comes back from the database
        return export_directory(session)


def _snapshot(sessions: sessionmaker[Session]) -> dict[str, Any]:
    with sessions() as session:
        return export_directory(session)


# --- round trips ---------------------------------------------------------------------------------


def test_fixture_round_trip_is_lossless(sessions: sessionmaker[Session]) -> None:
    assert _round_trip(sessions, FIXTURE) == _canon(FIXTURE)


def test_export_is_json_and_sorted_by_id(sessions: sessionmaker[Session]) -> None:
    shuffled = copy.deepcopy(FIXTURE)
    shuffled["organizations"].reverse()
    shuffled["services"].reverse()
    shuffled["services"][1]["schedules"].reverse()
    out = _round_trip(sessions, shuffled)
    assert json.loads(json.dumps(out)) == _canon(FIXTURE)
    assert out["services"][0]["categories"] == ["housing", "debt"]  # position order, not alphabetical


def test_import_is_an_upsert_and_never_deletes(sessions: sessionmaker[Session]) -> None:
    _round_trip(sessions, FIXTURE)
    smaller = copy.deepcopy(FIXTURE)
    del smaller["services"][1]
    smaller["services"][0]["name"] = "Housing advice (renamed)"
    out = _round_trip(sessions, smaller)
    assert [s["id"] for s in out["services"]] == ["svc-a1", "svc-b1"]  # the missing service is kept as it was
    assert out["services"][0]["name"] == "Housing advice (renamed)"
    assert out["services"][1] == _canon(FIXTURE)["services"][1]


def test_replace_inside_one_transaction(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as session:
        import_directory(session, copy.deepcopy(FIXTURE))
        import_directory(session, copy.deepcopy(FIXTURE))
        assert export_directory(session) == _canon(FIXTURE)


def test_demo_flag_and_notice(sessions: sessionmaker[Session]) -> None:
    demo = copy.deepcopy(FIXTURE)
    demo["demo"], demo["notice"] = True, DEMO_NOTICE
    demo["organizations"][0]["x_frontdoor"]["is_demo"] = True
    assert _round_trip(sessions, demo) == _canon(demo)
    demo["notice"] = "Some other words"
    with transaction(sessions) as session:
        report = import_directory(session, demo)
    assert any(w.startswith("notice:") for w in report.warnings)


def test_empty_translations_and_defaults_are_filled(sessions: sessionmaker[Session]) -> None:
    minimal = {"hsds_version": "3.0", "organizations": [{"id": "o", "name": "O"}],
               "services": [{"id": "s", "organization_id": "o", "name": "S", "categories": ["debt"]}]}
    out = _round_trip(sessions, minimal)
    service = out["services"][0]
    assert service["status"] == "active" and service["description"] == ""
    assert service["x_frontdoor"] == {"accepts_referrals": False, "contact_methods": []}
    assert out["demo"] is False and "notice" not in out


def test_report_counts_and_warnings(sessions: sessionmaker[Session]) -> None:
    data = copy.deepcopy(FIXTURE)
    data["services"][1]["categories"] = []
    with transaction(sessions) as session:
        report = import_directory(session, data)
    assert (report.organizations, report.services, report.locations) == (2, 2, 2)
    assert report.warnings == ["services[1]: no categories, so it will never be matched"]


@pytest.mark.postgres
def test_fixture_round_trip_on_postgresql(pg_sessions: sessionmaker[Session]) -> None:
    assert _round_trip(pg_sessions, FIXTURE) == _canon(FIXTURE)
    assert _round_trip(pg_sessions, FIXTURE) == _canon(FIXTURE)  # replacing works with PostgreSQL's foreign keys too


def _demo_data() -> Any:
    if not DEMO_FILE.exists():
        pytest.skip(f"{DEMO_FILE} has not been written yet")
    return read_json(DEMO_FILE)


def test_demo_file_round_trip_is_lossless(sessions: sessionmaker[Session]) -> None:
    data = _demo_data()
    assert data.get("notice") == DEMO_NOTICE, "the demo file's notice must be directory.schema.DEMO_NOTICE"
    assert _round_trip(sessions, data) == _canon(data)


def test_load_demo_is_idempotent(sessions: sessionmaker[Session]) -> None:
    data = _demo_data()
    for _ in range(2):
        with transaction(sessions) as session:
            report = load_demo(session)
    assert (report.organizations, report.services) == (len(data["organizations"]), len(data["services"]))
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Service)) == len(data["services"])
        assert export_directory(session)["demo"] is True


# --- broken imports --------------------------------------------------------------------------------

Mutation = Callable[[dict[str, Any]], Any]


def _old_style(problem: Problem) -> str:
    """A problem as one JSON path and its message, the way the table below states them."""
    where = ".".join(part for part in (problem.record, problem.field) if part)
    return f"{where}: {problem.message}" if where else problem.message


def _set(path: str, value: Any) -> Mutation:
    """Mutation that sets FIXTURE[path] (dotted, with list indexes) to value; '-' deletes the key."""
    def mutate(data: dict[str, Any]) -> dict[str, Any]:
        *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
        target: Any = data
        for part in parents:
            target = target[part]
        if value == "-":
            del target[last]
        else:
            target[last] = value
        return data
    return mutate


def _duplicate_service(data: dict[str, Any]) -> dict[str, Any]:
    data["services"][1]["id"] = "svc-a1"
    return data


def _demo_mismatch(data: dict[str, Any]) -> dict[str, Any]:
    data["demo"] = True
    return data


BROKEN: list[tuple[str, Mutation, str]] = [
    ("not an object", lambda d: [d], "$: must be an object, not a list"),
    ("missing top key", _set("services", "-"), "services: is required"),
    ("wrong version", _set("hsds_version", "2.0"), "hsds_version: must be '3.0', not '2.0'"),
    ("unknown top key", _set("organisations", []), "organisations: unknown field"),
    ("typo in a field", _set("organizations.0.websit", "x"),
     "organizations[0].websit: unknown field (did you mean 'website'?)"),
    ("missing name", _set("organizations.1.name", "-"), "organizations[1].name: is required"),
    ("null name", _set("services.0.name", None), "services[0].name: must not be null"),
    ("empty id", _set("services.0.id", " "), "services[0].id: must not be empty"),
    ("wrong type", _set("services.0.name", 5), "services[0].name: must be a string, not a number"),
    ("list expected", _set("services.0.phones", {}), "services[0].phones: must be a list, not an object"),
    ("unknown category", _set("services.0.categories.0", "housnig"),
     "services[0].categories[0]: unknown category 'housnig' (did you mean 'housing'?)"),
    ("category twice", _set("services.0.categories.1", "housing"),
     "services[0].categories: 'housing' is listed twice"),
    ("missing organisation", _set("services.1.organization_id", "org-zz"),
     "services[1].organization_id: no organization with id 'org-zz'"),
    ("missing location", _set("services.0.service_at_locations.0.location_id", "loc-zz"),
     "services[0].service_at_locations[0].location_id: no location with id 'loc-zz'"),
    ("duplicate id", _duplicate_service, "services[1].id: duplicate id 'svc-a1' (first used at services[0])"),
    ("duplicate phone across owners", _set("services.0.phones.0.id", "ph-a1"),
     "services[0].phones[0].id: duplicate id 'ph-a1' (first used at organizations[0].phones[0])"),
    ("bad extent type", _set("services.0.service_areas.0.extent_type", "county"),
     "services[0].service_areas[0].extent_type: 'county' is not one of local_authority, postcode_district"),
    ("bad district", _set("services.0.service_areas.1.extent", "Luton"),
     "services[0].service_areas[1]: 'Luton' is not a postcode district"),
    ("negative capacity", _set("services.0.x_frontdoor.capacity_per_week", -3),
     "services[0].x_frontdoor.capacity_per_week: must be at least 0, not -3"),
    ("bool for a number", _set("services.0.x_frontdoor.response_days", True),
     "services[0].x_frontdoor.response_days: must be a whole number, not true/false"),
    ("bad currency", _set("services.1.cost_options.0.currency", "GPB"),
     "services[1].cost_options[0].currency: 'GPB' is not an ISO 4217 currency code"),
    ("charge without currency", _set("services.1.cost_options.0.currency", None),
     "services[1].cost_options[0]: currency is required when amount is above zero"),
    ("negative amount", _set("services.1.cost_options.0.amount", -1),
     "services[1].cost_options[0].amount: must be at least 0"),
    ("latitude out of range", _set("organizations.0.locations.0.latitude", 100),
     "organizations[0].locations[0].latitude: must be at most 90, not 100"),
    ("latitude without longitude", _set("organizations.0.locations.0.longitude", None),
     "organizations[0].locations[0]: latitude and longitude must be given together"),
    ("bad time", _set("services.0.schedules.0.closes_at", "25:00"),
     "services[0].schedules[0].closes_at: '25:00' is not a time"),
    ("bad days", _set("services.0.schedules.0.byday", "Monday"),
     "services[0].schedules[0].byday: 'Monday' is not a list of days"),
    ("bad email", _set("organizations.0.email", "hello at a"), "organizations[0].email: 'hello at a' is not an email"),
    ("bad url", _set("services.0.url", "www.a.example.org"), "services[0].url: 'www.a.example.org' is not an http"),
    ("bad phone", _set("services.0.contacts.0.phones.0.number", "call us"),
     "services[0].contacts[0].phones[0].number: 'call us' is not a phone number"),
    ("bad phone type", _set("services.0.phones.1.type", "mobile"),
     "services[0].phones[1].type: 'mobile' is not one of"),
    ("bad status", _set("services.0.status", "open"), "services[0].status: 'open' is not one of active"),
    ("ages reversed", _set("services.0.maximum_age", 10), "services[0]: maximum_age is below minimum_age (10 < 16)"),
    ("bad language", _set("services.0.languages.1.code", "Polish"),
     "services[0].languages[1].code: 'Polish' is not a language code"),
    ("bad country", _set("organizations.0.locations.0.addresses.0.country", "gb"),
     "organizations[0].locations[0].addresses[0].country: 'gb' is not a two-letter country code"),
    ("UK for GB", _set("organizations.0.locations.0.addresses.0.country", "UK"),
     "organizations[0].locations[0].addresses[0].country: 'UK' is not an ISO 3166 country code; use 'GB'"),
    ("bad contact method", _set("services.0.x_frontdoor.contact_methods.1", "fax"),
     "services[0].x_frontdoor.contact_methods[1]: 'fax' is not one of sms, phone, telegram, email"),
    ("bad translation", _set("services.0.x_frontdoor.translations.pl.url", "x"),
     "services[0].x_frontdoor.translations.pl.url: 'url' is not one of name"),
    ("too long for the column", _set("organizations.0.name", "x" * 301),
     "organizations[0].name: is 301 characters long; the most allowed is 300"),
    ("null extension", _set("organizations.1.x_frontdoor", None),
     "organizations[1].x_frontdoor: must not be null"),
    ("demo flag disagrees", _demo_mismatch, "demo: is true but some organizations"),
    ("NUL character", _set("services.0.description", "a\x00b"),
     "services[0].description: must not contain NUL characters"),
]


@pytest.mark.parametrize(("mutate", "expected"), [(m, e) for _, m, e in BROKEN], ids=[n for n, _, _ in BROKEN])
def test_broken_import_is_rejected_and_writes_nothing(
    sessions: sessionmaker[Session], mutate: Mutation, expected: str
) -> None:
    original = copy.deepcopy(FIXTURE)
    original["services"][0]["name"] = "Already stored"
    _round_trip(sessions, original)
    before = _snapshot(sessions)
    with pytest.raises(DirectoryImportError) as caught, transaction(sessions) as session:
        import_directory(session, mutate(copy.deepcopy(FIXTURE)))
    paths = [_old_style(p) for p in caught.value.problems]
    assert any(error.startswith(expected) for error in paths), paths
    assert _snapshot(sessions) == before


def test_every_problem_is_listed_at_once(sessions: sessionmaker[Session]) -> None:
    data = copy.deepcopy(FIXTURE)
    data["services"][0]["categories"] = ["housnig", 3]
    data["services"][1]["x_frontdoor"]["capacity_per_week"] = -1
    data["organizations"][0]["locations"][0]["addresses"][0]["postal_code"] = None
    with pytest.raises(DirectoryImportError) as caught, sessions() as session:
        import_directory(session, data)
    assert [_old_style(p).split(":")[0] for p in caught.value.problems] == [
        "organizations[0].locations[0].addresses[0].postal_code",
        "services[0].categories[0]", "services[0].categories[1]", "services[1].x_frontdoor.capacity_per_week",
    ]
    assert "4 problem(s)" in str(caught.value)


def _leaf_paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in children:
        yield from _leaf_paths(child, (*path, key))


WEIRD: tuple[Any, ...] = (None, "", "\x00", -1, 1.5, True, 10**20, [], {}, ["x"], {"id": []}, "x" * 400)


def _fuzz(sessions: sessionmaker[Session]) -> int:
    """Replace every node of the fixture with odd values: only DirectoryImportError (or success) may come out."""
    accepted = 0
    with sessions() as session:
        for path in _leaf_paths(FIXTURE):
            for weird in WEIRD:
                data: Any = copy.deepcopy(FIXTURE)
                if not path:
                    data = weird
                else:
                    target = data
                    for key in path[:-1]:
                        target = target[key]
                    target[path[-1]] = weird
                try:
                    import_directory(session, data)
                    accepted += 1
                except DirectoryImportError:
                    pass
                except Exception as exc:  # pragma: no cover - the failure message is the point
                    pytest.fail(f"{path} = {weird!r}: {type(exc).__name__}: {exc}")
                finally:
                    session.rollback()
    return accepted


def test_any_malformed_value_gives_a_directory_import_error(sessions: sessionmaker[Session]) -> None:
    assert 0 < _fuzz(sessions) < len(list(_leaf_paths(FIXTURE))) * len(WEIRD)


@pytest.mark.postgres
def test_any_malformed_value_gives_a_directory_import_error_on_postgresql(
    pg_sessions: sessionmaker[Session],
) -> None:
    """PostgreSQL enforces column lengths and rejects NUL, so values SQLite takes must be caught up front."""
    assert _fuzz(pg_sessions) > 0


def test_validation_happens_before_the_old_directory_is_deleted(sessions: sessionmaker[Session]) -> None:
    _round_trip(sessions, FIXTURE)
    with pytest.raises(DirectoryImportError), transaction(sessions) as session:
        import_directory(session, {"hsds_version": "3.0", "organizations": [], "services": [{"id": "s"}]})
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Organization)) == 2


def test_a_file_of_services_only_adds_to_stored_organisations(sessions: sessionmaker[Session]) -> None:
    _round_trip(sessions, FIXTURE)
    extra = {"hsds_version": "3.0", "organizations": [],
             "services": [{"id": "svc-new", "organization_id": "org-a", "name": "New", "categories": ["debt"],
                           "service_at_locations": [{"id": "sal-new", "location_id": "loc-a1"}]}]}
    for expected_changes in (3, 0):  # service, its location link, its category; then nothing
        with transaction(sessions) as session:
            assert import_directory(session, copy.deepcopy(extra)).changes == expected_changes
    assert len(_snapshot(sessions)["services"]) == 3


# --- files ---------------------------------------------------------------------------------------


def test_invalid_json_reports_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "hsds_version": "3.0",\n  "organizations": [,]\n}\n', encoding="utf-8")
    with pytest.raises(DirectoryImportError) as caught:
        read_json(bad)
    assert caught.value.errors == [f"{bad}: line 3 column 21: invalid JSON (Expecting value)"]


@pytest.mark.parametrize(("content", "expected"), [
    ("£".encode("latin-1") + b'{"a": 1}', "not UTF-8 text (byte 0xa3 at offset 0); save it as UTF-8"),
    (b'{"a": 1, "a": 2}', "the key 'a' appears twice in one object"),
    (b'{"a": NaN}', "NaN is not allowed in JSON"),
])
def test_unreadable_json_files(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "file.json"
    path.write_bytes(content)
    with pytest.raises(DirectoryImportError) as caught:
        read_json(path)
    assert caught.value.errors == [f"{path}: {expected}"]


def test_missing_file_and_bom(tmp_path: Path) -> None:
    with pytest.raises(DirectoryImportError, match="cannot read the file"):
        read_json(tmp_path / "absent.json")
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(FIXTURE).encode())
    assert read_json(path) == FIXTURE


# --- HSDS converters -----------------------------------------------------------------------------


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


@pytest.mark.parametrize("folder", ["hsds-3.0/examples/csv", "uk-profile-3.0/examples/csv"])
def test_official_hsds_csv_example_imports(sessions: sessionmaker[Session], folder: str) -> None:
    warnings: list[str] = []
    data = convert_csv_folder(_need(HSDS / folder), warnings=warnings)
    with transaction(sessions) as session:
        report = import_directory(session, data)
    assert (report.organizations, report.services, report.locations) == (1, 1, 1)
    assert any("geojson" in w for w in warnings)  # Frontdoor cannot use GeoJSON areas yet, and says so
    assert "services[0]: no categories, so it will never be matched" in report.warnings
    out = _round_trip(sessions, data)
    assert out == _canon(data)
    service = out["services"][0]
    phones = service["phones"] or service["contacts"][0]["phones"]  # the UK example links it to the contact only
    assert phones[0]["number"] == "+44 1234 234567"
    assert service["cost_options"][0]["currency"] == "GBP"
    assert out["organizations"][0]["locations"][0]["addresses"][0]["postal_code"] == "ABC 1234"


@pytest.mark.parametrize(("name", "locations"), [("service_full.json", 1), ("service_list.json", 0)])
def test_official_hsds_service_json_imports(sessions: sessionmaker[Session], name: str, locations: int) -> None:
    data = convert_hsds_json(read_json(_need(HSDS / "hsds-3.0/examples" / name)))
    with transaction(sessions) as session:
        report = import_directory(session, data)
    assert (report.organizations, report.services, report.locations) == (1, 1, locations)
    assert _round_trip(sessions, data) == _canon(data)
    assert data["services"][0]["name"] == "Community Counselling"


def test_csv_categories_from_taxonomy_terms(tmp_path: Path) -> None:
    files = {
        "organizations.csv": "id,name,description\no1,Org,\n",
        "services.csv": "id,organization_id,name,status,minimum_age\ns1,o1,Svc,active,18\n",
        "attributes.csv": "id,link_id,taxonomy_term_id,link_entity\na1,s1,t1,service\na2,s1,t2,service\n"
                          "a3,s1,t3,\n",
        "taxonomy_terms.csv": "id,code,name\nt1,HO-02-00-00-00,Eviction\nt2,FA-07-01-00-00,Abuse\nt3,,Debt\n",
        "service_areas.csv": "id,service_id,extent_type,extent\nar1,s1,postcode_district,LU2\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    data = convert_csv_folder(tmp_path)
    assert data["services"][0]["categories"] == ["housing", "domestic_abuse", "debt"]
    assert data["services"][0]["minimum_age"] == 18


def test_csv_errors(tmp_path: Path) -> None:
    with pytest.raises(DirectoryImportError, match="organizations.csv: missing"):
        convert_csv_folder(tmp_path)
    (tmp_path / "organizations.csv").write_text("id,name\no1,Org\n", encoding="utf-8")
    (tmp_path / "services.csv").write_text("id,organization_id,name,minimum_age\ns1,o1,S,twelve\n", encoding="utf-8")
    with pytest.raises(DirectoryImportError) as caught:
        convert_csv_folder(tmp_path)
    assert caught.value.errors == [
        f"{tmp_path}: services.csv row 2 (id 's1'): minimum_age: 'twelve' is not a whole number"]
