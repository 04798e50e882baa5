"""The outbox worker: claims due rows, paces them, sends them, records what happened.

Every database step is its own short transaction, so a crash anywhere loses
nothing: a row claimed by a dead worker becomes claimable again when its lease
runs out. That makes delivery at-least-once in the worst case (the provider
accepted, then we died before saving); Twilio's status callback carries the
outbox id, so such a row is usually marked sent before its lease expires.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import anyio
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.channels.base import Outgoing, Sender, SendResult
from bot.outbox import OutboxMessage, OutboxStatus, claim_due, forget_finished, is_opted_out, mark_contact
from bot.ratelimit import Bucket, KeyedBuckets
from core.settings import Settings
from referrals import actions

__all__ = ["Worker", "WorkerConfig", "backoff", "config_from_settings"]

log = logging.getLogger("frontdoor.outbox")


@dataclass(frozen=True)
class WorkerConfig:
    batch: int = 50
    poll_seconds: float = 0.5
    lease: dt.timedelta = dt.timedelta(seconds=60)
    max_attempts: int = 10
    backoff_seconds: float = 2.0
    backoff_max_seconds: float = 900.0
    rates: Mapping[str, float] | None = None  # channel -> messages per second (this process)
    recipient_rates: Mapping[str, float] | None = None  # channel -> messages per second to one address
    recipient_burst: float = 3.0
    concurrency: int = 16


def config_from_settings(settings: Settings) -> WorkerConfig:
    return WorkerConfig(
        batch=settings.outbox_batch, poll_seconds=settings.outbox_poll_seconds,
        lease=dt.timedelta(seconds=settings.outbox_lease_seconds), max_attempts=settings.outbox_max_attempts,
        backoff_seconds=settings.outbox_backoff_seconds, backoff_max_seconds=settings.outbox_backoff_max_seconds,
        rates={"telegram": settings.telegram_rate_per_second, "sms": settings.twilio_rate_per_second},
        recipient_rates={"telegram": settings.telegram_chat_rate_per_second},
    )


def backoff(attempts: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Exponential backoff with "equal jitter": half fixed, half random, so retries spread out."""
    delay = min(cap, base * 2.0 ** max(0, attempts - 1))
    jitter = rng.uniform(0, delay / 2) if rng is not None else random.uniform(0, delay / 2)
    return delay / 2 + jitter


