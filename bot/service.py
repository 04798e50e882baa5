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
from dataclasses import dataclass, replace
from enum import Enum
from functools import partial
from typing import Protocol

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
from bot.expect import Expectation, expects, is_exact_answer
from bot.handoff import HandoffTurn
from bot.handoff import route as route_handoff
from bot.replies import Reply
from bot.state import State, Step
from core.settings import Settings
from core.text import MAX_INBOUND_CHARS, valid_unicode
from directory.general_queue import ensure_general_queue
from directory.matching import DirectoryCache, DirectorySnapshot, load_snapshot
from nlu.keywords import KeywordClassifier
from nlu.result import Classifier, NluResult
from referrals import actions
from referrals.queries import service_usage

__all__ = ["UNREAD", "ClientProfile", "ConversationService", "HandledMessage", "SavedTurn", "TurnHook",
           "TurnNotSaved", "TurnObserver", "Unread"]

log = logging.getLogger("frontdoor.conversation")
_RETRY_SECONDS = 20.0  # a turn that still cannot be saved after this surfaces as TurnNotSaved
_LOCK_STRIPES = 64


class Unread(Enum):
    """The caller has not read the client's saved state: :meth:`ConversationService.handle` reads it."""

    UNREAD = "unread"


UNREAD = Unread.UNREAD


@dataclass(frozen=True)
class HandledMessage:
    conversation_id: str | None
    replies: list[Reply]
    step: str
    language: str = "en"  # the conversation's language after this turn (for lang/dir in the simulator)


@dataclass(frozen=True)
class ClientProfile:
    """What a channel knows of the client besides the message (Telegram's first name and app language)."""

    name: str | None = None
    language_code: str | None = None


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


