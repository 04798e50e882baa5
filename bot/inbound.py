"""Receiving a client message from any channel: store it first, then run its turn from the stored row.

Why store first: a provider gets its 200 only once the message is durably a row,
so a turn that cannot run now (the database busy or restarting, the process
killed mid-turn, a bug) is retried from that row by :mod:`bot.inbound_worker`
instead of being answered 500 and forgotten. Providers deliver at least once
(Twilio and Telegram both retry when we are slow): the unique (channel,
delivery id) makes a replay find the row and change nothing, and the row is
marked done in the same transaction as the turn it caused, so a turn never
counts twice.

Row life: ``pending`` → ``processing`` (claimed under a lease) → ``done``; or
back to ``pending`` with a later ``next_attempt_at``; or ``dead`` after its
attempts (logged, counted in ``/metrics``). The words and the address are kept
only while the row is open: a done row holds ids and times, never message text.
Only the oldest open row of a sender is claimable, so one person's messages run
in the order they arrived, whichever process runs them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import asdict
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, Index, Integer, String, Text, UniqueConstraint, delete, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from bot.channels.base import Composer, InboundEvent
from bot.effects import DeleteClientData, OptIn, OptOut
from bot.outbox import ChannelContact, Draft, enqueue, mark_contact
from bot.service import ClientProfile, SavedTurn, clean_text
from core.db import Base, JSONType, insert_if_absent
from referrals.actions import erased_time

__all__ = ["DuplicateInbound", "InboundMessage", "InboundStatus", "OPEN", "accept", "event_of", "finish_turn",
           "open_counts", "purge_inbound", "storable"]

log = logging.getLogger("frontdoor.inbound")


class InboundStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    DONE = "done"
    DEAD = "dead"  # gave up after its attempts; counted in /metrics, never silently dropped


OPEN = (InboundStatus.PENDING.value, InboundStatus.PROCESSING.value)


class InboundMessage(Base):
    __tablename__ = "inbound_message"
    __table_args__ = (
        UniqueConstraint("channel", "external_id"),
        Index("ix_inbound_message_due", "status", "next_attempt_at"),
        Index("ix_inbound_message_sender", "channel", "address", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(64))
    conversation_id: Mapped[str | None] = mapped_column(String(36))
    campaign: Mapped[str | None] = mapped_column(String(64), index=True)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    # What the turn needs, kept only while the row is open (cleared when it is done or dead).
    address: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[dict[str, Any] | list[dict[str, Any]] | None] = mapped_column(JSONType)  # see _extra_of
    status: Mapped[str] = mapped_column(String(20), default=InboundStatus.PENDING.value, server_default="done")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    error_code: Mapped[str | None] = mapped_column(String(40))


class DuplicateInbound(Exception):
    """This delivery's turn already ran (another process got there first); the turn is rolled back."""


def accept(sessions: sessionmaker[Session], event: InboundEvent, now: dt.datetime,
           retry_from: dt.datetime | None = None) -> int | None:
    """Store one delivery as a pending row and return its id; None when it was stored before (a replay).

    ``retry_from``: when a retrying worker may take it (until then it is left to the request that stored it).
    """
    external_id, address = storable(event.external_id), storable(event.address)
    with sessions() as session, session.begin():
        return insert_if_absent(session, InboundMessage, {
            "channel": event.channel, "external_id": external_id, "campaign": event.campaign, "received_at": now,
            "address": address, "text": clean_text(event.text), "extra": _extra_of(event),
            "status": InboundStatus.PENDING.value, "attempts": 0, "next_attempt_at": retry_from or now,
        }, unique=("channel", "external_id"))


def storable(value: str) -> str:
    """PostgreSQL text cannot hold NUL; a provider field with one is stored without it (SQLite alike)."""
    return value.replace("\x00", "")


def _extra_of(event: InboundEvent) -> dict[str, Any] | None:
    """Provider housekeeping drafts and the Telegram profile (name, app language): kept until the turn has run."""
    extra: dict[str, Any] = {}
    if event.extra_drafts:
        extra["drafts"] = [asdict(d) for d in event.extra_drafts]
    if event.profile_name or event.language_code:
        extra["profile"] = {"name": event.profile_name, "language_code": event.language_code}
    return extra or None


