"""Service levels and outcome counts: which open referrals are past their organisation's target, and
how referrals ended, per organisation.

Everything here is metadata (ids, references, times, counts): safe for a
network admin, who never sees a client's name, contact or words. "Overdue"
is computed in Python from UTC times so it reads the same on SQLite and
PostgreSQL (open referrals are few; no dialect-specific date arithmetic).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.models import Organization
from referrals.models import OrganizationSettings, Referral, ReferralStatus
from referrals.outcomes import load_framework

__all__ = ["OPEN", "OutcomeCounts", "OverdueRow", "is_overdue", "outcome_counts", "overdue_referrals",
           "settings_of", "target_hours"]

OPEN = (ReferralStatus.NEW, ReferralStatus.ACCEPTED, ReferralStatus.CONTACTED)


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)  # SQLite returns naive UTC


def settings_of(session: Session, organization_id: str) -> OrganizationSettings | None:
    return session.get(OrganizationSettings, organization_id)


def target_hours(session: Session, organization_id: str) -> int | None:
    settings = settings_of(session, organization_id)
    return settings.first_contact_hours if settings is not None else None


def is_overdue(*, status: str, created_at: dt.datetime, first_contact_at: dt.datetime | None,
               hours: int | None, now: dt.datetime) -> bool:
    """Open, nobody has reached the client yet, and the organisation's target time has passed."""
    return (hours is not None and status in OPEN and first_contact_at is None
            and _utc(created_at) + dt.timedelta(hours=hours) < now)


@dataclass(frozen=True)
class OverdueRow:
    """One overdue referral as a network admin may see it: no name, contact or words."""

    id: str
    reference: str
    organization_id: str
    organization_name: str
    status: str
    urgent: bool
    created_at: dt.datetime
    target_hours: int
    hours_over: int


def overdue_referrals(session: Session, *, now: dt.datetime, organization_id: str | None = None) -> list[OverdueRow]:
    """Open referrals past their organisation's target without first contact, most overdue first."""
    query = (
        select(Referral.id, Referral.reference, Referral.organization_id, Referral.status, Referral.urgent,
               Referral.created_at, OrganizationSettings.first_contact_hours, Organization.name)
        .join(OrganizationSettings, OrganizationSettings.organization_id == Referral.organization_id)
        .outerjoin(Organization, Organization.id == Referral.organization_id)
        .where(Referral.status.in_(OPEN), Referral.first_contact_at.is_(None), Referral.simulated.is_(False),
               OrganizationSettings.first_contact_hours.is_not(None))
    )
    if organization_id is not None:
        query = query.where(Referral.organization_id == organization_id)
    rows: list[OverdueRow] = []
    for rid, reference, org_id, status, urgent, created_at, hours, name in session.execute(query):
        if hours is None or not is_overdue(status=status, created_at=created_at, first_contact_at=None,
                                           hours=hours, now=now):
            continue
        over = now - (_utc(created_at) + dt.timedelta(hours=hours))
        rows.append(OverdueRow(rid, reference, org_id, name or org_id, status, bool(urgent), _utc(created_at),
                               int(hours), int(over.total_seconds() // 3600)))
    return sorted(rows, key=lambda r: (not r.urgent, -(r.hours_over), r.reference))


@dataclass(frozen=True)
class OutcomeCounts:
    organization_id: str
    organization_name: str
    counts: dict[str, int]  # outcome id -> closed referrals with it (every framework id present)
    total: int


def outcome_counts(session: Session, organization_id: str | None = None) -> list[OutcomeCounts]:
    """Closed referrals per organisation and outcome (aggregates only); one organisation, or the network."""
    framework = load_framework()
    query = (
        select(Referral.organization_id, Referral.outcome, func.count())
        .where(Referral.outcome.is_not(None), Referral.simulated.is_(False))
        .group_by(Referral.organization_id, Referral.outcome)
    )
    if organization_id is not None:
        query = query.where(Referral.organization_id == organization_id)
    by_org: dict[str, dict[str, int]] = {}
    for org_id, outcome, count in session.execute(query):
        by_org.setdefault(org_id, dict.fromkeys(framework.ids, 0))[str(outcome)] = int(count)
    if organization_id is not None:
        by_org.setdefault(organization_id, dict.fromkeys(framework.ids, 0))
    names = dict(session.execute(select(Organization.id, Organization.name).where(Organization.id.in_(by_org))).all())
    result = [OutcomeCounts(org_id, names.get(org_id, org_id), counts, sum(counts.values()))
              for org_id, counts in by_org.items()]
    return sorted(result, key=lambda c: c.organization_name.casefold())
