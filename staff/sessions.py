"""Server-side staff sessions: a random token in the cookie, its SHA-256 in the table.

Why a table: ending a session must take effect at once (sign-out, password
change, deactivation), which a self-contained signed cookie cannot do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from staff.models import StaffAccount, StaffSession

__all__ = ["SESSION_HOURS", "SignedIn", "aware", "csrf_ok", "end_all_sessions", "end_session", "open_session",
           "read_session"]

SESSION_HOURS = 12  # one working day; then sign in again


@dataclass(frozen=True)
class SignedIn:
    """The account behind a live session, and that session's CSRF token."""

    account: StaffAccount
    csrf: str
    token_hash: str

    @property
    def actor(self) -> str:
        """The audit actor on referral rows: an account id, never a typed name."""
        return f"staff:{self.account.id}"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(session: Session, account: StaffAccount, *, now: dt.datetime) -> str:
    """Start a session; returns the cookie token (shown once, stored only as a hash)."""
    token = secrets.token_urlsafe(32)
    session.execute(delete(StaffSession).where(StaffSession.expires_at <= now))  # tidy: expired rows serve no one
    session.add(StaffSession(token_hash=_hash(token), account_id=account.id, csrf=secrets.token_urlsafe(32),
                             created_at=now, expires_at=now + dt.timedelta(hours=SESSION_HOURS)))
    return token


def aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)  # SQLite returns naive UTC


def read_session(session: Session, token: str | None, *, now: dt.datetime) -> SignedIn | None:
    """The live session for a cookie token; None when missing, unknown, expired or the account is inactive."""
    if not token or len(token) > 200:
        return None
    row = session.execute(
        select(StaffSession, StaffAccount).join(StaffAccount, StaffAccount.id == StaffSession.account_id)
        .where(StaffSession.token_hash == _hash(token))
    ).first()
    if row is None:
        return None
    staff_session, account = row
    if not account.active or aware(staff_session.expires_at) <= now:
        return None
    return SignedIn(account=account, csrf=staff_session.csrf, token_hash=staff_session.token_hash)


def end_session(session: Session, token_hash: str) -> None:
    session.execute(delete(StaffSession).where(StaffSession.token_hash == token_hash))


def end_all_sessions(session: Session, account_id: str) -> None:
    session.execute(delete(StaffSession).where(StaffSession.account_id == account_id))


def csrf_ok(who: SignedIn, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(who.csrf.encode("utf-8"), (given or "").encode("utf-8"))