def event_of(row: InboundMessage) -> InboundEvent:
    """The stored delivery as the event the channel made of it."""
    extra: Any = row.extra or {}
    if isinstance(extra, list):  # stored before the profile was kept: a plain list of drafts
        extra = {"drafts": extra}
    drafts = tuple(Draft(**d) for d in extra.get("drafts", []))
    profile = extra.get("profile") or {}
    return InboundEvent(channel=row.channel, address=row.address or "", external_id=row.external_id,
                        text=row.text or "", campaign=row.campaign, extra_drafts=drafts,
                        profile_name=profile.get("name"), language_code=profile.get("language_code"))


def profile_of(event: InboundEvent) -> ClientProfile:
    """What the channel told us about the sender (Telegram's first name and app language)."""
    return ClientProfile(event.profile_name, event.language_code)


def finish_turn(session: Session, inbound_id: int, event: InboundEvent, composer: Composer,
                turn: SavedTurn) -> None:
    """Inside the turn's transaction: mark the row done (once), forget its words, queue the replies."""
    row = session.get(InboundMessage, inbound_id, with_for_update=True)
    if row is None or row.status == InboundStatus.DONE:
        raise DuplicateInbound
    deleting = any(isinstance(e, DeleteClientData) for e in turn.effects)
    row.status, row.conversation_id = InboundStatus.DONE.value, turn.conversation_id
    row.address, row.text, row.extra, row.lease_until, row.next_attempt_at = None, None, None, None, None
    if deleting:
        row.received_at = erased_time(turn.now)
        for dead in session.scalars(select(InboundMessage).where(  # given-up messages of theirs: forget the words
                InboundMessage.channel == turn.channel, InboundMessage.address == turn.address,
                InboundMessage.status == InboundStatus.DEAD.value)):
            dead.address, dead.text, dead.extra, dead.received_at = None, None, None, erased_time(dead.received_at)
    if turn.erased_conversation_id is not None:  # delivery ids stay (replays), the link and time go
        for other in session.scalars(select(InboundMessage).where(
                InboundMessage.conversation_id == turn.erased_conversation_id)):
            other.conversation_id, other.campaign, other.received_at = None, None, erased_time(other.received_at)
    stopping = any(isinstance(e, OptOut) for e in turn.effects)
    if stopping or any(isinstance(e, OptIn) for e in turn.effects):
        mark_contact(session, channel=turn.channel, address=turn.address, now=turn.now, opted_out=stopping)
    contact = session.get(ChannelContact, (turn.channel, turn.address))
    if contact is not None and contact.blocked:  # they wrote to us, so they unblocked the bot
        mark_contact(session, channel=turn.channel, address=turn.address, now=turn.now, blocked=False)
    drafts = list(event.extra_drafts) + composer.compose(turn.replies)
    # The STOP confirmation may go out although the address is now opted out; nothing after it will.
    enqueue(session, channel=turn.channel, address=turn.address, drafts=drafts,
            key_prefix=f"{event.channel}:{event.external_id}", now=turn.now,
            conversation_id=turn.conversation_id, ignore_opt_out=stopping, forget_address=deleting)


def open_counts(session: Session) -> Mapping[str, int]:
    """How many rows wait (pending or processing) and how many were given up on (dead), for /metrics."""
    rows = session.execute(select(InboundMessage.status, func.count()).where(
        InboundMessage.status.in_((*OPEN, InboundStatus.DEAD.value))).group_by(InboundMessage.status))
    return {str(status): int(count) for status, count in rows}


def purge_inbound(session: Session, *, older_than: dt.datetime) -> int:
    """Forget finished delivery ids once no provider would replay them (days, not weeks)."""
    result = session.execute(delete(InboundMessage).where(
        InboundMessage.received_at < older_than, InboundMessage.status == InboundStatus.DONE.value))
    return int(getattr(result, "rowcount", 0) or 0)