class Worker:
    def __init__(self, sessions: sessionmaker[Session], senders: Mapping[str, Sender], config: WorkerConfig,
                 *, clock: Callable[[], dt.datetime] | None = None, rng: random.Random | None = None) -> None:
        self._sessions, self._senders, self._config = sessions, dict(senders), config
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._rng = rng or random.Random()
        self._buckets = {ch: Bucket(rate, burst=rate) for ch, rate in (config.rates or {}).items() if rate > 0}
        self._recipients = {ch: KeyedBuckets(rate, config.recipient_burst)
                            for ch, rate in (config.recipient_rates or {}).items() if rate > 0}

    # -- running ----------------------------------------------------------------------------

    async def run(self, stop: anyio.Event | None = None) -> None:
        """Send until ``stop`` is set; sleeps only when nothing was due."""
        log.info("outbox worker started", extra={"channels": sorted(self._senders)})
        while stop is None or not stop.is_set():
            try:
                handled = await self.run_once()
            except Exception:  # a database hiccup must not end the worker
                log.exception("outbox round failed; will retry")
                handled = 0
            if handled == 0:
                with anyio.move_on_after(self._config.poll_seconds):
                    if stop is not None:
                        await stop.wait()
                    else:
                        await anyio.sleep(self._config.poll_seconds)

    async def drain(self, max_rounds: int = 1000) -> int:
        """Send everything due now (tests, benchmarks); returns how many rows were handled."""
        total = 0
        for _ in range(max_rounds):
            handled = await self.run_once()
            if handled == 0:
                break
            total += handled
        return total

    async def run_once(self) -> int:
        claimed = await anyio.to_thread.run_sync(self._claim)
        if not claimed:
            return 0
        limiter = anyio.CapacityLimiter(self._config.concurrency)
        async with anyio.create_task_group() as group:
            for message in claimed:
                group.start_soon(self._deliver, message, limiter)
        return len(claimed)

    # -- one message ------------------------------------------------------------------------

    def _claim(self) -> list[tuple[Outgoing, bool]]:
        now = self._clock()
        with self._sessions() as session, session.begin():
            rows = claim_due(session, now=now, lease=self._config.lease, limit=self._config.batch,
                             channels=tuple(self._senders))
            out = []
            for row in rows:
                suppressed = row.kind == "message" and not row.ignore_opt_out and is_opted_out(
                    session, row.channel, row.address)
                out.append((Outgoing(row.id, row.channel, row.address, row.kind, row.body, dict(row.payload or {}),
                                     row.attempts), suppressed))
        return out

    async def _deliver(self, claimed: tuple[Outgoing, bool], limiter: anyio.CapacityLimiter) -> None:
        message, suppressed = claimed
        if suppressed:
            await anyio.to_thread.run_sync(self._finish, message, SendResult("opted_out", error_code="opted_out"))
            return
        recipients = self._recipients.get(message.channel)
        wait = recipients.try_take(message.address) if recipients and message.kind == "message" else 0.0
        if wait > 0:  # this chat had its burst: let other chats go first
            await anyio.to_thread.run_sync(self._defer, message, wait)
            return
        async with limiter:
            bucket = self._buckets.get(message.channel)
            if bucket is not None:
                await bucket.take()
            try:
                result = await self._senders[message.channel].send(message)
            except Exception as exc:  # a sender bug must not lose the row: retry later, staff see the code
                log.exception("sender raised", extra={"outbox_id": message.id})
                result = SendResult("retry", error_code=f"error:{type(exc).__name__}")
        await self._record(message, result)

    async def _record(self, message: Outgoing, result: SendResult) -> None:
        """Save what the provider said, riding out a database restart: a sent row left "sending" would be
        sent again when its lease runs out (Telegram has no status callback to correct it)."""
        for attempt in range(6):
            try:
                await anyio.to_thread.run_sync(self._finish, message, result)
                return
            except OperationalError:
                if attempt == 5:
                    raise
                log.warning("could not record a send; retrying", extra={"outbox_id": message.id})
                await anyio.sleep(0.5 * 2 ** attempt)

    def _defer(self, message: Outgoing, seconds: float) -> None:
        now = self._clock()
        with self._sessions() as session, session.begin():
            row = session.get(OutboxMessage, message.id, with_for_update=True)
            if row is not None and row.status == OutboxStatus.SENDING:
                row.status, row.lease_until = OutboxStatus.PENDING, None
                row.next_attempt_at, row.updated_at = now + dt.timedelta(seconds=seconds), now

    def _finish(self, message: Outgoing, result: SendResult) -> None:
        now = self._clock()
        config = self._config
        with self._sessions() as session, session.begin():
            row = session.get(OutboxMessage, message.id, with_for_update=True)
            if row is None:
                return
            if row.status != OutboxStatus.SENDING:  # a status callback got there first, or the row was re-claimed
                row.provider_message_id = row.provider_message_id or result.provider_message_id
                return
            row.attempts += 1
            row.lease_until, row.updated_at, row.error_code = None, now, result.error_code
            if result.outcome == "sent":
                row.status, row.sent_at = OutboxStatus.SENT, now
                row.provider_message_id = result.provider_message_id
                row.error_code = None
            elif result.outcome == "retry" and row.attempts < config.max_attempts:
                delay = result.retry_after if result.retry_after is not None else backoff(
                    row.attempts, config.backoff_seconds, config.backoff_max_seconds, self._rng)
                row.status, row.next_attempt_at = OutboxStatus.PENDING, now + dt.timedelta(seconds=delay)
            elif result.outcome in ("opted_out", "blocked"):
                row.status = OutboxStatus.SUPPRESSED
                if row.forget_address:  # a client who deleted their data: remember nothing of them
                    pass
                elif result.outcome == "blocked":
                    mark_contact(session, channel=row.channel, address=row.address, now=now, blocked=True)
                elif result.error_code != "opted_out":  # the provider knew of a STOP we had not seen
                    mark_contact(session, channel=row.channel, address=row.address, now=now, opted_out=True)
                    actions.set_opt_out(session, channel=row.channel, address=row.address, opted_out=True, at=now)
            else:
                row.status = OutboxStatus.DEAD
            forget_finished(row, actions.erased_time)  # the "your data is deleted" message, once it is done
            status, attempts = row.status, row.attempts
        level = logging.INFO if status in (OutboxStatus.SENT, OutboxStatus.PENDING) else logging.WARNING
        log.log(level, "outbox message %s", status, extra={
            "outbox_id": message.id, "channel": message.channel, "attempts": attempts,
            "error_code": result.error_code,
        })
