"""Fault injection: a turn that cannot run now is retried from its stored message, once, in order.

Each test makes one piece fail the way it fails in production (an error escaping the NLU call, the
database going away mid-turn, a process dying after its claim, a provider delivering twice) and
checks, from the database and the fake provider, that the webhook still answered 200, that nothing
was half-saved, and that the retry answered the message exactly once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import anyio
import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

import bot.inbound_worker as inbound_worker
from bot.conversation import Conversation
from bot.inbound import InboundMessage
from bot.service import ConversationService, TurnNotSaved
from frontdoor.runtime import Runtime
from tests.bot.channels.conftest import Drain, outbox, sms_in, tg_in, tg_message
from tests.bot.channels.fakes import FakeTwilio
from tests.conftest import FixedClock

CLIENT = "+447700900456"


def _inbound(runtime: Runtime) -> list[InboundMessage]:
    with runtime.sessions() as session:
        return list(session.scalars(select(InboundMessage).order_by(InboundMessage.id)))


def _conversations(runtime: Runtime) -> int:
    with runtime.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Conversation)) or 0)


def _retry(runtime: Runtime, clock: FixedClock) -> int:
    """What the inbound worker does once its backoff has passed."""
    clock.advance(minutes=10)
    return int(anyio.run(runtime.inbound.drain))


def _failing(times: int, error: Callable[[], Exception], real: Callable[..., Any]) -> Callable[..., Any]:
    calls = {"n": 0}

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] <= times:
            raise error()
        return real(*args, **kwargs)

    return wrapper


def test_an_error_escaping_the_nlu_call_leaves_the_message_stored_and_the_retry_answers_it(
        client: TestClient, runtime: Runtime, clock: FixedClock, fake_twilio: FakeTwilio, drain: Drain,
        monkeypatch: pytest.MonkeyPatch) -> None:
    real = runtime.conversations._classify
    calls = {"n": 0}

    async def nlu_down(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise httpx.ConnectError("NLU server unreachable")
        return await real(*args, **kwargs)

    monkeypatch.setattr(runtime.conversations, "_classify", nlu_down)
    assert sms_in(client, CLIENT, "hi", "SMnlu1") == 200  # stored: the provider must not retry (or give up)
    [row] = _inbound(runtime)
    assert row.status == "pending" and row.attempts == 1 and row.error_code == "ConnectError"
    assert row.text == "hi" and outbox(runtime) == [] and _conversations(runtime) == 0
    assert _retry(runtime, clock) == 1
    [row] = _inbound(runtime)
    assert row.status == "done" and row.text is None and row.address is None  # words kept only while open
    drain()
    assert len(fake_twilio.messages) >= 1 and {m["To"] for m in fake_twilio.messages} == {CLIENT}


def test_the_database_failing_mid_turn_rolls_the_turn_back_and_the_retry_runs_it_once(
        client: TestClient, runtime: Runtime, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    runtime.conversations.retry_seconds = 0  # the in-process retries are spent at once: the row takes over
    gone = _failing(2, lambda: OperationalError("INSERT", {}, Exception("server closed the connection")),
                    inbound_worker.finish_turn)
    monkeypatch.setattr(inbound_worker, "finish_turn", gone)
    assert sms_in(client, CLIENT, "hi", "SMdb1") == 200
    assert [r.status for r in _inbound(runtime)] == ["pending"]
    assert outbox(runtime) == [] and _conversations(runtime) == 0  # nothing half-saved
    assert _retry(runtime, clock) == 1  # fails a second time
    assert [(r.status, r.attempts) for r in _inbound(runtime)] == [("pending", 2)]
    assert _retry(runtime, clock) == 1
    assert [(r.status, r.attempts) for r in _inbound(runtime)] == [("done", 3)]
    first = [m.id for m in outbox(runtime)]
    assert first and _conversations(runtime) == 1
    assert _retry(runtime, clock) == 0 and [m.id for m in outbox(runtime)] == first  # nothing run twice


def test_a_message_claimed_by_a_process_that_died_is_run_after_its_lease(
        runtime: Runtime, clock: FixedClock) -> None:
    from bot.channels.base import InboundEvent

    event = InboundEvent("sms", CLIENT, "SMdied", "hi")

    async def claim_and_die() -> int:
        inbound_id = await anyio.to_thread.run_sync(lambda: inbound_worker.accept(runtime.sessions, event, clock()))
        assert inbound_id is not None
        state, _ = runtime.inbound._claim_head("sms", CLIENT, inbound_id)  # claimed, then the process is gone
        assert state == "claimed"
        return inbound_id

    anyio.run(claim_and_die)
    assert anyio.run(runtime.inbound.drain) == 0  # its lease still runs: nobody else may take it
    clock.advance(seconds=runtime.inbound.config.lease.total_seconds() + 1)
    assert anyio.run(runtime.inbound.drain) == 1
    assert [r.status for r in _inbound(runtime)] == ["done"] and outbox(runtime)


def test_a_later_message_waits_for_the_failed_one_before_it(
        client: TestClient, runtime: Runtime, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    runtime.conversations.retry_seconds = 0
    runtime.inbound.config = inbound_worker.InboundConfig(inline_seconds=0.2)
    monkeypatch.setattr(inbound_worker, "finish_turn", _failing(
        1, lambda: OperationalError("UPDATE", {}, Exception("deadlock detected")), inbound_worker.finish_turn))
    assert sms_in(client, CLIENT, "hi", "SMorder1") == 200
    assert sms_in(client, CLIENT, "1", "SMorder2") == 200  # stored, but not run ahead of the first
    assert [r.status for r in _inbound(runtime)] == ["pending", "pending"] and outbox(runtime) == []
    _retry(runtime, clock)
    assert [r.status for r in _inbound(runtime)] == ["done", "done"]
    keys = [m.idempotency_key.split(":")[1] for m in outbox(runtime)]
    assert keys.index("SMorder1") < keys.index("SMorder2")  # replies in the order the client wrote


def test_duplicate_deliveries_at_once_and_later_run_one_turn(
        client: TestClient, runtime: Runtime, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    statuses: list[int] = []

    def post() -> None:
        statuses.append(sms_in(client, CLIENT, "hi", "SMtwice"))

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 4
    queued = outbox(runtime)
    assert queued and len(_inbound(runtime)) == 1
    # A replay of a message whose turn failed: stored once, run once by the retry.
    runtime.conversations.retry_seconds = 0
    monkeypatch.setattr(inbound_worker, "finish_turn", _failing(
        1, lambda: OperationalError("INSERT", {}, Exception("gone")), inbound_worker.finish_turn))
    assert tg_in(client, tg_message(77, 5150, "hi")) == 200
    assert tg_in(client, tg_message(77, 5150, "hi")) == 200
    _retry(runtime, clock)
    telegram = [m for m in outbox(runtime) if m.channel == "telegram"]
    assert telegram and len({m.idempotency_key for m in telegram}) == len(telegram)
    assert [r.status for r in _inbound(runtime)] == ["done", "done"] and len(outbox(runtime)) == len(queued) + len(
        telegram)


def test_a_broken_database_rule_is_reported_as_such_not_as_contention(service: ConversationService) -> None:
    calls = {"n": 0}

    def breaks_a_foreign_key(session: Any, _turn: Any) -> None:
        calls["n"] += 1
        session.execute(text("INSERT INTO audit_event (referral_id, at, actor, action, detail) "
                             "VALUES ('no-such-referral', CURRENT_TIMESTAMP, 'x', 'x', '{}')"))

    with pytest.raises(TurnNotSaved) as caught:
        service.handle_sync("sms", CLIENT, "hi", on_saved=breaks_a_foreign_key)
    assert caught.value.reason == "integrity" and "kept changing" not in str(caught.value)
    assert calls["n"] == 2  # once more with a fresh directory, then it says what broke (not 20 s of retries)


def test_a_nul_in_any_field_is_stored_without_it(client: TestClient, runtime: Runtime) -> None:
    """Found by the fuzz test: PostgreSQL text cannot hold NUL, so such a message could not be stored (500)."""
    assert tg_in(client, tg_message(91, 6160, "hi\x00 there")) == 200
    assert sms_in(client, "+44770090\x000999", "hel\x00lo", "SMnul\x00") == 200
    rows = _inbound(runtime)
    assert [(r.status, r.error_code) for r in rows] == [("done", None), ("done", None)]
    assert rows[1].external_id == "SMnul"


def test_a_webhook_beyond_the_inline_turns_is_stored_answered_at_once_and_run_by_the_worker(
        client: TestClient, runtime: Runtime, clock: FixedClock) -> None:
    runtime.inbound.config = inbound_worker.InboundConfig(inline_turns=0, burst_seconds=600)  # every slot taken
    assert sms_in(client, CLIENT, "hi", "SMbusy1") == 200
    assert [r.status for r in _inbound(runtime)] == ["pending"] and outbox(runtime) == []
    assert anyio.run(runtime.inbound.drain) == 1  # due at once: no backoff or inline hand-over to wait for
    assert [r.status for r in _inbound(runtime)] == ["done"] and outbox(runtime)
    # A slot is free again, but the burst is still on: stored and answered, the worker runs it.
    runtime.inbound.config = inbound_worker.InboundConfig(inline_turns=1, burst_seconds=600)
    assert sms_in(client, CLIENT, "1", "SMbusy2") == 200
    assert [r.status for r in _inbound(runtime)] == ["done", "pending"]
    assert anyio.run(runtime.inbound.drain) == 1
    runtime.inbound.config = inbound_worker.InboundConfig(inline_turns=1, burst_seconds=0)  # the burst is over
    assert sms_in(client, CLIENT, "my landlord wants me out", "SMbusy3") == 200
    assert [r.status for r in _inbound(runtime)] == ["done", "done", "done"]


def test_a_burst_lasts_while_deliveries_arrive_faster_than_the_inline_turns(runtime: Runtime) -> None:
    now = [1000.0]
    processor = inbound_worker.InboundProcessor(
        runtime.sessions, runtime.conversations, {}, inbound_worker.InboundConfig(inline_turns=2, burst_seconds=2.0),
        ticks=lambda: now[0])
    allowed = processor._inline_allowed

    def at(moment: float) -> bool:
        now[0] = moment
        return allowed()

    assert at(1000.0)  # quiet: inline
    processor._inline = 2  # both inline slots taken
    assert not at(1000.1)  # the burst begins
    processor._inline = 0  # the slots are free again, but deliveries keep coming: 3 and 4 in 2 s
    assert not at(1000.5) and not at(1001.5)  # more than 2 in the window: the burst goes on from each
    assert not at(1003.4)  # 2 in the last 2 s, still inside the window of the last busy one
    assert at(1003.6)  # arrivals slowed down and the window is over: turns run in the webhook again
