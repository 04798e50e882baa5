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

from bot.outbox import NOT_ARRIVING, OutboxMessage, OutboxStatus

__all__ = [
    "PROBLEM_STATUSES", "NoSuchMessage", "ProblemRow", "RetryError", "list_problems", "mask_address", "retry_dead",
]

# Dead, failed, undelivered or suppressed (see bot.outbox.OutboxStatus).
PROBLEM_STATUSES = NOT_ARRIVING


class RetryError(ValueError):
    """A retry that is not allowed: the message is not dead."""


class NoSuchMessage(RetryError):
    """No outbox row has this id."""


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


def retry_dead(session: Session, outbox_id: int, *, now: dt.datetime) -> int:
    """Put a dead message back to ``pending`` with a fresh set of attempts (inside the caller's transaction).

    Returns the attempts it had, for the caller to log once the change is committed.

    Only ``dead`` rows: a failed or undelivered message already reached the
    provider (sending it again may duplicate it) and a suppressed one must
    stay unsent because the client opted out.
    """
    row = session.get(OutboxMessage, outbox_id, with_for_update=True) if 0 < outbox_id < 2**31 else None
    if row is None:
        raise NoSuchMessage("There is no such message.")
    if row.status != OutboxStatus.DEAD:
        raise RetryError(f"Only dead messages can be retried; this one is {row.status}.")
    previous_attempts = row.attempts
    row.status, row.attempts, row.lease_until = OutboxStatus.PENDING, 0, None
    row.next_attempt_at, row.updated_at = now, now
    return previous_attempts
