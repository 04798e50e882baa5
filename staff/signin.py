"""Sign-in: password (Argon2id), a TOTP code once the account turned it on, throttling per account and address.

Network admins must turn TOTP on (``/staff/account``) before any other page
opens to them (``frontdoor.web.staff.auth``); from then on, as for anyone who
turned it on, sign-in needs the code.

Per account: ``ACCOUNT_FAILURES`` wrong attempts in a row lock it for
``LOCK_MINUTES`` (audited). Per address: ``ADDRESS_FAILURES`` wrong attempts
within ``LOCK_MINUTES`` refuse further tries from there, whatever the email,
which slows guessing across many accounts. Addresses are stored only as
keyed hashes. The outcome never says whether an email exists.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from staff.accounts import find_by_email
from staff.audit import record_event
from staff.models import SignInAttempt, StaffAccount
from staff.passwords import hash_password, needs_rehash, verify_password
from staff.sessions import aware
from staff.totp import verify_code

__all__ = ["ACCOUNT_FAILURES", "ADDRESS_FAILURES", "LOCK_MINUTES", "SignInResult", "sign_in"]

ACCOUNT_FAILURES = 5
ADDRESS_FAILURES = 20
LOCK_MINUTES = 15

Outcome = Literal["ok", "failed", "locked", "throttled"]


@dataclass(frozen=True)
class SignInResult:
    outcome: Outcome
    account: StaffAccount | None = None


def _address_hash(address: str, key: str) -> str:
    return hmac.new(("frontdoor-staff-address|" + key).encode("utf-8"), address.encode("utf-8"),
                    hashlib.sha256).hexdigest()


def _fail(session: Session, account: StaffAccount | None, address_hash: str, now: dt.datetime,
          why: str) -> SignInResult:
    session.add(SignInAttempt(address_hash=address_hash, at=now))
    org = account.organization_id if account else None
    record_event(session, at=now, account_id=account.id if account else None, action="sign_in_failed",
                 organization_id=org, reason=why)
    if account is not None:
        account.failed_sign_ins += 1
        if account.failed_sign_ins >= ACCOUNT_FAILURES:
            account.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
            account.failed_sign_ins = 0
            record_event(session, at=now, account_id=account.id, action="account_locked", organization_id=org,
                         minutes=LOCK_MINUTES)
    return SignInResult("failed")


def sign_in(session: Session, *, email: str, password: str, code: str, address: str, now: dt.datetime,
            address_key: str = "") -> SignInResult:
    """Check one sign-in attempt inside the caller's transaction (which must commit even on failure)."""
    window_start = now - dt.timedelta(minutes=LOCK_MINUTES)
    session.execute(delete(SignInAttempt).where(SignInAttempt.at < window_start))
    address_hash = _address_hash(address, address_key)
    recent = session.scalar(select(func.count()).select_from(SignInAttempt).where(
        SignInAttempt.address_hash == address_hash, SignInAttempt.at >= window_start)) or 0
    if recent >= ADDRESS_FAILURES:
        record_event(session, at=now, account_id=None, action="sign_in_throttled")
        return SignInResult("throttled")
    # Locked: concurrent wrong passwords for one account each count (an unlocked read-then-write lost all but
    # one on PostgreSQL, so parallel guesses went past the lockout), and each sees a lock the others set.
    account = find_by_email(session, email, lock=True)
    if account is not None and account.locked_until is not None and aware(account.locked_until) > now:
        record_event(session, at=now, account_id=account.id, action="sign_in_while_locked",
                     organization_id=account.organization_id)
        return SignInResult("locked")
    if not verify_password(account.password_hash if account else None, password) or account is None:
        return _fail(session, account, address_hash, now, "password")
    if not account.active:
        return _fail(session, account, address_hash, now, "inactive")
    if account.totp_enabled_at is not None and not verify_code(account.totp_secret, code, at=now):
        return _fail(session, account, address_hash, now, "second_factor")
    account.failed_sign_ins, account.locked_until = 0, None
    if needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    record_event(session, at=now, account_id=account.id, action="signed_in", organization_id=account.organization_id)
    return SignInResult("ok", account)
