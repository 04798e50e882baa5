"""Staff pages for outcomes, service levels and two-step sign-in; CSRF on their forms; clean logs."""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from core.db import transaction
from frontdoor.runtime import Runtime
from frontdoor.web.staff.auth import COOKIE_NAME
from referrals.actions import change_status, create_referral, record_consent
from referrals.mail_outbox import MailOutbox
from referrals.models import OrganizationSettings, Referral
from staff.models import StaffAccount
from tests.frontdoor.web.staff_support import PASSWORD, csrf_of, enrol_totp, login, make_account

ORG = "org-luton-ca"
NAME = "Zebedee Quill"


def _referral(runtime: Runtime, *, hours_ago: float = 0, accepted: bool = True) -> str:
    at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours_ago)
    with transaction(runtime.sessions) as session:
        consent = record_consent(session, consent_id=None, client_channel="sms", client_address="+447700900555",
                                 organization_id=ORG, granted=True, wording_version="v1", wording_text="May I?",
                                 language="cy", at=at)
        referral = create_referral(session, consent_id=consent.id, at=at, reference=f"FD-{uuid.uuid4().hex[:8]}",
                                   language="cy", categories=["housing"], summary="locks changed", client_name=NAME,
                                   organization_id=ORG, service_id="svc-luton-ca-general")
        if accepted:
            change_status(session, referral, "accepted", actor="test", at=at)
        return referral.id


def _login_code(client: TestClient, account: StaffAccount, code: str = "") -> int:
    response = client.post("/staff/login", data={"email": account.email, "password": PASSWORD, "code": code},
                           follow_redirects=False)
    return response.status_code


def test_an_adviser_closes_with_one_outcome_from_the_shared_framework(client: TestClient, runtime: Runtime) -> None:
    referral_id = _referral(runtime)
    login(client, make_account(runtime, role="adviser", org=ORG))
    page = client.get(f"/staff/referral/{referral_id}")
    assert page.text.count('name="outcome"') == 7 and "Client did not respond" in page.text
    assert 'value="closed"' not in page.text  # a plain status change cannot close
    refused = client.post(f"/staff/referral/{referral_id}/close", data={"csrf": csrf_of(page.text), "outcome": ""})
    assert refused.status_code == 409 and "Not closed: unknown outcome" in refused.text
    response = client.post(f"/staff/referral/{referral_id}/close",
                           data={"csrf": csrf_of(page.text), "outcome": "referred_on", "note": "to the law centre"},
                           follow_redirects=False)
    assert response.status_code == 303
    shown = client.get(response.headers["location"]).text
    assert "<dt>Outcome</dt><dd>Referred on</dd>" in shown and "to the law centre" in shown
    assert "Close referral" not in shown
    with runtime.sessions() as session:
        row = session.get(Referral, referral_id)
        assert row is not None and (row.status, row.outcome) == ("closed", "referred_on")


def test_org_admin_sets_the_target_and_the_queue_flags_overdue(client: TestClient, runtime: Runtime) -> None:
    late = _referral(runtime, hours_ago=30, accepted=False)
    _referral(runtime, hours_ago=1, accepted=False)
    login(client, make_account(runtime, role="org_admin", org=ORG))
    queue = client.get(f"/staff/queue/{ORG}").text
    assert "No target time to first contact is set." in queue and "flag overdue" not in queue
    form = client.get(f"/staff/settings/{ORG}")
    assert '<label for="first_contact_hours">' in form.text
    bad = client.post(f"/staff/settings/{ORG}", data={"csrf": csrf_of(form.text), "first_contact_hours": "two"})
    assert bad.status_code == 400 and "whole number" in bad.text
    saved = client.post(f"/staff/settings/{ORG}", data={"csrf": csrf_of(form.text), "first_contact_hours": "24",
                                                        "referral_email": "intake@lea-valley.example.org"})
    assert saved.status_code == 200 and "Saved." in saved.text  # (followed the redirect)
    queue = client.get(f"/staff/queue/{ORG}").text
    assert "Target time to first contact: 24 hours" in queue
    assert queue.count('class="flag overdue"') == 1
    row = re.search(r"<tr[^>]*>.*?</tr>", queue[queue.index("<tbody>"):], re.S)
    assert row is not None and "Overdue" in row.group(0)  # the late one (oldest) carries the flag
    with runtime.sessions() as session:
        settings = session.get(OrganizationSettings, ORG)
        assert settings is not None and settings.first_contact_hours == 24
    assert late


