"""The durable outbox: every message to a client is a row first, a provider call later.

Why: a reply written in the same transaction as the conversation state can
never be lost (state saved, reply forgotten) nor sent for a turn that was
rolled back. A worker (:mod:`bot.worker`) sends rows later and records what
the provider said, so retries, rate limits and delivery reports all have a
place to live and staff can see what failed.

Row life: ``pending`` → ``sending`` (claimed under a lease) → ``sent`` →
(SMS status callbacks) ``delivered`` / ``undelivered`` / ``failed``; or back to
``pending`` with a later ``next_attempt_at``; or ``dead`` (gave up, staff see
it); or ``suppressed`` (the client opted out or blocked the bot); or
``cancelled`` (the client asked us to delete their data before it went out).

Only the oldest unfinished row per client is claimable, so messages to one
person arrive in order even with several workers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, DateTime, Index, Integer, String, Text, and_, exists, false, select
from sqlalchemy.orm import Mapped, Session, aliased, mapped_column

from core.db import Base, JSONType, insert_if_absent

__all__ = [
    "ChannelContact", "Draft", "OutboxMessage", "claim_due", "delivery_problems", "enqueue", "is_opted_out",
    "forget_finished", "forget_recipient", "mark_contact", "record_delivery_status", "NOT_ARRIVING", "OPEN",
    "FINAL", "OutboxStatus",
]


class OutboxStatus(StrEnum):
    """Where one outbox row is: waiting, being sent, or finished (and how)."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"  # the provider's delivery report
    UNDELIVERED = "undelivered"  # the provider's delivery report
    FAILED = "failed"  # the provider refused it, or reported it failed
    DEAD = "dead"  # the worker gave up after its attempts
    SUPPRESSED = "suppressed"  # not sent: the client opted out or blocked the bot
    CANCELLED = "cancelled"  # not sent: the client deleted their data while it waited


_O = OutboxStatus
OPEN: tuple[OutboxStatus, ...] = (_O.PENDING, _O.SENDING)
FINAL: tuple[OutboxStatus, ...] = (
    _O.SENT, _O.DELIVERED, _O.UNDELIVERED, _O.FAILED, _O.DEAD, _O.SUPPRESSED, _O.CANCELLED)
PROBLEMS: tuple[OutboxStatus, ...] = (_O.UNDELIVERED, _O.FAILED, _O.DEAD)
NOT_ARRIVING: tuple[OutboxStatus, ...] = (*PROBLEMS, _O.SUPPRESSED)  # what staff are shown as problems


class OutboxMessage(Base):
    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
        Index("ix_outbox_message_recipient", "channel", "address", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(160), unique=True)
    channel: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(200))
    conversation_id: Mapped[str | None] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="message")  # message | callback_answer
    body: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)  # e.g. Telegram inline keyboard
    encoding: Mapped[str | None] = mapped_column(String(8))
    segments: Mapped[int | None] = mapped_column(Integer)
    ignore_opt_out: Mapped[bool] = mapped_column(Boolean, default=False)  # the STOP confirmation itself
    # The "your data is deleted" confirmation: its address and text are cleared once it is finished.
    forget_address: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(20), default=OutboxStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    provider_message_id: Mapped[str | None] = mapped_column(String(64), index=True)
    delivery_status: Mapped[str | None] = mapped_column(String(20))
    error_code: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class ChannelContact(Base):
    """Whether we may message a channel address: STOP (``opted_out``) or a bot the user blocked."""

    __tablename__ = "channel_contact"

    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    address: Mapped[str] = mapped_column(String(200), primary_key=True)
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class Draft:
    """One provider message a channel composed from an engine reply."""

    body: str
    payload: dict[str, Any]
    kind: str = "message"
    encoding: str | None = None
    segments: int | None = None


def enqueue(session: Session, *, channel: str, address: str, drafts: list[Draft], key_prefix: str,
            now: dt.datetime, conversation_id: str | None = None, ignore_opt_out: bool = False,
            forget_address: bool = False) -> list[int]:
    """Add drafts to the outbox inside the caller's transaction; keys make a replayed enqueue a no-op."""
    ids: list[int] = []
    for number, draft in enumerate(drafts):
        key = f"{key_prefix}:{number}"
        new_id = insert_if_absent(session, OutboxMessage, {
            "idempotency_key": key, "channel": channel, "address": address, "conversation_id": conversation_id,
            "kind": draft.kind, "body": draft.body, "payload": draft.payload, "encoding": draft.encoding,
            "segments": draft.segments, "ignore_opt_out": ignore_opt_out, "forget_address": forget_address,
            "status": OutboxStatus.PENDING, "attempts": 0, "next_attempt_at": now, "created_at": now,
            "updated_at": now,
        }, unique=("idempotency_key",))
        if new_id is None:  # enqueued before (a replay): the same row
            new_id = session.execute(select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key)).scalar_one()
        ids.append(int(new_id))
    return ids


