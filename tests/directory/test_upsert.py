"""Import is an upsert by id on the migrated database (SQLite and PostgreSQL): referrals keep their service."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from sqlalchemy import delete, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from core.db import make_engine, make_sessionmaker, transaction
from directory.demo import DEMO_FILE, load_demo
from directory.files import read_json
from directory.importer import import_directory
from directory.matching import load_snapshot
from directory.models import Organization, Service
from directory.problems import DirectoryImportError
from referrals.actions import create_referral, record_consent
from referrals.models import Referral

AT = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
TABLES = ("organization", "location", "address", "phone", "service", "service_category", "language", "service_area",
          "cost_option", "schedule", "contact", "service_at_location")


@pytest.fixture
def sessions(db_url: str) -> Any:
    """The demo directory as the file says (PostgreSQL keeps one database for the run, so earlier tests' edits
    are undone by importing the demo again: an upsert restores every field)."""
    engine = make_engine(db_url)
    factory = make_sessionmaker(engine)
    with transaction(factory) as session:
        load_demo(session)
    yield factory
    engine.dispose()


def _rows(sessions: sessionmaker[Session]) -> dict[str, list[tuple[Any, ...]]]:
    """Every directory row, in a stable order: what "nothing changed" is checked against."""
    with sessions() as session:
        return {table: sorted(tuple(map(repr, row)) for row in session.execute(text(f"SELECT * FROM {table}")))
                for table in TABLES}


def _refer(sessions: sessionmaker[Session], service_id: str, organization_id: str) -> str:
    with transaction(sessions) as session:
        consent = record_consent(session, consent_id=None, client_channel="sms", client_address="+447700900123",
                                 organization_id=organization_id, granted=True, wording_version="v1",
                                 wording_text="ok", language="en", at=AT)
        referral = create_referral(session, consent_id=consent.id, at=AT, reference="FD-TEST1", language="en",
                                   categories=["housing"], summary="", organization_id=organization_id,
                                   service_id=service_id)
        return referral.id


def test_importing_the_demo_twice_changes_nothing(sessions: sessionmaker[Session]) -> None:
    before = _rows(sessions)  # the fixture loaded the demo already
    with transaction(sessions) as session:
        report = load_demo(session)
    assert report.changes == 0, report.summary()
    assert report.services == len(read_json(DEMO_FILE)["services"])  # type: ignore[index]
    assert _rows(sessions) == before


def test_referrals_keep_their_service_through_updates(sessions: sessionmaker[Session]) -> None:
    data: Any = read_json(DEMO_FILE)
    service = data["services"][0]
    referral_id = _refer(sessions, service["id"], service["organization_id"])
    changed = copy.deepcopy(data)
    changed["services"][0]["name"] = "Renamed advice line"
    changed["services"][0]["phones"] = []
    del changed["services"][1]
    with transaction(sessions) as session:
        report = import_directory(session, changed, deactivate_missing=True)
    assert report.updated["service"] == 1 and report.deactivated["service"] == 1
    assert report.removed["phone"] == len(service["phones"])
    with sessions() as session:
        referral = session.get(Referral, referral_id)
        assert referral is not None
        stored = session.get(Service, referral.service_id)
        assert stored is not None and stored.name == "Renamed advice line"
        assert session.get(Organization, referral.organization_id) is not None
        assert session.get(Service, data["services"][1]["id"]).status == "inactive"  # type: ignore[union-attr]
        matched = {record.id for record in load_snapshot(session).services}
        assert data["services"][1]["id"] not in matched and service["id"] in matched


def test_a_referred_service_cannot_be_deleted(sessions: sessionmaker[Session]) -> None:
    data: Any = read_json(DEMO_FILE)
    service = data["services"][0]
    _refer(sessions, service["id"], service["organization_id"])
    with pytest.raises(IntegrityError), transaction(sessions) as session:
        session.execute(delete(Service).where(Service.id == service["id"]))
    with pytest.raises(IntegrityError), transaction(sessions) as session:
        session.execute(delete(Organization).where(Organization.id == service["organization_id"]))


def test_missing_records_stay_active_unless_asked(sessions: sessionmaker[Session]) -> None:
    data: Any = read_json(DEMO_FILE)
    only_first = {**data, "organizations": data["organizations"][:1],
                  "services": [s for s in data["services"] if s["organization_id"] == data["organizations"][0]["id"]]}
    with transaction(sessions) as session:
        assert import_directory(session, only_first).changes == 0
    with sessions() as session:
        assert set(session.scalars(select(Organization.status))) == {"active"}
    with transaction(sessions) as session:
        report = import_directory(session, only_first, deactivate_missing=True)
    assert report.deactivated["organization"] == len(data["organizations"]) - 1
    with sessions() as session:
        matched = {record.organization_id for record in load_snapshot(session).services}
    assert matched == {data["organizations"][0]["id"]}
    with transaction(sessions) as session:  # the full file brings them back
        report = import_directory(session, data)
    assert report.updated["organization"] == len(data["organizations"]) - 1


def test_partial_import_writes_only_valid_records(sessions: sessionmaker[Session]) -> None:
    data: Any = read_json(DEMO_FILE)
    data["services"][0]["name"] = "Updated"
    data["services"][1]["categories"] = ["not-a-category"]
    data["services"][2]["organization_id"] = "org-nowhere"
    before = _rows(sessions)
    with pytest.raises(DirectoryImportError) as caught, transaction(sessions) as session:
        import_directory(session, copy.deepcopy(data), file="demo.json")
    assert len(caught.value.problems) == 2
    assert caught.value.errors[1].startswith(f"demo.json: services[2] (id {data['services'][2]['id']!r}): "
                                             "organization_id: no organization with id 'org-nowhere'")
    assert _rows(sessions) == before
    with transaction(sessions) as session:
        report = import_directory(session, data, file="demo.json", partial=True)
    assert report.changes == 1 and [p.record for p in report.skipped] == ["services[1]", "services[2]"]
    with sessions() as session:
        assert session.get(Service, data["services"][0]["id"]).name == "Updated"  # type: ignore[union-attr]
