"""Which services nobody has confirmed lately, and confirming one ("still correct").

A service is stale when it was never verified here or was last verified more
than ``stale_days`` ago; publishing a service counts as verifying it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from directory.models import Organization, Service

__all__ = ["StaleService", "mark_verified", "stale_services"]


@dataclass(frozen=True)
class StaleService:
    id: str
    name: str
    organization_id: str
    organization_name: str
    last_verified_at: dt.datetime | None


def stale_services(session: Session, *, organization_id: str | None, now: dt.datetime,
                   stale_days: int) -> list[StaleService]:
    """Active services not verified for ``stale_days`` (never-verified first), one organisation's or all."""
    cutoff = now - dt.timedelta(days=stale_days)
    query = (select(Service.id, Service.name, Organization.id, Organization.name, Service.last_verified_at)
             .join(Service.organization)
             .where(Service.status == "active", Organization.status == "active",
                    or_(Service.last_verified_at.is_(None), Service.last_verified_at < cutoff))
             .order_by(Service.last_verified_at.is_not(None), Service.last_verified_at, Service.id))
    if organization_id is not None:
        query = query.where(Service.organization_id == organization_id)
    return [StaleService(*row) for row in session.execute(query)]


def mark_verified(session: Session, service: Service, *, by: str, at: dt.datetime) -> None:
    """The record was checked and is still correct: nothing else changes (no new version)."""
    service.last_verified_at, service.last_verified_by = at, by
    session.flush()
