"""Helpers for staff tests: make accounts and sign in as them through the real sign-in form."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pyotp
from fastapi.testclient import TestClient

from core.db import transaction
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
