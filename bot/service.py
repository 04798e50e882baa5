"""Where every client message enters, whatever the channel.

``ConversationService.handle`` classifies the text, loads the client's state,
runs the pure engine, and in ONE transaction saves the new state and applies
the engine's effects (consents, referrals, unmet needs). Channels (SMS,
Telegram, console, web simulator, ``frontdoor simulate``) only call this.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import anyio
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from bot.conversation import Conversation
from bot.effects import (
    CreateReferral,
    DeleteClientData,
    Effect,
    FlagUrgent,
    OptIn,
    OptOut,
    RecordConsent,
    RecordSignpost,
    RecordUnmetNeed,
)
from bot.engine import Env, Inbound, handle
from bot.erasure import erase_client
from bot.replies import Reply
from bot.state import State
from core.settings import Settings
from core.text import valid_unicode
from directory.matching import DirectorySnapshot, load_snapshot
from nlu.result import Classifier, NluResult
from referrals import actions
from referrals.queries import referrals_this_week

__all__ = ["ConversationService", "HandledMessage", "SavedTurn", "TurnHook"]

log = logging.getLogger("frontdoor.conversation")
MAX_INBOUND_CHARS = 10_000
_RETRY_SECONDS = 20.0  # a turn that still cannot be saved after this surfaces as an error (the provider retries)
_LOCK_STRIPES = 64


@dataclass(frozen=True)
class HandledMessage:
    conversation_id: str | None
    replies: list[Reply]
    step: str
    language: str = "en"  # the conversation's language after this turn (for lang/dir in the simulator)


@dataclass(frozen=True)
class SavedTurn:
    """What a turn decided, handed to a :data:`TurnHook` before the transaction commits."""

    channel: str
    address: str
    conversation_id: str | None
    replies: list[Reply]
    effects: list[Effect]
    now: dt.datetime
    erased_conversation_id: str | None = None  # "delete my data": the conversation that was just forgotten


# Called inside the turn's transaction (e.g. to write replies to the outbox and record the
# inbound message id), so they commit or roll back together with the conversation state.
TurnHook = Callable[[Session, SavedTurn], None]


class ConversationService:
    """Runs one client message through classifier, engine and database."""

    def __init__(self, factory: sessionmaker[Session], classifier: Classifier, settings: Settings, *,
                 clock: Callable[[], dt.datetime] | None = None, snapshot_ttl: float = 30.0) -> None:
        self._factory = factory
        self._classifier = classifier
        self._settings = settings
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._snapshot: DirectorySnapshot | None = None
        self._snapshot_loaded = 0.0
        self._snapshot_ttl = snapshot_ttl
        self._locks = [threading.Lock() for _ in range(_LOCK_STRIPES)]

    async def handle(self, channel: str, address: str, text: str, *,
                     on_saved: TurnHook | None = None, simulated: bool = False) -> HandledMessage:
        """Handle one inbound message; replies are returned only after everything is saved.

        ``on_saved`` runs inside the same transaction as the new state; if it raises,
        nothing of the turn is saved and the exception reaches the caller. A
        ``simulated`` client (the web simulator) gets referrals marked simulated,
        which no partner queue, count, capacity or export includes.
        """
        text = clean_text(text)
        now = self._clock()
        language = await anyio.to_thread.run_sync(self._language_of, channel, address)
        nlu = await self._classify(text, language, now.date())
        return await anyio.to_thread.run_sync(
            lambda: self._apply(channel, address, text, nlu, now, on_saved, simulated))

    def handle_sync(self, channel: str, address: str, text: str, *,
                    on_saved: TurnHook | None = None, simulated: bool = False) -> HandledMessage:
        """The same as :meth:`handle` for callers without an event loop (CLI, benchmarks)."""
        return anyio.run(lambda: self.handle(channel, address, text, on_saved=on_saved, simulated=simulated))

    async def _classify(self, text: str, language: str, today: dt.date) -> NluResult:
        try:
            return await self._classifier.classify(text, language=language, today=today)
        except Exception:  # the classifier must never lose a message: carry on with nothing found
            log.exception("classifier failed; continuing without NLU")
            return NluResult(source="fallback")

    def _language_of(self, channel: str, address: str) -> str:
        with self._factory() as session:
            saved = session.scalar(
                select(Conversation.state).where(Conversation.channel == channel, Conversation.address == address)
            )
        return str(saved.get("language", "en")) if saved else self._settings.default_language

    def _directory(self, session: Session, now: dt.datetime) -> DirectorySnapshot:
        if self._snapshot is None or time.monotonic() - self._snapshot_loaded > self._snapshot_ttl:
            self._snapshot = load_snapshot(session, referrals_this_week=referrals_this_week(session, now=now))
            self._snapshot_loaded = time.monotonic()
        return self._snapshot

    def invalidate_directory(self) -> None:
        """Call after the directory or referral counts change, so matching sees it."""
        self._snapshot = None

    def _apply(self, channel: str, address: str, text: str, nlu: NluResult, now: dt.datetime,
               on_saved: TurnHook | None = None, simulated: bool = False) -> HandledMessage:
        # One turn per client at a time in this process (a burst from one phone queues here instead of
        # racing); across processes the row lock (PostgreSQL) or the version check plus retries settle it.
        with self._locks[hash((channel, address)) % len(self._locks)]:
            deadline = time.monotonic() + _RETRY_SECONDS
            attempt = 0
            while True:
                try:
                    return self._apply_once(channel, address, text, nlu, now, on_saved, simulated)
                except (StaleDataError, IntegrityError, OperationalError) as exc:
                    # Another message from the same client was saved first, or the database was busy:
                    # run again on the newest state, backing off, until the time budget is spent.
                    attempt += 1
                    if time.monotonic() >= deadline:
                        raise RuntimeError("conversation kept changing; gave up after retries") from exc
                    log.info("conversation changed concurrently; retrying",
                             extra={"attempt": attempt, "error": type(exc).__name__})
                    time.sleep(min(1.0, 0.02 * 2 ** min(attempt, 6)) * random.uniform(0.5, 1.0))

    def _apply_once(self, channel: str, address: str, text: str, nlu: NluResult, now: dt.datetime,
                    on_saved: TurnHook | None = None, simulated: bool = False) -> HandledMessage:
        with self._factory() as session, session.begin():
            row = session.scalar(
                select(Conversation).where(Conversation.channel == channel, Conversation.address == address)
                .with_for_update()
            )
            state = State.from_json(row.state) if row else State(language=self._settings.default_language)
            env = Env(now=now, channel=channel, directory=self._directory(session, now),
                      new_id=lambda: str(uuid.uuid4()), idle=dt.timedelta(minutes=self._settings.idle_minutes),
                      consent_version=self._settings.consent_wording_version)
            outcome = handle(state, Inbound(text, nlu), env)
            deleted = any(isinstance(e, DeleteClientData) for e in outcome.effects)
            simulated = simulated or (row is not None and row.simulated)
            self._apply_effects(session, outcome.effects, channel, address, now, simulated)
            erased_id = None
            if deleted:
                if row is not None:
                    erased_id = row.id
                    session.delete(row)
                row = None
            elif row is None:
                row = Conversation(id=str(uuid.uuid4()), channel=channel, address=address,
                                   state=outcome.state.to_json(), step=outcome.state.step, created_at=now,
                                   updated_at=now, simulated=simulated)
                session.add(row)
            else:
                row.state, row.step, row.updated_at = outcome.state.to_json(), outcome.state.step, now
            conversation_id = row.id if row is not None else None
            if on_saved is not None:
                on_saved(session, SavedTurn(channel, address, conversation_id, list(outcome.replies),
                                            list(outcome.effects), now, erased_id))
        if any(isinstance(e, CreateReferral) for e in outcome.effects):
            self.invalidate_directory()
        log.info("message handled", extra={
            "conversation": conversation_id, "channel": channel, "from_step": state.step,
            "to_step": outcome.state.step, "replies": len(outcome.replies), "nlu": nlu.source,
            "effects": [type(e).__name__ for e in outcome.effects],
        })
        return HandledMessage(conversation_id, outcome.replies, outcome.state.step, outcome.state.language)

    def _apply_effects(self, session: Session, effects: list[Effect], channel: str, address: str,
                       now: dt.datetime, simulated: bool) -> None:
        for effect in effects:
            if isinstance(effect, RecordConsent):
                actions.record_consent(
                    session, consent_id=effect.consent_id, client_channel=channel, client_address=address,
                    organization_id=effect.organization_id, granted=effect.granted,
                    wording_version=effect.wording_version, wording_text=effect.wording_text,
                    language=effect.language, at=effect.at)
            elif isinstance(effect, CreateReferral):
                actions.create_referral(
                    session, consent_id=effect.consent_id, at=now, id=effect.referral_id,
                    reference=effect.reference, organization_id=effect.organization_id,
                    service_id=effect.service_id, categories=list(effect.categories), summary=effect.summary,
                    client_name=effect.client_name, language=effect.language, deadline=effect.deadline,
                    deadline_text=effect.deadline_text, urgent=effect.urgent, crisis=effect.crisis,
                    communication_needs=effect.communication_needs, routing=effect.routing,
                    postcode=effect.postcode, area=effect.area, simulated=simulated)
            elif isinstance(effect, RecordUnmetNeed):
                actions.record_unmet_need(session, category=effect.category, area=effect.area,
                                          language=effect.language, reason=effect.reason, at=now)
            elif isinstance(effect, RecordSignpost):
                actions.record_signpost(session, category=effect.category, service_id=effect.service_id,
                                        reason=effect.reason, area=effect.area, language=effect.language, at=now)
            elif isinstance(effect, FlagUrgent):
                actions.flag_urgent(session, channel=channel, address=address, at=now, reason=effect.reason)
            elif isinstance(effect, DeleteClientData):
                erase_client(session, channel=channel, address=address, at=now)
            elif isinstance(effect, OptOut | OptIn):
                actions.set_opt_out(session, channel=channel, address=address,
                                    opted_out=isinstance(effect, OptOut), at=now)


def clean_text(text: str) -> str:
    """Keep what a person wrote; drop what no person writes (control bytes, NULs, lone surrogates, overlong tails)."""
    text = valid_unicode(text[:MAX_INBOUND_CHARS])
    return "".join(ch for ch in text if ch in "\n\t" or (ch >= " " and ch != "\x7f" and ch != "\ufffd"))
