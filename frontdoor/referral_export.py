"""Referrals as plain JSON-ready dicts (for ``frontdoor referrals export`` and adviser views).

Each carries the recent messages to its client that did not arrive (status,
error code, time; never their text), because a partner relying on the
client's channel needs to know it is failing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.outbox import OutboxMessage, delivery_problems
from referrals.models import Referral

__all__ = ["export_referrals", "referral_to_dict"]


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def referral_to_dict(referral: Referral, problems: Sequence[OutboxMessage] = ()) -> dict[str, Any]:
    """One referral; ``problems`` are its client's undelivered messages (see ``bot.outbox.delivery_problems``)."""
    consent = referral.consent
    return {
        "id": referral.id,
        "reference": referral.reference,
        "status": referral.status,
        "organization_id": referral.organization_id,
        "service_id": referral.service_id,
        "client": {
            "channel": referral.client_channel,
            "address": referral.client_address,
            "name": referral.client_name,
            "opted_out": referral.client_opted_out,
        },
        "language": referral.language,
        "categories": list(referral.categories),
        "summary": referral.summary,
        "deadline": _iso(referral.deadline),
        "deadline_text": referral.deadline_text,
        "urgent": referral.urgent,
        "crisis": referral.crisis,
        "communication_needs": dict(referral.communication_needs),
        "routing": dict(referral.routing),
        "postcode": referral.postcode,
        "area": referral.area,
        "consent": {
            "id": consent.id,
            "granted": consent.granted,
            "wording_version": consent.wording_version,
            "wording_text": consent.wording_text,
            "language": consent.language,
            "channel": consent.channel,
            "timestamp": _iso(consent.created_at),
            "withdrawn_at": _iso(consent.withdrawn_at),
        },
        "created_at": _iso(referral.created_at),
        "updated_at": _iso(referral.updated_at),
        "audit": [
            {"at": _iso(e.at), "actor": e.actor, "action": e.action, "from_status": e.from_status,
             "to_status": e.to_status, "detail": dict(e.detail)}
            for e in referral.audit
        ],
        "delivery_problems": [
            {"status": m.status, "error_code": m.error_code, "at": _iso(m.updated_at)} for m in problems
        ],
    }


def export_referrals(session: Session) -> list[dict[str, Any]]:
    """Every real referral (not the simulator's), oldest first, with consent, audit trail and delivery problems."""
    referrals = session.scalars(
        select(Referral).where(Referral.simulated.is_(False))
        .options(selectinload(Referral.consent), selectinload(Referral.audit))
        .order_by(Referral.created_at, Referral.id)
    ).all()
    return [
        referral_to_dict(r, delivery_problems(session, channel=r.client_channel, address=r.client_address))
        for r in referrals
    ]
