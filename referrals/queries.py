"""Read-only questions other packages ask about referrals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from referrals.models import Referral

__all__ = ["service_usage", "USING_CAPACITY"]

# A referral takes one of its service's weekly places unless the partner declined it or it was withdrawn.
USING_CAPACITY = ("new", "accepted", "contacted", "closed")


def service_usage(session: Session, service_ids: Sequence[str], *, now: dt.datetime,
                  days: int = 90) -> tuple[dict[str, int], dict[str, float]]:
    """For these services only: referrals in the last seven days that use their weekly capacity, and when each
    was last sent a real referral (POSIX seconds; matching puts the least recently referred first among equally
    good partners, so they take turns), in one indexed query over the candidates of one match
    (``ix_referral_service_created``), so matching never works from old counts.
    """
    week_ago, since = now - dt.timedelta(days=7), now - dt.timedelta(days=max(days, 7))
    this_week: dict[str, int] = {}
    last: dict[str, float] = {}
    using = case((and_(Referral.created_at >= week_ago, Referral.status.in_(USING_CAPACITY)), 1), else_=0)
    ids = sorted(set(service_ids))
    for start in range(0, len(ids), _CHUNK):
        rows = session.execute(
            select(Referral.service_id, func.sum(using), func.max(Referral.created_at))
            .where(Referral.service_id.in_(ids[start:start + _CHUNK]), Referral.created_at >= since,
                   Referral.simulated.is_(False))
            .group_by(Referral.service_id)
        ).all()
        for service_id, count, when in rows:
            if count:
                this_week[str(service_id)] = int(count)
            if when is not None:
                last[str(service_id)] = _seconds(when)
    return this_week, last


_CHUNK = 900  # ids per query: well under SQLite's bound parameter limit


def _seconds(when: dt.datetime) -> float:
    """SQLite hands back naive datetimes (stored as UTC); PostgreSQL aware ones."""
    return (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).timestamp()