def test_network_admin_must_enrol_totp_before_anything_else(client: TestClient, runtime: Runtime) -> None:
    admin = make_account(runtime, role="network_admin", org=None)
    response = client.post("/staff/login", data={"email": admin.email, "password": PASSWORD},
                           follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/staff/account"
    for path in ("/staff/", "/staff/overdue", "/staff/outbox", "/staff/outcomes", "/staff/audit"):
        gate = client.get(path, follow_redirects=False)
        assert gate.status_code == 303 and gate.headers["location"] == "/staff/account", path
    page = client.get("/staff/account")
    assert "must turn on two-step sign-in" in page.text and "otpauth://totp/" in page.text
    assert "<script" not in page.text
    blocked = client.post(f"/staff/settings/{ORG}", data={"csrf": csrf_of(page.text), "first_contact_hours": "5"})
    assert blocked.status_code == 403
    wrong = client.post("/staff/account/totp", data={"csrf": csrf_of(page.text), "code": "000000"})
    assert wrong.status_code == 400 and "did not match" in wrong.text
    secret = enrol_totp(client, admin)
    assert client.get("/staff/overdue", follow_redirects=False).status_code == 200
    assert secret.replace(" ", "") not in client.get("/staff/account").text.replace(" ", "")  # never shown again
    client.cookies.clear()
    assert _login_code(client, admin) == 401  # from now on the code is needed
    assert _login_code(client, admin, "000000") == 401
    assert _login_code(client, admin, pyotp.TOTP(secret).now()) == 303
    with runtime.sessions() as session:
        stored = session.get(StaffAccount, admin.id)
        assert stored is not None and stored.totp_enabled_at is not None


def test_an_adviser_may_turn_on_totp_and_then_needs_it(client: TestClient, runtime: Runtime) -> None:
    adviser = make_account(runtime, role="adviser", org=ORG)
    login(client, adviser)
    secret = enrol_totp(client, adviser)
    assert "Two-step sign-in is on" in client.get("/staff/account").text
    client.cookies.clear()
    assert _login_code(client, adviser) == 401
    assert _login_code(client, adviser, pyotp.TOTP(secret).now()) == 303


def test_missing_or_wrong_csrf_is_refused_on_every_new_form(client: TestClient, runtime: Runtime) -> None:
    referral_id = _referral(runtime)
    admin = make_account(runtime, role="org_admin", org=ORG)
    login(client, admin)
    good = csrf_of(client.get("/staff/account").text)
    forms = [(f"/staff/referral/{referral_id}/close", {"outcome": "resolved"}),
             (f"/staff/settings/{ORG}", {"first_contact_hours": "3"}),
             ("/staff/account/totp", {"code": "123456"})]
    for path, data in forms:
        for csrf in (None, "", good[:-1] + ("A" if good[-1] != "A" else "B")):
            sent = data if csrf is None else {**data, "csrf": csrf}
            response = client.post(path, data=sent, follow_redirects=False)
            assert response.status_code == 403, (path, csrf)
    with runtime.sessions() as session:
        row = session.get(Referral, referral_id)
        account = session.get(StaffAccount, admin.id)
        assert row is not None and row.outcome is None and session.get(OrganizationSettings, ORG) is None
        assert account is not None and account.totp_enabled_at is None


def test_no_password_totp_secret_code_or_session_id_in_any_log(client: TestClient, runtime: Runtime,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    referral_id = _referral(runtime)
    admin = make_account(runtime, role="org_admin", org=ORG)
    with caplog.at_level(logging.DEBUG):
        login(client, admin)
        token = client.cookies.get(COOKIE_NAME)
        secret = enrol_totp(client, admin)
        page = client.get(f"/staff/referral/{referral_id}")
        client.post(f"/staff/referral/{referral_id}/close", data={"csrf": csrf_of(page.text), "outcome": "resolved",
                                                                  "note": "sorted for Zebedee"})
        client.post(f"/staff/settings/{ORG}", data={"csrf": csrf_of(page.text), "first_contact_hours": "8"})
        client.cookies.clear()
        code = pyotp.TOTP(secret).now()
        _login_code(client, admin, code)
        second_token = client.cookies.get(COOKIE_NAME)
    everything = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "staff second factor turned on" in everything and "referral closed by staff" in everything
    assert token and second_token
    for hidden in (PASSWORD, secret, token, second_token, csrf_of(page.text), admin.email, NAME, "sorted for Zebedee"):
        assert hidden not in everything
    with runtime.sessions() as session:
        events = session.scalars(select(StaffAccount.totp_secret)).all()
    assert secret in events  # (it is stored, for verifying codes; just never logged)


def test_network_admin_sees_overdue_referrals_and_failed_partner_emails_without_client_details(
        client: TestClient, runtime: Runtime) -> None:
    late = _referral(runtime, hours_ago=10, accepted=False)
    with transaction(runtime.sessions) as session:
        session.add(OrganizationSettings(organization_id=ORG, first_contact_hours=2,
                                         updated_at=dt.datetime.now(dt.UTC)))
        row = session.scalar(select(MailOutbox).where(MailOutbox.referral_id == late))
        assert row is not None  # queued with the referral
        row.status, row.attempts, row.error = "dead", 10, "smtp:451"
    login(client, make_account(runtime, role="network_admin", org=None))
    page = client.get("/staff/overdue").text
    with runtime.sessions() as session:
        referral = session.get(Referral, late)
        assert referral is not None
    assert referral.reference in page and "Lea Valley Citizens Advice" in page and "smtp:451" in page
    assert f'action="/staff/overdue/{late}/reroute"' in page
    for hidden in (NAME, "+447700900555", "locks changed", "example.org"):
        assert hidden not in page
