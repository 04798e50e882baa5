"""The access matrix: every staff URL and action x every role x own/other organisation (and no sign-in).

An adviser or org admin reaches only their own organisation's records; a
network admin sees queue metadata without client names, contacts or words;
anything out of reach is a 404 that reads exactly like a missing record.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.outbox import Draft, OutboxMessage, enqueue
from core.db import transaction
from core.settings import Settings
from frontdoor.app import create_app
from frontdoor.runtime import Runtime
from referrals.actions import change_status, create_referral, record_consent
from referrals.mail_outbox import MailOutbox, enqueue_mail
from referrals.models import OrganizationSettings, Referral, ReferralMessage
from staff.models import StaffAccount, StaffEvent
from tests.frontdoor.web.staff_support import any_page_csrf, client_for_role, csrf_of, login, make_account
from tests.support import keyword_runtime

OWN = "org-luton-ca"
OTHER = "org-bristol-law"
CLIENT_NAME = "Zebedee Quill"
CLIENT_NUMBER = "+447700900555"
CLIENT_WORDS = "my landlord changed the locks"
ROLES = ("anonymous", "adviser/own", "adviser/other", "org_admin/own", "org_admin/other", "network_admin")


@dataclass
class World:
    runtime: Runtime
    referral_id: str
    adviser_id: str  # an adviser of OWN, the target of deactivation
    dead_id: int
    closable_id: str  # an accepted referral of OWN, overdue against a one-hour target: closed by "close"
    dead_mail_id: int  # a new-referral email to OWN that was given up: sent again by "retry_mail"


def _referral(runtime: Runtime) -> str:
    now = dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)
    with transaction(runtime.sessions) as session:
        consent = record_consent(session, consent_id=None, client_channel="sms", client_address=CLIENT_NUMBER,
                                 organization_id=OWN, granted=True, wording_version="v1",
                                 wording_text="Can I send your details?", language="en", at=now)
        referral = create_referral(session, consent_id=consent.id, at=now, reference=f"FD-{uuid.uuid4().hex[:8]}",
                                   language="en", categories=["housing"], summary=CLIENT_WORDS,
                                   client_name=CLIENT_NAME, organization_id=OWN, service_id="svc-luton-ca-general",
                                   communication_needs={"contact_method": "sms"})
        change_status(session, referral, "accepted", actor="staff:setup", at=now)  # taken on: messages allowed
        return referral.id


@pytest.fixture
def world(db_url: str, clock) -> Iterator[World]:
    with keyword_runtime(Settings(database_url=db_url, outbox_in_app=0), clock) as runtime:
        referral_id = _referral(runtime)
        closable_id = _referral(runtime)
        adviser = make_account(runtime, role="adviser", org=OWN, name="Target Adviser")
        with transaction(runtime.sessions) as session:
            (dead_id,) = enqueue(session, channel="sms", address=CLIENT_NUMBER, key_prefix="matrix",
                                 now=dt.datetime.now(dt.UTC), drafts=[Draft(body="hello", payload={})])
            row = session.get(OutboxMessage, dead_id)
            assert row is not None
            row.status = "dead"
            session.add(OrganizationSettings(organization_id=OWN, first_contact_hours=1,
                                             referral_email="referrals@own.example.org",
                                             updated_at=dt.datetime.now(dt.UTC)))
            dead_mail_id = enqueue_mail(session, key="matrix-mail", kind="new_referral", organization_id=OWN,
                                        referral_id=referral_id, to_address="old@own.example.org",
                                        now=dt.datetime.now(dt.UTC))
            mail = session.get(MailOutbox, dead_mail_id)
            assert mail is not None
            mail.status, mail.attempts = "dead", 8
        yield World(runtime, referral_id, adviser.id, dead_id, closable_id, dead_mail_id)




# (name, method, path template, form). {r}: the referral, {a}: the adviser account, {m}: the dead message,
# {e}: the dead email.
ACTIONS = [
    ("index", "GET", "/staff/", None),
    ("queue", "GET", f"/staff/queue/{OWN}", None),
    ("referral", "GET", "/staff/referral/{r}", None),
    ("status", "POST", "/staff/referral/{r}/status", {"to_status": "contacted"}),
    ("preview", "POST", "/staff/referral/{r}/message", {"body": "Can you call us?", "action": "preview"}),
    ("message", "POST", "/staff/referral/{r}/message", {"body": "Can you call us?", "action": "send"}),
    ("decline", "POST", "/staff/referral/{r}/decline", {"reason": "No housing adviser this month"}),
    ("outbox", "GET", "/staff/outbox", None),
    ("retry", "POST", "/staff/outbox/{m}/retry", {}),
    ("audit", "GET", "/staff/audit", None),
    ("accounts", "GET", "/staff/accounts", None),
    ("add_adviser", "POST", "/staff/accounts",
     {"email": "new.adviser@staff.example.org", "name": "New Adviser", "password": "a long enough password"}),
    ("deactivate", "POST", "/staff/accounts/{a}/deactivate", {}),
    ("password_page", "GET", "/staff/password", None),
    ("close", "POST", "/staff/referral/{c}/close", {"outcome": "advice_given", "note": "rang twice"}),
    ("outcomes", "GET", "/staff/outcomes", None),
    ("settings", "GET", f"/staff/settings/{OWN}", None),
    ("set_target", "POST", f"/staff/settings/{OWN}", {"first_contact_hours": "48", "referral_email": ""}),
    ("overdue", "GET", "/staff/overdue", None),
    ("account", "GET", "/staff/account", None),
    ("reroute", "POST", "/staff/overdue/{r}/reroute", {}),
    ("retry_mail", "POST", "/staff/overdue/mail/{e}/retry", {}),
]

OK, GONE = "ok", "404"
# What each role gets; anonymous: GET -> sign-in redirect, POST -> 401.
EXPECTED: dict[str, dict[str, str]] = {
    "adviser/own": {"index": OK, "queue": OK, "referral": OK, "status": OK, "preview": OK, "message": OK,
                    "decline": OK, "outbox": GONE, "retry": GONE,
                    "audit": GONE, "accounts": GONE, "add_adviser": GONE, "deactivate": GONE,
                    "password_page": OK, "close": OK, "outcomes": GONE, "settings": GONE, "set_target": GONE,
                    "overdue": GONE, "account": OK, "reroute": GONE, "retry_mail": GONE},
    "adviser/other": {"index": OK, "queue": GONE, "referral": GONE, "status": GONE, "preview": GONE,
                      "message": GONE, "decline": GONE, "outbox": GONE, "retry": GONE,
                      "audit": GONE, "accounts": GONE, "add_adviser": GONE, "deactivate": GONE,
                      "password_page": OK, "close": GONE, "outcomes": GONE, "settings": GONE, "set_target": GONE,
                      "overdue": GONE, "account": OK, "reroute": GONE, "retry_mail": GONE},
    "org_admin/own": {"index": OK, "queue": OK, "referral": OK, "status": OK, "preview": OK, "message": OK,
                      "decline": OK, "outbox": GONE, "retry": GONE,
                      "audit": OK, "accounts": OK, "add_adviser": OK, "deactivate": OK, "password_page": OK,
                      "close": OK, "outcomes": OK, "settings": OK, "set_target": OK, "overdue": GONE,
                      "account": OK, "reroute": GONE, "retry_mail": GONE},
    "org_admin/other": {"index": OK, "queue": GONE, "referral": GONE, "status": GONE, "preview": GONE,
                        "message": GONE, "decline": GONE, "outbox": GONE,
                        "retry": GONE, "audit": OK, "accounts": OK, "add_adviser": OK, "deactivate": GONE,
                        "password_page": OK, "close": GONE, "outcomes": OK, "settings": GONE, "set_target": GONE,
                        "overdue": GONE, "account": OK, "reroute": GONE, "retry_mail": GONE},
    "network_admin": {"index": OK, "queue": OK, "referral": GONE, "status": GONE, "preview": GONE,
                      "message": GONE, "decline": GONE, "outbox": OK, "retry": OK,
                      "audit": OK, "accounts": GONE, "add_adviser": GONE, "deactivate": GONE,
                      "password_page": OK, "close": GONE, "outcomes": OK, "settings": OK, "set_target": OK,
                      "overdue": OK, "account": OK, "reroute": OK, "retry_mail": OK},
}
CASES = [(role, action) for role in ROLES for action in ACTIONS]


def _state(world: World) -> tuple[str, bool, str, int, str | None, int | None, int, int, str]:
    """Referral status, target adviser active, dead message status, accounts, the closable referral's outcome,
    the target time, thread messages, outbox rows, the dead email's status."""
    with world.runtime.sessions() as session:
        referral = session.get(Referral, world.referral_id)
        adviser = session.get(StaffAccount, world.adviser_id)
        message = session.get(OutboxMessage, world.dead_id)
        accounts = session.scalar(select(func.count()).select_from(StaffAccount)) or 0
        closable = session.get(Referral, world.closable_id)
        settings = session.get(OrganizationSettings, OWN)
        thread = session.scalar(select(func.count()).select_from(ReferralMessage)) or 0
        outbox = session.scalar(select(func.count()).select_from(OutboxMessage)) or 0
        mail = session.get(MailOutbox, world.dead_mail_id)
        assert referral is not None and adviser is not None and message is not None and closable is not None
        assert mail is not None
        return (referral.status, adviser.active, message.status, accounts, closable.outcome,
                settings.first_contact_hours if settings else None, thread, outbox, mail.status)


