"""Receiving a client message from any channel: deduplicate, run the turn, queue the replies.

Providers deliver at least once (Twilio and Telegram both retry when we are
slow), so each delivery id is recorded in the same transaction as the turn
it caused; a replay finds the record and changes nothing. The record holds
ids and times only, never message text.
"""

from __future__ import annotations

import datetime as dt
import logging

import anyio
from sqlalchemy import DateTime, Integer, String, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from bot.channels.base import Composer, InboundEvent
from bot.effects import DeleteClientData, OptIn, OptOut
from bot.outbox import ChannelContact, enqueue, mark_contact
from bot.service import ClientProfile, ConversationService, SavedTurn
from core.db import Base
from referrals.actions import erased_time

__all__ = ["DuplicateInbound", "InboundMessage", "purge_inbound", "receive"]

log = logging.getLogger("frontdoor.inbound")


class InboundMessage(Base):
    __tablename__ = "inbound_message"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(64))
    conversation_id: Mapped[str | None] = mapped_column(String(36))
    campaign: Mapped[str | None] = mapped_column(String(64), index=True)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class DuplicateInbound(Exception):
    """This delivery was processed before; the turn is rolled back."""


def _seen(session: Session, channel: str, external_id: str) -> bool:
    return session.scalar(select(InboundMessage.id).where(
        InboundMessage.channel == channel, InboundMessage.external_id == external_id)) is not None


async def receive(service: ConversationService, sessions: sessionmaker[Session], composer: Composer,
                  event: InboundEvent) -> bool:
    """Process one delivery exactly once; False when it was a duplicate."""

    def seen_before() -> bool:
        with sessions() as session:
            return _seen(session, event.channel, event.external_id)

    if await anyio.to_thread.run_sync(seen_before):  # cheap early exit; the hook below is authoritative
        log.info("duplicate delivery ignored", extra={"channel": event.channel})
        return False

    def on_saved(session: Session, turn: SavedTurn) -> None:
        if _seen(session, event.channel, event.external_id):
            raise DuplicateInbound
        # The unique constraint settles a race: the loser's turn retries and raises DuplicateInbound above.
        deleting = any(isinstance(e, DeleteClientData) for e in turn.effects)
        session.add(InboundMessage(channel=event.channel, external_id=event.external_id,
                                   conversation_id=turn.conversation_id, campaign=event.campaign,
                                   received_at=erased_time(turn.now) if deleting else turn.now))
        if turn.erased_conversation_id is not None:  # delivery ids stay (replays), the link and time go
            for row in session.scalars(select(InboundMessage).where(
                    InboundMessage.conversation_id == turn.erased_conversation_id)):
                row.conversation_id, row.campaign, row.received_at = None, None, erased_time(row.received_at)
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

    try:
        await service.handle(event.channel, event.address, event.text, on_saved=on_saved,
                             profile=ClientProfile(event.profile_name, event.language_code))
    except DuplicateInbound:
        log.info("duplicate delivery ignored", extra={"channel": event.channel})
        return False
    return True


def purge_inbound(session: Session, *, older_than: dt.datetime) -> int:
    """Forget delivery ids once no provider would replay them (days, not weeks)."""
    result = session.execute(delete(InboundMessage).where(InboundMessage.received_at < older_than))
    return int(getattr(result, "rowcount", 0) or 0)
