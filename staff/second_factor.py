"""Turning on the TOTP second factor: offer a secret, then require it once a code proves the app has it.

Why two steps: a secret is only useful once the holder's authenticator app
has it; requiring it before a code proves that would lock them out. Network
admins must finish this before anything else opens to them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from staff.audit import record_event
from staff.models import StaffAccount
from staff.sessions import end_all_sessions
from staff.totp import new_secret, verify_code

__all__ = ["confirm_totp", "must_enrol", "offer_totp", "totp_on"]


def totp_on(account: StaffAccount) -> bool:
    return account.totp_enabled_at is not None and bool(account.totp_secret)


def must_enrol(account: StaffAccount) -> bool:
    """A network admin without a working second factor sees nothing but the enrolment page."""
    return account.role == "network_admin" and not totp_on(account)


def offer_totp(session: Session, account: StaffAccount) -> str:
    """The secret to add to an authenticator app (made now if the account has none); not required yet."""
    if account.totp_secret is None:
        account.totp_secret = new_secret()
    return account.totp_secret


def confirm_totp(session: Session, account: StaffAccount, code: str, *, at: dt.datetime) -> bool:
    """Turn the second factor on if ``code`` matches the offered secret; other sessions end (audited)."""
    if totp_on(account) or not verify_code(account.totp_secret, code, at=at):
        return False
    account.totp_enabled_at = at
    end_all_sessions(session, account.id)
    record_event(session, at=at, account_id=account.id, action="totp_enabled", organization_id=account.organization_id)
    return True
