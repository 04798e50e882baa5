"""The staff audit trail: every sign-in, lockout, account change, view of a client record and change.

The actor is always an account id, never a name someone typed. Nothing here
holds a password, a session token, or a client's words.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from staff.models import StaffEvent

__all__ = ["AUDIT_LIMIT", "record_event", "recent_events"]

AUDIT_LIMIT = 500


def record_event(session: Session, *, at: dt.datetime, account_id: str | None, action: str,
                 organization_id: str | None = None, referral_id: str | None = None, **detail: Any) -> None:
    session.add(StaffEvent(at=at, account_id=account_id, organization_id=organization_id, action=action,
                           referral_id=referral_id, detail=detail))


def recent_events(session: Session, *, organization_id: str | None, limit: int = AUDIT_LIMIT) -> list[StaffEvent]:
    """Newest first; one organisation's events, or (``None``) the whole network's."""
    query = select(StaffEvent).order_by(StaffEvent.seq.desc()).limit(limit)
    if organization_id is not None:
        query = query.where(StaffEvent.organization_id == organization_id)
    return list(session.scalars(query))
