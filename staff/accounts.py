"""Creating and managing staff accounts: one verb each, each audited, each ending sessions when it must."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.text import MAX_STAFF_NAME_CHARS
from directory.models import Organization
from staff.audit import record_event
from staff.models import ROLES, StaffAccount
from staff.passwords import hash_password
from staff.sessions import end_all_sessions
from staff.totp import new_secret

__all__ = ["AccountError", "change_password", "create_account", "deactivate", "find_by_email", "list_accounts",
           "normalise_email", "reset_password"]


class AccountError(ValueError):
    """An account change that is not allowed (unknown role, missing organisation, duplicate email...)."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _storable_email(address: str) -> bool:
    """What :func:`create_account` admits. Anything else names no account, and is not sent to the database:
    PostgreSQL refuses a NUL in a query parameter outright (a 500 where SQLite simply finds nothing)."""
    return "@" in address and len(address) <= 254 and address.isprintable()


def find_by_email(session: Session, email: str, *, lock: bool = False) -> StaffAccount | None:
    """The account with this email, or None; ``lock`` holds its row until the transaction ends (PostgreSQL)."""
    address = normalise_email(email)
    if not _storable_email(address):
        return None
    query = select(StaffAccount).where(StaffAccount.email == address)
    return session.scalar(query.with_for_update() if lock else query)


def create_account(session: Session, *, email: str, name: str, role: str, organization_id: str | None,
                   password: str, at: dt.datetime, by: str | None = None) -> StaffAccount:
    """A new active account; network admins get a TOTP secret (they must use a second factor)."""
    address = normalise_email(email)
    clean_name = " ".join(name.split())[:MAX_STAFF_NAME_CHARS]
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if not _storable_email(address):
        raise AccountError("email must be an email address")
    if not clean_name:
        raise AccountError("name is needed")
    if role == "network_admin":
        if organization_id:
            raise AccountError("a network admin belongs to no one organisation")
    elif not organization_id:
        raise AccountError(f"an {role} needs --org ORGANIZATION_ID")
    elif session.get(Organization, organization_id) is None:
        raise AccountError(f"no organisation {organization_id!r} in the directory")
    if find_by_email(session, address) is not None:
        raise AccountError("an account with this email exists")
    account = StaffAccount(
        id=str(uuid.uuid4()), email=address, name=clean_name, role=role, organization_id=organization_id or None,
        password_hash=hash_password(password), totp_secret=new_secret() if role == "network_admin" else None,
        active=True, failed_sign_ins=0, created_at=at, password_changed_at=at,
    )
    session.add(account)
    session.flush()
    record_event(session, at=at, account_id=by, action="account_created", organization_id=account.organization_id,
                 target=account.id, role=role)
    return account


def list_accounts(session: Session, organization_id: str | None = None) -> list[StaffAccount]:
    query = select(StaffAccount).order_by(func.lower(StaffAccount.name), StaffAccount.email)
    if organization_id is not None:
        query = query.where(StaffAccount.organization_id == organization_id)
    return list(session.scalars(query))


def deactivate(session: Session, account: StaffAccount, *, at: dt.datetime, by: str | None = None) -> None:
    """No more sign-ins, and every open session ends now."""
    account.active = False
    end_all_sessions(session, account.id)
    record_event(session, at=at, account_id=by, action="account_deactivated",
                 organization_id=account.organization_id, target=account.id)


def reset_password(session: Session, account: StaffAccount, password: str, *, at: dt.datetime,
                   by: str | None = None) -> None:
    """Set a new password (and lift a lockout); every open session ends now."""
    account.password_hash = hash_password(password)
    account.password_changed_at, account.failed_sign_ins, account.locked_until = at, 0, None
    end_all_sessions(session, account.id)
    record_event(session, at=at, account_id=by, action="password_reset", organization_id=account.organization_id,
                 target=account.id)


def change_password(session: Session, account: StaffAccount, password: str, *, at: dt.datetime) -> None:
    """The account holder's own change: ends every session, the caller opens a fresh one."""
    account.password_hash = hash_password(password)
    account.password_changed_at = at
    end_all_sessions(session, account.id)
    record_event(session, at=at, account_id=account.id, action="password_changed",
                 organization_id=account.organization_id)
