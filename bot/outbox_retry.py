"""A network admin sends a given-up client message again: one audited verb, as ``referrals.actions`` does.

Only ``dead`` rows: a failed or undelivered message already reached the
provider (sending it again may duplicate it) and a suppressed one must stay
unsent because the client opted out.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from bot.outbox import OutboxMessage, OutboxStatus
from referrals.access import NotVisible, check_network_access
from staff.audit import record_event
from staff.models import StaffAccount

__all__ = ["NotRetried", "do_retry_message"]


class NotRetried(ValueError):
    """The message exists but may not be sent again (it is not dead)."""


def do_retry_message(session: Session, account: StaffAccount, outbox_id: int, *, at: dt.datetime) -> int:
    """Put a dead message back to ``pending`` with a fresh set of attempts, audited, in the caller's transaction.

    Refused with NotVisible for anyone but a network admin and for unknown ids; returns the attempts the
    message had, for the caller to log once the change is committed.
    """
    check_network_access(account)
    row = session.get(OutboxMessage, outbox_id, with_for_update=True) if 0 < outbox_id < 2**31 else None
    if row is None:
        raise NotVisible(str(outbox_id))
    if row.status != OutboxStatus.DEAD:
        raise NotRetried(f"Only dead messages can be retried; this one is {row.status}.")
    previous_attempts = row.attempts
    row.status, row.attempts, row.lease_until = OutboxStatus.PENDING, 0, None
    row.next_attempt_at, row.updated_at = at, at
    record_event(session, at=at, account_id=account.id, action="retried_message", outbox_id=outbox_id,
                 previous_attempts=previous_attempts)
    return previous_attempts
