"""Read-only questions other packages ask about referrals."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from referrals.models import Referral

__all__ = ["referrals_this_week", "USING_CAPACITY"]

# A referral takes one of its service's weekly places unless the partner declined it or it was withdrawn.
USING_CAPACITY = ("new", "accepted", "contacted", "closed")


def referrals_this_week(session: Session, *, now: dt.datetime) -> dict[str, int]:
    """Service id -> referrals in the last seven days that use the service's weekly capacity."""
    week_ago = now - dt.timedelta(days=7)
    rows = session.execute(
        select(Referral.service_id, func.count())
        .where(Referral.created_at >= week_ago, Referral.status.in_(USING_CAPACITY), Referral.simulated.is_(False))
        .group_by(Referral.service_id)
    ).all()
    return {str(service_id): int(count) for service_id, count in rows}
