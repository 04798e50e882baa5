"""Helpers for staff tests: make accounts and sign in as them through the real sign-in form."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pyotp
from fastapi.testclient import TestClient

from core.db import transaction
from frontdoor.app import create_app
from frontdoor.runtime import Runtime
from staff.accounts import create_account
from staff.models import StaffAccount

PASSWORD = "correct horse battery staple"


def make_account(runtime: Runtime, *, role: str, org: str | None, name: str = "Test person",
                 email: str | None = None, password: str = PASSWORD) -> StaffAccount:
    with transaction(runtime.sessions) as session:
        return create_account(session, email=email or f"{uuid.uuid4().hex[:10]}@staff.example.org", name=name,
                              role=role, organization_id=org, password=password, at=dt.datetime.now(dt.UTC))


def login(client: TestClient, account: StaffAccount, password: str = PASSWORD) -> None:
    """Sign in through the form; a network admin's first sign-in also turns on TOTP (as the gate demands)."""
    code = pyotp.TOTP(account.totp_secret).now() if account.totp_secret else ""
    response = client.post("/staff/login", data={"email": account.email, "password": password, "code": code},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    if response.headers["location"] == "/staff/account" and account.role == "network_admin":
        enrol_totp(client, account)


def enrol_totp(client: TestClient, account: StaffAccount) -> str:
    """Turn on TOTP on /staff/account with the secret the page shows; returns (and keeps) that secret."""
    page = client.get("/staff/account")
    match = re.search(r"secret=([A-Z2-7]+)", page.text)
    assert match is not None, "the account page shows no otpauth URI"
    secret = match.group(1)
    response = client.post("/staff/account/totp", data={"csrf": csrf_of(page.text), "code": pyotp.TOTP(secret).now()},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    account.totp_secret = secret
    return secret


def make_and_sign_in(client: TestClient, runtime: Runtime, *, name: str, role: str, org: str | None) -> str:
    account = make_account(runtime, role=role, org=org, name=name)
    login(client, account)
    return account.id


def csrf_of(page: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', page)
    assert match is not None, "the page has no CSRF field"
    return match.group(1)


@contextmanager
def client_for_role(runtime: Runtime, role: str, *, own: str, other: str) -> Iterator[TestClient]:
    """A client signed in as an access-matrix role: ``anonymous``, ``network_admin``, or ``KIND/own`` or
    ``KIND/other`` (an adviser or org admin of ``own`` or of ``other``)."""
    with TestClient(create_app(runtime.settings, runtime)) as client:
        if role != "anonymous":
            kind, _, where = role.partition("/")
            org = None if kind == "network_admin" else (own if where == "own" else other)
            login(client, make_account(runtime, role=kind, org=org, name=f"Matrix {role}"))
        yield client


def any_page_csrf(client: TestClient) -> str:
    """The CSRF token of this client's session, or "none" when it has no session to have one."""
    page = client.get("/staff/password", follow_redirects=False)
    return csrf_of(page.text) if page.status_code == 200 else "none"