def claim_due(session: Session, *, now: dt.datetime, lease: dt.timedelta, limit: int,
              channels: tuple[str, ...] | None = None) -> list[OutboxMessage]:
    """Lease up to ``limit`` due rows (the head of each recipient's queue) for this worker.

    A ``sending`` row whose lease ran out belonged to a worker that died: it is
    claimable again. On PostgreSQL rows locked by another worker are skipped;
    SQLite serialises writers, so one worker is the supported setup there.
    """
    earlier = aliased(OutboxMessage)
    head = ~exists().where(and_(
        earlier.channel == OutboxMessage.channel, earlier.address == OutboxMessage.address,
        earlier.id < OutboxMessage.id, earlier.status.in_(OPEN),
    ))
    due = (
        ((OutboxMessage.status == OutboxStatus.PENDING) & (OutboxMessage.next_attempt_at <= now))
        | ((OutboxMessage.status == OutboxStatus.SENDING) & (OutboxMessage.lease_until <= now))
    )
    query = select(OutboxMessage).where(due, head).order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
    if channels:
        query = query.where(OutboxMessage.channel.in_(channels))
    query = query.limit(limit)
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=OutboxMessage)
    rows = list(session.scalars(query))
    for row in rows:
        row.status, row.lease_until, row.updated_at = OutboxStatus.SENDING, now + lease, now
    return rows


def is_opted_out(session: Session, channel: str, address: str) -> bool:
    contact = session.get(ChannelContact, (channel, address))
    return contact is not None and (contact.opted_out or contact.blocked)


def mark_contact(session: Session, *, channel: str, address: str, now: dt.datetime,
                 opted_out: bool | None = None, blocked: bool | None = None) -> None:
    """Record STOP/START or a blocked bot for an address (creating its row on first use)."""
    contact = session.get(ChannelContact, (channel, address), with_for_update=True)
    if contact is None:
        contact = ChannelContact(channel=channel, address=address, opted_out=False, blocked=False, updated_at=now)
        session.add(contact)
    if opted_out is not None:
        contact.opted_out = opted_out
    if blocked is not None:
        contact.blocked = blocked
    contact.updated_at = now


def record_delivery_status(session: Session, *, outbox_id: int | None, provider_message_id: str, status: str,
                           error_code: str | None, now: dt.datetime) -> bool:
    """A provider's delivery report; returns False when no row matches (unknown message)."""
    row = session.get(OutboxMessage, outbox_id) if outbox_id is not None else None
    if row is None or (row.provider_message_id not in (None, provider_message_id)):
        row = session.scalar(select(OutboxMessage).where(OutboxMessage.provider_message_id == provider_message_id))
    if row is None:
        return False
    row.provider_message_id = provider_message_id
    row.delivery_status = status
    if row.address:  # a forgotten row (deleted client) keeps only the day: no exact time to join on
        row.updated_at = now
    if error_code:
        row.error_code = error_code
    if row.status in OPEN and status in ("queued", "accepted", "sending", "sent"):  # the provider's words
        row.status, row.sent_at, row.lease_until = _O.SENT, row.sent_at or now, None  # worker crashed after send
    if status in (_O.DELIVERED, _O.UNDELIVERED, _O.FAILED) and row.status not in (_O.DEAD, _O.SUPPRESSED):
        row.status = OutboxStatus(status)
    return True


def delivery_problems(session: Session, *, channel: str, address: str, limit: int = 20) -> list[OutboxMessage]:
    """What an adviser needs before relying on a channel: recent messages that did not arrive."""
    return list(session.scalars(
        select(OutboxMessage).where(OutboxMessage.channel == channel, OutboxMessage.address == address,
                                    OutboxMessage.status.in_(NOT_ARRIVING))
        .order_by(OutboxMessage.id.desc()).limit(limit)
    ))


def forget_recipient(session: Session, *, channel: str, address: str,
                     day: Callable[[dt.datetime], dt.datetime]) -> int:
    """"Delete my data": cancel what has not gone out, and forget the address and words of every row.

    What stays is a count of messages with their statuses; times keep only the day
    (``day``), so no row can be joined back to the client by its exact moment.
    """
    rows = list(session.scalars(
        select(OutboxMessage).where(OutboxMessage.channel == channel, OutboxMessage.address == address)
        .with_for_update()
    ))
    for row in rows:
        if row.status in OPEN:  # a "sending" row's worker finds it cancelled and leaves it so
            row.status = "cancelled"
        _forget(row, day)
    return len(rows)


def forget_finished(row: OutboxMessage, day: Callable[[dt.datetime], dt.datetime]) -> None:
    """Clear a ``forget_address`` row (the deletion confirmation) once it has reached a final status."""
    if row.forget_address and row.status in FINAL:
        _forget(row, day)


def _forget(row: OutboxMessage, day: Callable[[dt.datetime], dt.datetime]) -> None:
    row.address, row.body, row.payload, row.conversation_id, row.lease_until = "", "", {}, None, None
    row.created_at, row.updated_at = day(row.created_at), day(row.updated_at)
    row.next_attempt_at = day(row.next_attempt_at)
    row.sent_at = day(row.sent_at) if row.sent_at is not None else None
