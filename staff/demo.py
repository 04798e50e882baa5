"""Demo staff for ``make run``: one adviser per demo core partner and one network admin.

Passwords are random and go to a file readable only by its owner, never to the
terminal or the logs.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.models import Organization, Service
from staff.accounts import create_account
from staff.models import StaffAccount
from staff.totp import provisioning_uri

__all__ = ["DemoAccount", "create_demo_staff", "write_demo_file"]


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    role: str
    organization: str | None
    totp_secret: str | None


def create_demo_staff(session: Session, *, at: dt.datetime) -> list[DemoAccount]:
    """Accounts for the demo directory; nothing when any staff account exists already."""
    if session.scalar(select(func.count()).select_from(StaffAccount)):
        return []
    orgs = session.execute(
        select(Organization.id, Organization.name).where(
            Organization.is_demo.is_(True),
            Organization.id.in_(select(Service.organization_id).where(Service.accepts_referrals.is_(True))),
        ).order_by(Organization.id)
    ).all()
    made: list[DemoAccount] = []
    for org_id, org_name in orgs:
        password = secrets.token_urlsafe(15)
        email = f"adviser@{org_id.removeprefix('org-')}.example.org"
        create_account(session, email=email, name=f"Demo adviser, {org_name}"[:100], role="adviser",
                       organization_id=org_id, password=password, at=at)
        made.append(DemoAccount(email, password, "adviser", org_id, None))
    password = secrets.token_urlsafe(15)
    admin = create_account(session, email="network-admin@frontdoor.example.org", name="Demo network admin",
                           role="network_admin", organization_id=None, password=password, at=at)
    made.append(DemoAccount(admin.email, password, "network_admin", None, admin.totp_secret))
    return made


def write_demo_file(path: Path, accounts: list[DemoAccount]) -> None:
    """Write the sign-ins (mode 600, created that way so no other user ever can read it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# Frontdoor demo staff sign-ins (demo data only). Sign in at /staff/login", ""]
    for a in accounts:
        lines.append(f"{a.role}\t{a.organization or '(whole network)'}\t{a.email}\t{a.password}")
        if a.totp_secret:
            lines.append(f"\tone-time codes: add to an authenticator app, then type a code at /staff/account on first "
                         f"sign-in: {provisioning_uri(a.totp_secret, a.email)}")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    os.chmod(path, 0o600)
