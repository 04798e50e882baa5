"""Outbox messages that did not reach the client, as staff may see them: no bodies, masked addresses.

Shared by the staff page (``/staff/outbox``) and ``frontdoor outbox problems`` so
both show the same rows. A message body is what the bot said to a client and
can quote them; an address is a phone number or chat id: neither is needed to
see that sending is failing, so neither leaves this module whole.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.outbox import NOT_ARRIVING, OutboxMessage

__all__ = [
    "PROBLEM_STATUSES", "ProblemRow", "list_problems", "mask_address",
]

# Dead, failed, undelivered or suppressed (see bot.outbox.OutboxStatus).
PROBLEM_STATUSES = NOT_ARRIVING


@dataclass(frozen=True)
class ProblemRow:
    id: int
    channel: str
    masked_address: str
    kind: str
    status: str
    delivery_status: str | None
    attempts: int
    error_code: str | None
    created_at: dt.datetime
    updated_at: dt.datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "channel": self.channel, "address": self.masked_address, "kind": self.kind,
            "status": self.status, "delivery_status": self.delivery_status, "attempts": self.attempts,
            "error_code": self.error_code, "created_at": _iso(self.created_at), "updated_at": _iso(self.updated_at),
        }


def _iso(value: dt.datetime) -> str:
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()


def mask_address(address: str) -> str:
    """Hide the last four characters (``+447700900123`` → ``+44770090****``): enough to tell rows apart."""
    if len(address) <= 4:
        return "****"
    return address[:-4] + "****"


def list_problems(session: Session, *, limit: int = 500) -> list[ProblemRow]:
    """Messages in a problem state, most recently changed first; the body is never loaded."""
    rows = session.execute(
        select(OutboxMessage.id, OutboxMessage.channel, OutboxMessage.address, OutboxMessage.kind,
               OutboxMessage.status, OutboxMessage.delivery_status, OutboxMessage.attempts,
               OutboxMessage.error_code, OutboxMessage.created_at, OutboxMessage.updated_at)
        .where(OutboxMessage.status.in_(PROBLEM_STATUSES))
        .order_by(OutboxMessage.updated_at.desc(), OutboxMessage.id.desc())
        .limit(limit)
    )
    return [
        ProblemRow(id=r.id, channel=r.channel, masked_address=mask_address(r.address), kind=r.kind,
                   status=r.status, delivery_status=r.delivery_status, attempts=r.attempts,
                   error_code=r.error_code, created_at=r.created_at, updated_at=r.updated_at)
        for r in rows
    ]
