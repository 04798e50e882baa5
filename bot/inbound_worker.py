"""Running stored inbound messages: inline in the webhook that stored them, and later by a retrying worker.

The webhook stores its message (:func:`bot.inbound.accept`), then drives its
sender's queue for a few seconds so that the reply is usually queued before
the 200. Whatever is left (a failed turn, a process that died, a sender whose
queue another request holds for too long) the worker takes once it is due:
each claim is a lease, so a row claimed by a process that died is claimable
again when the lease runs out, and only the oldest open row of a sender is
claimable, so a person's messages run in order with any number of processes.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import anyio
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, aliased, sessionmaker

from bot.channels.base import Composer, InboundEvent
from bot.inbound import (
    OPEN,
    DuplicateInbound,
    InboundMessage,
    InboundStatus,
    accept,
    event_of,
    finish_turn,
    profile_of,
    storable,
)
from bot.service import UNREAD, ConversationService, SavedTurn, Unread
from bot.state import State
from bot.worker import backoff
from core.settings import Settings

__all__ = ["InboundConfig", "InboundProcessor", "inbound_config"]

log = logging.getLogger("frontdoor.inbound")
_PENDING, _PROCESSING = InboundStatus.PENDING.value, InboundStatus.PROCESSING.value


@dataclass(frozen=True)
class InboundConfig:
    inline_seconds: float = 10.0  # how long a webhook drives its sender's queue before answering anyway
    inline_turns: int = 32  # webhooks of this process running turns at once; beyond that, store and answer
    burst_seconds: float = 2.0  # after a delivery found no free slot, store-and-answer only while this window is busy
    lease: dt.timedelta = dt.timedelta(seconds=30)
    max_attempts: int = 10  # then the row is dead (counted in /metrics)
    backoff_seconds: float = 1.0
    backoff_max_seconds: float = 300.0
    batch: int = 20
    poll_seconds: float = 0.5
    concurrency: int = 8


def inbound_config(settings: Settings) -> InboundConfig:
    return InboundConfig(
        inline_seconds=settings.inbound_inline_seconds, inline_turns=settings.inbound_inline_turns,
        burst_seconds=settings.inbound_burst_seconds,
        lease=dt.timedelta(seconds=settings.inbound_lease_seconds),
        max_attempts=settings.inbound_max_attempts, backoff_seconds=settings.inbound_backoff_seconds)


@dataclass(frozen=True)
class _Claimed:
    id: int
    event: InboundEvent
    attempts: int
    saved: State | None | Unread = UNREAD  # the conversation's state when claimed, when read with the claim


_Head = tuple[str, _Claimed | None]  # ("claimed" | "done" | "dead" | "wait", the claimed row)


class InboundProcessor:
    """Stores deliveries and runs their turns exactly once, in order per sender, retrying what fails."""

    def __init__(self, sessions: sessionmaker[Session], service: ConversationService,
                 composers: Mapping[str, Composer], config: InboundConfig | None = None, *,
                 clock: Callable[[], dt.datetime] | None = None, rng: random.Random | None = None,
                 ticks: Callable[[], float] = time.monotonic) -> None:
        self._sessions, self._service, self._composers = sessions, service, dict(composers)
        self.config = config or InboundConfig()
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._rng = rng or random.Random()
        self._ticks = ticks  # monotonic seconds, for the burst window
        self._inline = 0  # webhooks of this process driving a turn now (one event loop: a plain count)
        self._burst_from = -1e9  # monotonic time a delivery last found no free slot (a burst is on after it)
        self._arrivals: deque[float] = deque()  # monotonic times of this process's deliveries in the last window
        # Storing has threads of its own: in a burst it must never queue behind the turns' database work.
        self._store_threads = anyio.CapacityLimiter(16)

    # -- the webhook's path ------------------------------------------------------------------

    async def receive(self, event: InboundEvent) -> str:
        """Store, then try to run now: "duplicate", "done" (reply queued) or "queued" (the worker finishes it).

        While ``inline_turns`` webhooks of this process are already running turns, the message is only
        stored, due at once for the workers, and answered: a burst is acknowledged at the speed of an
        INSERT instead of waiting behind the turns (a provider that waits too long times out and resends).
        Once one delivery found no free slot, every delivery for the next ``burst_seconds`` is only
        stored too, and the burst goes on while more than ``inline_turns`` deliveries arrive per
        ``burst_seconds``: the turns then run in the worker processes, and this process's CPU, threads
        and event loop go to taking the burst in, not to turns started while it arrives.
        Raises only when the message could not be stored; the provider must then not get a 200.
        """
        now = self._clock()
        inline = self._inline_allowed()
        if inline:
            self._inline += 1  # taken before the first await, so a burst cannot all see a free slot
        try:
            handoff = now + dt.timedelta(seconds=self.config.inline_seconds) if inline else now
            inbound_id = await anyio.to_thread.run_sync(lambda: self._accept(event, now, handoff),
                                                        limiter=self._store_threads)
            if inbound_id is None:
                log.info("duplicate delivery ignored", extra={"channel": event.channel})
                return "duplicate"
            if not inline:
                log.info("busy: message stored for the workers", extra={"channel": event.channel})
                return "queued"
            return "done" if await self.drive(event.channel, storable(event.address), inbound_id) else "queued"
        finally:
            if inline:
                self._inline -= 1

    def _inline_allowed(self) -> bool:
        """Whether this delivery may run its turn in the webhook (False: stored for the workers only)."""
        moment, window = self._ticks(), self.config.burst_seconds
        arrivals = self._arrivals
        arrivals.append(moment)
        while arrivals and arrivals[0] < moment - window:
            arrivals.popleft()
        if moment < self._burst_from + window:
            if len(arrivals) > self.config.inline_turns:  # still arriving faster than inline turns could take
                self._burst_from = moment
            return False
        if self._inline < self.config.inline_turns:
            return True
        self._burst_from = moment
        log.info("burst: deliveries are stored for the workers", extra={"seconds": window})
        return False

    def _accept(self, event: InboundEvent, now: dt.datetime, handoff: dt.datetime) -> int | None:
        for attempt in range(4):  # a database restart takes a second or two: ride it out before failing
            try:
                return accept(self._sessions, event, now, retry_from=handoff)
            except OperationalError:
                if attempt == 3:
                    raise
                time.sleep(0.25 * 2 ** attempt)
        return None  # not reached

    async def drive(self, channel: str, address: str, own_id: int) -> bool:
        """Run this sender's open rows in order until ``own_id`` is done; False when left to the worker."""
        deadline = time.monotonic() + self.config.inline_seconds
        while True:
            state, claimed = await anyio.to_thread.run_sync(self._claim_head, channel, address, own_id)
            if state == "done":
                return True
            if state == "dead":
                return False
            if claimed is not None:
                if not await self._run(claimed):
                    return False  # it waits for its retry, and the rows behind it with it
                if claimed.id == own_id:
                    return True  # its turn committed it as done (or another process's turn did): no need to look
                continue
            if time.monotonic() >= deadline:
                return False
            await anyio.sleep(0.05)  # another process holds this sender's head

    def _claim_head(self, channel: str, address: str, own_id: int) -> _Head:
        now = self._clock()
        try:
            with self._sessions() as session, session.begin():
                # The sender's oldest open row up to ours (ours, unless an earlier message still waits).
                query = select(InboundMessage).where(
                    InboundMessage.channel == channel, InboundMessage.address == address,
                    InboundMessage.id <= own_id, InboundMessage.status.in_(OPEN),
                ).order_by(InboundMessage.id).limit(1)
                if _postgres(session):
                    query = query.with_for_update()
                head = session.scalar(query)
                if head is None:  # ours is no longer open: another process ran it, or gave it up
                    own = session.get(InboundMessage, own_id)
                    return ("dead", None) if own is not None and own.status == InboundStatus.DEAD else ("done", None)
                fresh = head.status == _PENDING and (head.attempts == 0 or _due(head.next_attempt_at, now))
                expired = head.status == _PROCESSING and _due(head.lease_until, now)
                if not (fresh or expired):
                    return "wait", None
                claimed = self._lease(head, now)
                # The conversation's saved state, for what the step expects (read here, not in a
                # transaction of its own; the turn reads it again under its row lock).
                return "claimed", replace(claimed, saved=self._service.saved_state_in(session, channel, address))
        except OperationalError:  # SQLite: another writer got in first; PostgreSQL: a hiccup. Look again.
            return "wait", None

    def _lease(self, row: InboundMessage, now: dt.datetime) -> _Claimed:
        row.status, row.lease_until, row.attempts = _PROCESSING, now + self.config.lease, row.attempts + 1
        return _Claimed(row.id, event_of(row), row.attempts)

    # -- running one turn --------------------------------------------------------------------

    async def _run(self, claimed: _Claimed) -> bool:
        composer = self._composers[claimed.event.channel]

        def hook(session: Session, turn: SavedTurn) -> None:
            finish_turn(session, claimed.id, claimed.event, composer, turn)

        event = claimed.event
        try:
            await self._service.handle(event.channel, event.address, event.text, on_saved=hook,
                                       profile=profile_of(event), saved=claimed.saved)
        except DuplicateInbound:  # another process ran it while our lease lapsed; its turn stands
            return True
        except Exception as exc:  # any failure: the row is retried later, never dropped
            log.warning("turn failed; will retry from the stored message", exc_info=True,
                        extra={"inbound_id": claimed.id, "attempt": claimed.attempts, "error": type(exc).__name__})
            try:
                await anyio.to_thread.run_sync(self._release, claimed, type(exc).__name__)
            except Exception:  # the database is away too: the lease runs out and the row is claimable again
                log.warning("could not release a failed turn", extra={"inbound_id": claimed.id})
            return False
        return True

    def _release(self, claimed: _Claimed, error: str) -> None:
        now = self._clock()
        config = self.config
        with self._sessions() as session, session.begin():
            row = session.get(InboundMessage, claimed.id, with_for_update=True)
            if row is None or row.status != _PROCESSING:
                return
            row.lease_until, row.error_code = None, error[:40]
            if row.attempts >= config.max_attempts:
                row.status = InboundStatus.DEAD.value
                log.error("inbound message given up after its attempts",
                          extra={"inbound_id": row.id, "channel": row.channel, "attempts": row.attempts})
            else:
                delay = backoff(row.attempts, config.backoff_seconds, config.backoff_max_seconds, self._rng)
                row.status, row.next_attempt_at = _PENDING, now + dt.timedelta(seconds=delay)

    # -- the worker's path -------------------------------------------------------------------

    def _claim_due(self) -> list[_Claimed]:
        now = self._clock()
        earlier = aliased(InboundMessage)
        head = ~exists().where(and_(
            earlier.channel == InboundMessage.channel, earlier.address == InboundMessage.address,
            earlier.id < InboundMessage.id, earlier.status.in_(OPEN)))
        due = or_(and_(InboundMessage.status == _PENDING, InboundMessage.next_attempt_at <= now),
                  and_(InboundMessage.status == _PROCESSING, InboundMessage.lease_until <= now))
        query = (select(InboundMessage).where(due, head)
                 .order_by(InboundMessage.next_attempt_at, InboundMessage.id).limit(self.config.batch))
        with self._sessions() as session, session.begin():
            if _postgres(session):
                query = query.with_for_update(skip_locked=True, of=InboundMessage)
            return [self._lease(row, now) for row in session.scalars(query)]

    async def run_once(self) -> int:
        """Run every due head once (each sender's oldest open row); returns how many were tried."""
        claimed = await anyio.to_thread.run_sync(self._claim_due)
        limiter = anyio.CapacityLimiter(self.config.concurrency)

        async def one(row: _Claimed) -> None:
            async with limiter:
                await self._run(row)

        async with anyio.create_task_group() as group:
            for row in claimed:
                group.start_soon(one, row)
        return len(claimed)

    async def drain(self, max_rounds: int = 1000) -> int:
        """Run everything due now, round after round (tests, benchmarks)."""
        total = 0
        for _ in range(max_rounds):
            tried = await self.run_once()
            if tried == 0:
                break
            total += tried
        return total

    async def run(self, stop: anyio.Event | None = None) -> None:
        """Retry due rows until ``stop`` is set; sleeps only when nothing was due."""
        log.info("inbound worker started")
        while stop is None or not stop.is_set():
            try:
                tried = await self.run_once()
            except Exception:  # a database hiccup must not end the worker
                log.warning("inbound round failed; will retry", exc_info=True)
                tried = 0
            if tried == 0:
                with anyio.move_on_after(self.config.poll_seconds):
                    if stop is not None:
                        await stop.wait()
                    else:
                        await anyio.sleep(self.config.poll_seconds)


def _postgres(session: Session) -> bool:
    return session.bind is not None and session.bind.dialect.name == "postgresql"


def _due(moment: dt.datetime | None, now: dt.datetime) -> bool:
    if moment is None:
        return True
    if moment.tzinfo is None:  # SQLite gives naive datetimes back
        moment = moment.replace(tzinfo=dt.UTC)
    return moment <= now
