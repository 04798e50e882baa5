"""The partners' email outbox: "you have a new referral" notices, written with the referral, sent later.

Why a table and not a send in the request: an SMTP server that is slow or down
must neither slow the client's conversation nor lose the notice. The row is
written in the same transaction as the referral (so it exists exactly when the
referral does); a worker (:mod:`referrals.mail_worker`) sends it, retries with
backoff, and gives up as ``dead`` after its attempts (network admins see it).

What the email holds: that there is a new referral for the organisation, and a
link to it behind the staff sign-in. Never the client's name, contact details
or words: email is copied, forwarded and kept in shared inboxes beyond our
access control, audit and deletion, so the record stays where those apply.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import DateTime, Index, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.db import Base

__all__ = ["MailOutbox", "MailStatus", "claim_due_mail", "enqueue_mail", "mail_problems"]


class MailStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DEAD = "dead"  # gave up after the attempts (or the address was refused for good)
    CANCELLED = "cancelled"  # the referral was deleted at the client's request before it went


class MailOutbox(Base):
    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(160), unique=True)
    kind: Mapped[str] = mapped_column(String(40))  # new_referral
    organization_id: Mapped[str] = mapped_column(String(100), index=True)
    referral_id: Mapped[str | None] = mapped_column(String(36), index=True)
    to_address: Mapped[str] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(20), default=MailStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str | None] = mapped_column(Text)  # the SMTP reply code and class, never message text
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


def enqueue_mail(session: Session, *, key: str, kind: str, organization_id: str, referral_id: str | None,
                 to_address: str, now: dt.datetime) -> int:
    """Add one email to the outbox in the caller's transaction; a replayed key is a no-op."""
    existing = session.scalar(select(MailOutbox.id).where(MailOutbox.idempotency_key == key))
    if existing is not None:
        return existing
    row = MailOutbox(idempotency_key=key, kind=kind, organization_id=organization_id, referral_id=referral_id,
                     to_address=to_address, status=MailStatus.PENDING, attempts=0, next_attempt_at=now,
                     created_at=now, updated_at=now)
    session.add(row)
    session.flush()
    return row.id


def claim_due_mail(session: Session, *, now: dt.datetime, lease: dt.timedelta, limit: int) -> list[MailOutbox]:
    """Lease due rows (and rows whose worker died mid-send) for this worker; skips rows others hold."""
    due = (((MailOutbox.status == MailStatus.PENDING) & (MailOutbox.next_attempt_at <= now))
           | ((MailOutbox.status == MailStatus.SENDING) & (MailOutbox.lease_until <= now)))
    query = select(MailOutbox).where(due).order_by(MailOutbox.next_attempt_at, MailOutbox.id).limit(limit)
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = list(session.scalars(query))
    for row in rows:
        row.status, row.lease_until, row.updated_at = MailStatus.SENDING, now + lease, now
    return rows


def mail_problems(session: Session, *, limit: int = 100) -> list[MailOutbox]:
    """Notices that gave up (dead) or are failing and waiting to retry, newest change first (network admins)."""
    return list(session.scalars(
        select(MailOutbox).where((MailOutbox.status == MailStatus.DEAD)
                                 | ((MailOutbox.status == MailStatus.PENDING) & (MailOutbox.attempts > 0)))
        .order_by(MailOutbox.updated_at.desc(), MailOutbox.id.desc()).limit(limit)
    ))
