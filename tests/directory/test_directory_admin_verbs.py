"""The directory admin verbs on SQLite and PostgreSQL: access, write and staff audit together; matching reads
only published data.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.db import make_engine, make_sessionmaker, transaction
from directory.areas import resolve_place
from directory.diff import diff_records
from directory.freshness import stale_services
from directory.history_models import DirectoryDraft, DirectoryVersion
from directory.matching import MatchRequest, load_snapshot
from directory.models import Service
from directory.versions import published_record, versions
from staff.accounts import create_account
from staff.directory_admin import (
    NotEditable,
    do_discard_draft,
    do_mark_verified,
    do_publish,
    do_revert,
    do_save_draft,
)
from staff.models import StaffAccount, StaffEvent
from tests.frontdoor.web.directory_support import restore_demo

OWN, OTHER = "org-luton-ca", "org-bristol-law"
SERVICE = "svc-luton-ca-consumer"  # OWN's
OTHER_SERVICE = "svc-bristol-law-housing"
AT = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(db_url)
    factory = make_sessionmaker(engine)
    yield factory
    restore_demo(factory)
    engine.dispose()


def _account(sessions: sessionmaker[Session], role: str, org: str | None) -> StaffAccount:
    with transaction(sessions) as session:
        account = create_account(session, email=f"{uuid.uuid4().hex[:8]}@staff.example.org", name=f"A {role}",
                                 role=role, organization_id=org, password="a long enough password", at=AT)
        session.expunge(account)
        return account


def _edited(session: Session, service_id: str = SERVICE, **extension: Any) -> dict[str, Any]:
    record = published_record(session, "service", service_id)
    assert record is not None
    record["languages"] = [*record["languages"], {"id": f"{service_id}-lang-so", "code": "so", "name": "Somali"}]
    record["x_frontdoor"] = {**record["x_frontdoor"], **extension}
    return record


def _events(session: Session, account: StaffAccount) -> list[str]:
    return list(session.scalars(select(StaffEvent.action).where(StaffEvent.account_id == account.id)
                                .order_by(StaffEvent.seq)))


def _somali_match(session: Session) -> list[str]:
    place = resolve_place("LU1 1AA")
    snapshot = load_snapshot(session)
    return [m.service.id for m in snapshot.match(MatchRequest("consumer", place, "so"), limit=10)
            if "so" in m.service.languages]


def test_an_org_admin_draft_changes_nothing_until_a_network_admin_publishes_it(sessions) -> None:
    org_admin = _account(sessions, "org_admin", OWN)
    network = _account(sessions, "network_admin", None)
    with transaction(sessions) as session:
        draft = do_save_draft(session, org_admin, "service", _edited(session, capacity_per_week=40), at=AT)
        draft_id = draft.id
    with sessions() as session:
        assert SERVICE not in _somali_match(session)  # a draft is never matched
        stored = session.get(Service, SERVICE)
        assert stored is not None and stored.capacity_per_week == 10
        with pytest.raises(NotEditable):  # an org admin cannot publish, not even their own organisation's
            do_publish(session, org_admin, draft_id, at=AT)
    with transaction(sessions) as session:
        version = do_publish(session, network, draft_id, at=AT)
        assert (version.number, version.action, version.drafted_by, version.published_by) == (
            2, "publish", org_admin.id, network.id)
    with sessions() as session:
        assert SERVICE in _somali_match(session)
        stored = session.get(Service, SERVICE)
        assert stored is not None and stored.capacity_per_week == 40 and stored.last_verified_by == network.id
        history = versions(session, "service", SERVICE)
        assert [(v.number, v.action) for v in history] == [(2, "publish"), (1, "baseline")]
        changes = {c.field: (c.before, c.after) for c in diff_records("service", history[1].record, history[0].record)}
        assert changes == {"Weekly capacity": ("10", "40"), "Languages spoken": ("English", "English, Somali")}
        assert session.scalar(select(DirectoryDraft).where(DirectoryDraft.id == draft_id)) is None
        assert _events(session, org_admin)[-1] == "directory_draft_saved"
        assert _events(session, network)[-1] == "directory_published"


def test_a_revert_publishes_the_old_record_as_a_new_version(sessions) -> None:
    network = _account(sessions, "network_admin", None)
    with transaction(sessions) as session:
        draft = do_save_draft(session, network, "service", _edited(session, capacity_per_week=3), at=AT)
        do_publish(session, network, draft.id, at=AT)  # a network admin may publish their own
    with transaction(sessions) as session:
        version = do_revert(session, network, "service", SERVICE, 1, at=AT)
        assert isinstance(version, DirectoryVersion)
        assert (version.number, version.action, version.reverted_to) == (3, "revert", 1)
    with sessions() as session:
        stored = session.get(Service, SERVICE)
        assert stored is not None and stored.capacity_per_week == 10
        assert [lang.code for lang in stored.languages] == ["en"]
        assert SERVICE not in _somali_match(session)
        assert _events(session, network)[-1] == "directory_reverted"


def test_an_org_admin_revert_is_a_draft(sessions) -> None:
    network = _account(sessions, "network_admin", None)
    org_admin = _account(sessions, "org_admin", OWN)
    with transaction(sessions) as session:
        do_publish(session, network, do_save_draft(session, network, "service",
                                                   _edited(session, capacity_per_week=3), at=AT).id, at=AT)
    with transaction(sessions) as session:
        result = do_revert(session, org_admin, "service", SERVICE, 1, at=AT)
        assert isinstance(result, DirectoryDraft)
    with sessions() as session:
        stored = session.get(Service, SERVICE)
        assert stored is not None and stored.capacity_per_week == 3  # still the published version


@pytest.mark.parametrize(("role", "org"), [("org_admin", OTHER), ("adviser", OWN), ("adviser", OTHER)])
def test_out_of_reach_accounts_change_nothing(sessions, role: str, org: str) -> None:
    outsider = _account(sessions, role, org)
    network = _account(sessions, "network_admin", None)
    with transaction(sessions) as session:
        draft_id = do_save_draft(session, network, "service", _edited(session), at=AT).id
    calls = [
        lambda s: do_save_draft(s, outsider, "service", _edited(s), at=AT),
        lambda s: do_publish(s, outsider, draft_id, at=AT),
        lambda s: do_discard_draft(s, outsider, draft_id, at=AT),
        lambda s: do_revert(s, outsider, "service", SERVICE, 1, at=AT),
        lambda s: do_mark_verified(s, outsider, SERVICE, at=AT),
    ]
    for call in calls:
        with pytest.raises(NotEditable), transaction(sessions) as session:
            call(session)
    with sessions() as session:
        assert session.get(DirectoryDraft, draft_id) is not None
        stored = session.get(Service, SERVICE)
        assert stored is not None and stored.last_verified_at is None
        assert _events(session, outsider) == []


def test_a_service_cannot_be_moved_to_another_organisation(sessions) -> None:
    org_admin = _account(sessions, "org_admin", OWN)
    with pytest.raises(NotEditable), transaction(sessions) as session:
        record = _edited(session)
        do_save_draft(session, org_admin, "service", {**record, "organization_id": OTHER}, at=AT)
    with pytest.raises(NotEditable), transaction(sessions) as session:
        do_save_draft(session, org_admin, "service", _edited(session, OTHER_SERVICE), at=AT)


def test_discarding_a_draft_leaves_the_published_record(sessions) -> None:
    org_admin = _account(sessions, "org_admin", OWN)
    with transaction(sessions) as session:
        draft_id = do_save_draft(session, org_admin, "service", _edited(session, capacity_per_week=1), at=AT).id
    with transaction(sessions) as session:
        do_discard_draft(session, org_admin, draft_id, at=AT)
    with sessions() as session:
        assert session.get(DirectoryDraft, draft_id) is None
        stored = session.get(Service, SERVICE)
        assert stored is not None and stored.capacity_per_week == 10
        assert _events(session, org_admin) == ["directory_draft_saved", "directory_draft_discarded"]


def test_organisation_edits_publish_too(sessions) -> None:
    org_admin = _account(sessions, "org_admin", OWN)
    network = _account(sessions, "network_admin", None)
    with transaction(sessions) as session:
        record = published_record(session, "organization", OWN)
        assert record is not None
        draft = do_save_draft(session, org_admin, "organization", {**record, "name": "Lea Valley Advice"}, at=AT)
        do_publish(session, network, draft.id, at=AT)
    with sessions() as session:
        snapshot = load_snapshot(session)
        assert {s.organization_name for s in snapshot.services if s.organization_id == OWN} == {"Lea Valley Advice"}


def test_stale_services_are_listed_until_someone_says_still_correct(sessions) -> None:
    org_admin = _account(sessions, "org_admin", OWN)
    with sessions() as session:
        own = stale_services(session, organization_id=OWN, now=AT, stale_days=180)
        everyone = stale_services(session, organization_id=None, now=AT, stale_days=180)
    assert SERVICE in {s.id for s in own} and {s.organization_id for s in own} == {OWN}
    assert len(everyone) > len(own)
    with transaction(sessions) as session:
        do_mark_verified(session, org_admin, SERVICE, at=AT)
    with sessions() as session:
        assert SERVICE not in {s.id for s in stale_services(session, organization_id=OWN, now=AT, stale_days=180)}
        later = AT + dt.timedelta(days=181)
        assert SERVICE in {s.id for s in stale_services(session, organization_id=OWN, now=later, stale_days=180)}
        assert _events(session, org_admin)[-1] == "directory_verified"
        stored = session.get(Service, SERVICE)
        assert stored is not None and stored.last_verified_by == org_admin.id