class TurnNotSaved(RuntimeError):
    """A turn that could not be saved; ``reason`` is "contention", "database" or "integrity".

    Through a webhook the stored inbound message is simply retried later (:mod:`bot.inbound_worker`).
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def _unique_violation(exc: IntegrityError) -> bool:
    """Two first messages raced to create the same conversation (or record): a retry sees the winner."""
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate is not None:
        return str(sqlstate) == "23505"
    return "UNIQUE constraint failed" in str(exc.orig)


def _constraint(exc: IntegrityError) -> str:
    diag = getattr(exc.orig, "diag", None)
    name = getattr(diag, "constraint_name", None)
    return str(name) if name else str(exc.orig).splitlines()[0][:120]


class TurnObserver(Protocol):
    """Told how each turn went (the web app counts it for /metrics); must be cheap and never raise."""

    def nlu_done(self, source: str, seconds: float) -> None:
        """One message classified: which source answered (``NluResult.source``) and how long it took."""

    def turn_done(self, channel: str, seconds: float) -> None:
        """One message handled end to end (classified, engine run, saved)."""


class _NoObserver:
    def nlu_done(self, source: str, seconds: float) -> None:
        pass

    def turn_done(self, channel: str, seconds: float) -> None:
        pass


class ConversationService:
    """Runs one client message through classifier, engine and database."""

    def __init__(self, factory: sessionmaker[Session], classifier: Classifier, settings: Settings, *,
                 clock: Callable[[], dt.datetime] | None = None,
                 observer: TurnObserver | None = None, skip_model: bool = True,
                 retry_seconds: float = _RETRY_SECONDS) -> None:
        self._factory = factory
        self.retry_seconds = retry_seconds  # how long a turn is retried in-process before TurnNotSaved
        self._classifier = classifier
        self._keywords = KeywordClassifier()  # answers exact replies (a menu number, "yes", a postcode) alone
        self._skip_model = skip_model
        self.observer: TurnObserver = observer or _NoObserver()
        self._settings = settings
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        # The directory's records and index, kept until any process publishes or imports (its generation moves);
        # referral counts are read per match, for the candidates only, so they are never kept.
        self.directory = DirectoryCache()
        self._locks = [threading.Lock() for _ in range(_LOCK_STRIPES)]

    @property
    def clock(self) -> Callable[[], dt.datetime]:
        """The service's clock (tests move it by hand): the inbound processor keeps time by it too."""
        return self._clock

    async def handle(self, channel: str, address: str, text: str, *,
                     on_saved: TurnHook | None = None, simulated: bool = False,
                     profile: ClientProfile | None = None, saved: State | None | Unread = UNREAD) -> HandledMessage:
        """Handle one inbound message; replies are returned only after everything is saved.

        ``on_saved`` runs inside the same transaction as the new state; if it raises,
        nothing of the turn is saved and the exception reaches the caller. A
        ``simulated`` client (the web simulator) gets referrals marked simulated,
        which no partner queue, count, capacity or export includes. ``profile`` is what the
        channel knows of the client (Telegram: first name, app language), offered, never assumed.
        ``saved``: the client's state as the caller already read it (:meth:`saved_state_in`), which saves
        a transaction; it only chooses how to classify, since the turn reads the state again under its lock.
        """
        started = time.perf_counter()
        text = clean_text(text)
        now = self._clock()
        if saved is UNREAD:
            saved = await anyio.to_thread.run_sync(self._saved_state, channel, address)
        state = saved or State(language=self._settings.default_language)
        nlu = await self._classify(text, state.language, now.date(), expects(state, channel))
        handled = await anyio.to_thread.run_sync(
            lambda: self._apply(channel, address, text, nlu, now, on_saved, simulated, profile))
        self.observer.turn_done(channel, time.perf_counter() - started)
        return handled

    def handle_sync(self, channel: str, address: str, text: str, *,
                    on_saved: TurnHook | None = None, simulated: bool = False,
                    profile: ClientProfile | None = None) -> HandledMessage:
        """The same as :meth:`handle` for callers without an event loop (CLI, benchmarks)."""
        return anyio.run(lambda: self.handle(channel, address, text, on_saved=on_saved, simulated=simulated,
                                             profile=profile))

    async def _classify(self, text: str, language: str, today: dt.date, expectation: Expectation) -> NluResult:
        started = time.perf_counter()
        result = await self._classify_with(text, language, today, expectation)
        self.observer.nlu_done(result.source, time.perf_counter() - started)
        return result

    async def _classify_with(self, text: str, language: str, today: dt.date,
                             expectation: Expectation) -> NluResult:
        """The keyword result alone when the message is exactly what the step expects, else the classifier's.

        The crisis phrases run on every message: a message they flag, or one whose words name a
        problem, always goes to the classifier (``source`` says which answered).
        """
        if self._skip_model and is_exact_answer(expectation, text):
            quick = self._keywords.classify_sync(text, language=language, today=today)
            if not quick.crisis and not quick.categories:
                return replace(quick, source="skipped")
        try:
            return await self._classifier.classify(text, language=language, today=today)
        except Exception:  # the classifier must never lose a message: carry on with nothing found
            log.exception("classifier failed; continuing without NLU")
            return NluResult(source="fallback")

    def _saved_state(self, channel: str, address: str) -> State | None:
        """The client's saved state before this turn (for its language and the step's expectation)."""
        with self._factory() as session:
            return self.saved_state_in(session, channel, address)

    def saved_state_in(self, session: Session, channel: str, address: str) -> State | None:
        """:meth:`_saved_state` inside the caller's transaction (the inbound claim reads it with its lease)."""
        saved = session.scalar(
            select(Conversation.state).where(Conversation.channel == channel, Conversation.address == address)
        )
        if not saved:
            return None
        try:
            return State.from_json(saved)
        except (TypeError, ValueError):  # a state this version cannot read: the engine decides; here, no skip
            return State(step=Step.DESCRIBE, language=str(saved.get("language", self._settings.default_language)))

    def _directory(self, session: Session, now: dt.datetime) -> DirectorySnapshot:
        """This turn's directory: the cached index (if still the committed one) and this turn's referral counts."""
        return load_snapshot(session, cache=self.directory, usage=partial(service_usage, session, now=now))

    def refresh_directory(self) -> None:
        """Read the directory again at the next match (publishing needs no call: the generation tells every process)."""
        self.directory.refresh()

    def _apply(self, channel: str, address: str, text: str, nlu: NluResult, now: dt.datetime,
               on_saved: TurnHook | None = None, simulated: bool = False,
               profile: ClientProfile | None = None) -> HandledMessage:
        # One turn per client at a time in this process (a burst from one phone queues here instead of
        # racing); across processes the row lock (PostgreSQL) or the version check plus retries settle it.
        with self._locks[hash((channel, address)) % len(self._locks)]:
            deadline = time.monotonic() + self.retry_seconds
            attempt = 0
            broken_rules = 0
            while True:
                try:
                    return self._apply_once(channel, address, text, nlu, now, on_saved, simulated, profile)
                except (StaleDataError, IntegrityError, OperationalError) as exc:
                    attempt += 1
                    if isinstance(exc, IntegrityError) and not _unique_violation(exc):
                        # Not a race: the turn broke a rule (e.g. a foreign key to a directory record that is
                        # gone). The one fixable cause is our cached directory: reload it and try once more.
                        self.refresh_directory()
                        broken_rules += 1
                        if broken_rules > 1:
                            raise TurnNotSaved("integrity", "the turn broke a database rule "
                                               f"({_constraint(exc)}); nothing was saved") from exc
                    elif time.monotonic() >= deadline:
                        reason = "contention" if isinstance(exc, StaleDataError | IntegrityError) else "database"
                        raise TurnNotSaved(reason, "conversation kept changing; gave up after retries"
                                           if reason == "contention" else "the database stayed unavailable; "
                                           "nothing was saved") from exc
                    log.info("turn not saved; retrying",
                             extra={"attempt": attempt, "error": type(exc).__name__})
                    time.sleep(min(1.0, 0.02 * 2 ** min(attempt, 6)) * random.uniform(0.5, 1.0))

    def _apply_once(self, channel: str, address: str, text: str, nlu: NluResult, now: dt.datetime,
                    on_saved: TurnHook | None = None, simulated: bool = False,
                    profile: ClientProfile | None = None) -> HandledMessage:
        with self._factory() as session, session.begin():
            row = session.scalar(
                select(Conversation).where(Conversation.channel == channel, Conversation.address == address)
                .with_for_update()
            )
            state = State.from_json(row.state) if row else State(language=self._settings.default_language)
            # A client talking to an adviser: the message goes to the referral's thread, not the engine.
            routed = route_handoff(session, channel=channel, address=address, text=text, nlu=nlu, state=state,
                                   now=now)
            if routed is not None:
                return self._handed_off(session, row, state, routed, channel, address, nlu, now, on_saved)
            settings = self._settings
            env = Env(now=now, channel=channel, directory=self._directory(session, now),
                      new_id=lambda: str(uuid.uuid4()), idle=dt.timedelta(minutes=settings.idle_minutes),
                      consent_version=settings.consent_wording_version, network_name=settings.network_name,
                      complaints_contact=settings.complaints_contact)
            known = profile or ClientProfile()
            outcome = handle(state, Inbound(text, nlu, known.name, known.language_code), env)
            deleted = any(isinstance(e, DeleteClientData) for e in outcome.effects)
            # A new conversation's id is chosen before the effects, so a referral made now can point to it.
            kept_id = row.id if row is not None else str(uuid.uuid4())
            simulated = simulated or (row is not None and row.simulated)
            self._apply_effects(session, outcome.effects, channel, address, now, kept_id, simulated)
            erased_id = None
            if deleted:
                if row is not None:
                    erased_id = row.id
                    session.delete(row)
                row = None
            elif row is None:
                row = Conversation(id=kept_id, channel=channel, address=address,
                                   state=outcome.state.to_json(), step=outcome.state.step, created_at=now,
                                   updated_at=now, simulated=simulated)
                session.add(row)
            else:
                row.state, row.step, row.updated_at = outcome.state.to_json(), outcome.state.step, now
            conversation_id = row.id if row is not None else None
            if on_saved is not None:
                on_saved(session, SavedTurn(channel, address, conversation_id, list(outcome.replies),
                                            list(outcome.effects), now, erased_id))
        log.info("message handled", extra={
            "conversation": conversation_id, "channel": channel, "from_step": state.step,
            "to_step": outcome.state.step, "replies": len(outcome.replies), "nlu": nlu.source,
            "effects": [type(e).__name__ for e in outcome.effects],
        })
        return HandledMessage(conversation_id, outcome.replies, outcome.state.step, outcome.state.language)

    def _handed_off(self, session: Session, row: Conversation | None, state: State, routed: HandoffTurn,
                    channel: str, address: str, nlu: NluResult, now: dt.datetime,
                    on_saved: TurnHook | None) -> HandledMessage:
        """Finish a turn the handoff router took: the hook (outbox, inbound record) in the same transaction."""
        conversation_id = row.id if row is not None else None
        if on_saved is not None:
            on_saved(session, SavedTurn(channel, address, conversation_id, list(routed.replies), [], now))
        log.info("message handled", extra={"conversation": conversation_id, "channel": channel,
                                           "from_step": state.step, "to_step": "handoff",
                                           "replies": len(routed.replies), "nlu": nlu.source})
        return HandledMessage(conversation_id, routed.replies, state.step, state.language)

    def _apply_effects(self, session: Session, effects: list[Effect], channel: str, address: str,
                       now: dt.datetime, conversation_id: str, simulated: bool) -> None:
        queue_id = Env.network_queue
        if any(getattr(e, "organization_id", None) == queue_id for e in effects):
            ensure_general_queue(session, queue_id, self._settings.network_name)
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
                    conversation_id=conversation_id,
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
