"""The directory admin access matrix: every /staff/directory/ route x every role x own/other organisation.

Org admins edit their own organisation's records (drafts only); network admins
edit and publish everything; advisers have no directory pages. Out of reach is a
404 that reads exactly like a missing record, and changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from core.db import transaction
from core.settings import Settings
from directory.history_models import DirectoryDraft, DirectoryVersion
from directory.models import Organization, Service
from directory.versions import published_record
from frontdoor.app import create_app
from frontdoor.runtime import Runtime
from staff.directory_admin import do_publish, do_save_draft
from tests.frontdoor.web.directory_support import org_form, restore_demo, service_form
from tests.frontdoor.web.staff_support import any_page_csrf, client_for_role, make_account
from tests.support import keyword_runtime

OWN = "org-luton-ca"
OTHER = "org-bristol-law"
SERVICE = "svc-luton-ca-consumer"
ROLES = ("anonymous", "adviser/own", "adviser/other", "org_admin/own", "org_admin/other", "network_admin")


@dataclass
class World:
    runtime: Runtime
    draft_id: int  # a draft of SERVICE: capacity 41
    service_form: dict[str, list[str]]  # SERVICE as published, with capacity 55
    org_form: dict[str, list[str]]


@pytest.fixture
def world(db_url: str, clock) -> Iterator[World]:
    with keyword_runtime(Settings(database_url=db_url, outbox_in_app=0), clock) as runtime:
        network = make_account(runtime, role="network_admin", org=None, name="Setup Admin")
        now = clock()
        with transaction(runtime.sessions) as session:  # versions 1 and 2 of the service and the organisation
            service = published_record(session, "service", SERVICE)
            org = published_record(session, "organization", OWN)
            assert service is not None and org is not None
            for kind, record in (("service", {**service, "x_frontdoor": {**service["x_frontdoor"],
                                                                         "capacity_per_week": 30}}),
                                 ("organization", {**org, "name": "Lea Valley Advice"})):
                do_publish(session, network, do_save_draft(session, network, kind, record, at=now).id, at=now)
            draft = do_save_draft(session, network, "service", {
                **service, "x_frontdoor": {**service["x_frontdoor"], "capacity_per_week": 41}}, at=now)
            draft_id = draft.id
            current = published_record(session, "service", SERVICE)
            current_org = published_record(session, "organization", OWN)
            assert current is not None and current_org is not None
        form = service_form(current)
        form["capacity_per_week"] = ["55"]
        try:
            yield World(runtime, draft_id, form, org_form(current_org))
        finally:
            restore_demo(runtime.sessions)




# (name, method, path template, form key). {d}: the draft.
ACTIONS = [
    ("index", "GET", "/staff/directory/", None),
    ("edit_org", "GET", f"/staff/directory/organization/{OWN}", None),
    ("save_org", "POST", f"/staff/directory/organization/{OWN}", "org"),
    ("edit_service", "GET", f"/staff/directory/service/{SERVICE}", None),
    ("save_service", "POST", f"/staff/directory/service/{SERVICE}", "service"),
    ("verify", "POST", f"/staff/directory/service/{SERVICE}/verify", None),
    ("review", "GET", "/staff/directory/draft/{d}", None),
    ("publish", "POST", "/staff/directory/draft/{d}/publish", None),
    ("discard", "POST", "/staff/directory/draft/{d}/discard", None),
    ("history_org", "GET", f"/staff/directory/history/organization/{OWN}", None),
    ("revert_org", "POST", f"/staff/directory/history/organization/{OWN}/revert/1", None),
    ("history_service", "GET", f"/staff/directory/history/service/{SERVICE}", None),
    ("revert_service", "POST", f"/staff/directory/history/service/{SERVICE}/revert/1", None),
]
OK, GONE = "ok", "404"
_ALL = [name for name, *_ in ACTIONS]
EXPECTED: dict[str, dict[str, str]] = {
    "adviser/own": dict.fromkeys(_ALL, GONE),
    "adviser/other": dict.fromkeys(_ALL, GONE),
    "org_admin/own": {**dict.fromkeys(_ALL, OK), "publish": GONE},
    "org_admin/other": {**dict.fromkeys(_ALL, GONE), "index": OK},
    "network_admin": dict.fromkeys(_ALL, OK),
}
CASES = [(role, action) for role in ROLES for action in ACTIONS]


@dataclass(frozen=True)
class State:
    capacity: int | None
    org_name: str
    verified_by: str | None
    drafts: tuple[tuple[str, int | None], ...]  # (record id, capacity or name length) of each draft
    versions: int


def _state(world: World) -> State:
    with world.runtime.sessions() as session:
        service = session.get(Service, SERVICE)
        org = session.get(Organization, OWN)
        assert service is not None and org is not None
        drafts = tuple(sorted((d.record_id, d.record.get("x_frontdoor", {}).get("capacity_per_week"))
                              for d in session.scalars(select(DirectoryDraft))))
        count = session.scalar(select(func.count()).select_from(DirectoryVersion)) or 0
        return State(service.capacity_per_week, org.name, service.last_verified_by, drafts, count)


def test_the_matrix_covers_every_directory_route() -> None:
    app = create_app(Settings(database_url="sqlite://", outbox_in_app=0))
    routes = {(m.upper(), re.sub(r"\{[^}]+\}", "x", p)) for p, ops in app.openapi()["paths"].items()
              if p.startswith("/staff/directory") for m in ops}
    covered = {(method, re.sub(r"/(org-luton-ca|svc-luton-ca-consumer|\{d\}|1)(?=/|$)", "/x", path))
               for _n, method, path, _f in ACTIONS}
    assert routes == covered


@pytest.mark.parametrize(("role", "action"), CASES, ids=[f"{r}-{a[0]}" for r, a in CASES])
def test_access(world: World, role: str, action: tuple[str, str, str, str | None]) -> None:
    name, method, template, form_key = action
    path = template.format(d=world.draft_id)
    form = {"service": world.service_form, "org": world.org_form}.get(form_key or "", {})
    with client_for_role(world.runtime, role, own=OWN, other=OTHER) as client:
        before = _state(world)
        if method == "GET":
            response = client.get(path, follow_redirects=False)
        else:
            response = client.post(path, data={**form, "csrf": [any_page_csrf(client)]}, follow_redirects=False)
        after = _state(world)
    if role == "anonymous":
        if method == "GET":
            assert response.status_code == 303 and response.headers["location"].startswith("/staff/login?next=")
        else:
            assert response.status_code == 401
        assert after == before
        return
    expected = EXPECTED[role][name]
    if expected == GONE:
        assert response.status_code == 404, (role, name, response.status_code)
        assert "There is no such" in response.text
        assert after == before
        return
    assert response.status_code in (200, 303), (role, name, response.status_code, response.text[:2000])
    if method == "GET":
        assert "There is no such" not in response.text
        if name == "index" and role == "org_admin/other":
            assert "Consumer, energy and scams advice" not in response.text  # another organisation's service
        return
    publishes = role == "network_admin"
    if name == "save_service":
        assert (SERVICE, 55) in after.drafts and after.capacity == before.capacity
    elif name == "save_org":
        assert any(record_id == OWN for record_id, _ in after.drafts) and after.org_name == before.org_name
    elif name == "verify":
        assert after.verified_by != before.verified_by and after.capacity == before.capacity
    elif name == "publish":
        assert after.capacity == 41 and after.drafts == () and after.versions == before.versions + 1
    elif name == "discard":
        assert after.drafts == () and after.capacity == before.capacity
    elif name == "revert_service":
        if publishes:
            assert after.capacity == 10 and after.versions == before.versions + 1
        else:  # an org admin's revert waits for review
            assert after.capacity == before.capacity and (SERVICE, 10) in after.drafts
    elif name == "revert_org":
        if publishes:
            assert after.org_name != "Lea Valley Advice" and after.versions == before.versions + 1
        else:
            assert after.org_name == "Lea Valley Advice" and any(r == OWN for r, _ in after.drafts)