def test_the_matrix_covers_every_staff_route() -> None:
    app = create_app(Settings(database_url="sqlite://", outbox_in_app=0))
    routes = {(m.upper(), p) for p, ops in app.openapi()["paths"].items() if p.startswith("/staff") for m in ops}
    covered = {(method, re.sub(r"\{\w\}", "x", path)) for _n, method, path, _f in ACTIONS}
    # sign-in, sign-out, the password change and turning on TOTP (one's own account, no organisation involved)
    # are proved in test_staff_security.py and test_staff_totp.py
    outside = {("GET", "/staff/login"), ("POST", "/staff/login"), ("POST", "/staff/logout"),
               ("POST", "/staff/password"), ("POST", "/staff/account/totp")}
    # the directory admin pages have their own matrix (test_directory_access_matrix.py)
    routes = {(m, p) for m, p in routes if not p.startswith("/staff/directory")}
    normalised = {(m, re.sub(r"\{[^}]+\}", "x", p)) for m, p in routes} - outside
    normalised = {(m, p.replace("/staff/queue/x", f"/staff/queue/{OWN}").replace("/staff/settings/x",
                                                                                 f"/staff/settings/{OWN}"))
                  for m, p in normalised}
    assert normalised == covered


@pytest.mark.parametrize(("role", "action"), CASES, ids=[f"{r}-{a[0]}" for r, a in CASES])
def test_access(world: World, role: str, action: tuple[str, str, str, dict[str, str] | None]) -> None:
    name, method, template, form = action
    path = template.format(r=world.referral_id, a=world.adviser_id, m=world.dead_id, c=world.closable_id,
                           e=world.dead_mail_id)
    with client_for_role(world.runtime, role, own=OWN, other=OTHER) as client:
        before = _state(world)
        if method == "GET":
            response = client.get(path, follow_redirects=False)
        else:
            response = client.post(path, data={**(form or {}), "csrf": any_page_csrf(client)}, follow_redirects=False)
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
        assert after == before  # nothing changed: no status, outcome, setting, thread message or message to the client
    else:
        assert response.status_code in (200, 303), (role, name, response.status_code)
    # names, numbers and words reach only the client's own organisation
    sees_client = role in ("adviser/own", "org_admin/own")
    for secret in (CLIENT_NAME, CLIENT_NUMBER, CLIENT_WORDS):
        if not sees_client:
            assert secret not in response.text, (role, name)
    if expected == OK and sees_client and name in ("queue", "referral"):
        assert CLIENT_NAME in response.text
    if expected == OK and name == "status":
        assert after[0] == "contacted"
    if expected == OK and name == "preview":
        assert after == before and "1 SMS segment" in response.text  # counted, nothing sent
    if expected == OK and name == "message":
        assert after[6] == before[6] + 1 and after[7] == before[7] + 1  # in the thread and in the outbox
    if expected == OK and name == "decline":
        assert after[0] == "declined" and after[7] > before[7]  # the client is told and offered the next service
    if expected == OK and name == "deactivate":
        assert after[1] is False
    if expected == OK and name == "retry":
        assert after[2] == "pending"
    if expected == OK and name == "add_adviser":
        assert after[3] == before[3] + 1
    if expected == OK and name == "close":
        assert after[4] == "advice_given"
    if expected == OK and name == "set_target":
        assert (before[5], after[5]) == (1, 48)
    if expected == OK and name == "reroute":
        assert after[7] > before[7]  # the client is offered the next service (asked consent for it)
    if expected == OK and name == "overdue":
        assert "FD-" in response.text and "Re-route" in response.text  # the overdue referrals, by reference
        assert f"/staff/overdue/mail/{world.dead_mail_id}/retry" in response.text  # the dead email can be sent again
    if expected == OK and name == "retry_mail":
        assert after[8] == "pending"
    if expected == OK and name == "outcomes" and role == "org_admin/other":
        assert "Lea Valley Citizens Advice" not in response.text  # another organisation's counts are not theirs
    if expected == OK and name == "queue" and role == "network_admin":
        assert "Network view" in response.text
    if expected == OK and name == "audit" and role == "org_admin/other":
        assert OWN not in response.text  # another organisation's trail is not theirs to read


def test_views_and_changes_are_audited_with_the_account_id(world: World) -> None:
    account = make_account(world.runtime, role="adviser", org=OWN, name="Audited Adviser")
    with TestClient(create_app(world.runtime.settings, world.runtime)) as client:
        login(client, account)
        page = client.get(f"/staff/referral/{world.referral_id}")
        client.post(f"/staff/referral/{world.referral_id}/status",
                    data={"csrf": csrf_of(page.text), "to_status": "contacted"}, follow_redirects=False)
    with world.runtime.sessions() as session:
        events = list(session.scalars(select(StaffEvent).where(StaffEvent.account_id == account.id)
                                      .order_by(StaffEvent.seq)))
        referral = session.get(Referral, world.referral_id)
        assert referral is not None
        actors = [a.actor for a in referral.audit]
    assert [e.action for e in events] == ["signed_in", "viewed_referral", "changed_status"]
    assert all(e.organization_id == OWN for e in events)
    assert actors[-1] == f"staff:{account.id}"
