"""The outbox worker: crash recovery, order per recipient, several workers, pacing, dead letters."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient

from bot.channels.registry import build_senders
from bot.outbox import Draft, delivery_problems, enqueue
from bot.worker import Worker, WorkerConfig, backoff
from core.db import transaction
from frontdoor.app import create_app
from frontdoor.runtime import Runtime
from tests.bot.channels.conftest import Drain, outbox, tg_in, tg_message
from tests.bot.channels.fakes import FakeTelegram

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def _wait_for(condition: Callable[[], bool], seconds: float = 30.0) -> bool:
    """Poll for an event (not a speed check): True once ``condition`` holds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def _worker_process(runtime: Runtime) -> subprocess.Popen[bytes]:
    s = runtime.settings
    env = dict(os.environ, FRONTDOOR_DATABASE_URL=s.database_url,
               FRONTDOOR_TELEGRAM_BOT_TOKEN=s.telegram_bot_token.get_secret_value(),
               FRONTDOOR_TELEGRAM_API_BASE=s.telegram_api_base, FRONTDOOR_OUTBOX_LEASE_SECONDS="1",
               FRONTDOOR_OUTBOX_POLL_SECONDS="0.05", FRONTDOOR_TELEGRAM_CHAT_RATE_PER_SECOND="0",
               FRONTDOOR_LOG_LEVEL="WARNING")
    return subprocess.Popen([sys.executable, "-m", "frontdoor.cli", "worker"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_killed_worker_the_message_is_sent_exactly_once_after_restart(client: TestClient, runtime: Runtime,
                                                                      fake_telegram: FakeTelegram) -> None:
    assert tg_in(client, tg_message(1, 777, "hi")) == 200  # committed: state + outbox rows
    rows = outbox(runtime)
    fake_telegram.fail_next("sendMessage", "hang")  # the first send never completes...
    first = _worker_process(runtime)
    try:
        assert _wait_for(lambda: fake_telegram.hung == 1)
    finally:
        first.send_signal(signal.SIGKILL)  # ...and the worker dies mid-send, row claimed
        first.wait()
    assert outbox(runtime)[0].status == "sending" and fake_telegram.sent == []
    second = _worker_process(runtime)
    try:
        assert _wait_for(lambda: {r.status for r in outbox(runtime)} == {"sent"})
    finally:
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=30) == 0, (second.stderr.read() if second.stderr else b"").decode()[-2000:]
    assert [m["text"] for m in fake_telegram.sent] == [r.body for r in rows]  # each once, in order


def test_messages_to_one_person_keep_their_order_across_retries(runtime: Runtime, fake_telegram: FakeTelegram,
                                                                drain: Drain, clock: Any) -> None:
    with transaction(runtime.sessions) as session:
        enqueue(session, channel="telegram", address="42", drafts=[Draft(f"m{n}", {}) for n in range(3)],
                key_prefix="order", now=clock.now)
    fake_telegram.fail_next("sendMessage", "500")
    drain()
    assert fake_telegram.sent == []  # m0 failed: m1 and m2 wait behind it
    clock.advance(minutes=5)
    drain()
    assert [m["text"] for m in fake_telegram.sent] == ["m0", "m1", "m2"]


def test_gives_up_into_a_dead_letter_staff_can_see(runtime: Runtime, fake_telegram: FakeTelegram, drain: Drain,
                                                   clock: Any) -> None:
    with transaction(runtime.sessions) as session:
        enqueue(session, channel="telegram", address="43", drafts=[Draft("x", {})], key_prefix="dead", now=clock.now)
    fake_telegram.fail_next("sendMessage", "500", times=3)
    for _ in range(3):
        drain(max_attempts=3)
        clock.advance(hours=1)
    with runtime.sessions() as session:
        problems = delivery_problems(session, channel="telegram", address="43")
    assert [(p.status, p.attempts) for p in problems] == [("dead", 3)]


def test_per_chat_pacing_defers_instead_of_blocking(runtime: Runtime, fake_telegram: FakeTelegram, clock: Any) -> None:
    with transaction(runtime.sessions) as session:
        enqueue(session, channel="telegram", address="44", drafts=[Draft(f"m{n}", {}) for n in range(4)],
                key_prefix="pace", now=clock.now)
        enqueue(session, channel="telegram", address="45", drafts=[Draft("other", {})], key_prefix="pace2",
                now=clock.now)
    config = WorkerConfig(recipient_rates={"telegram": 0.001}, recipient_burst=2)

    async def go() -> None:
        senders = build_senders(runtime.settings)
        try:
            await Worker(runtime.sessions, senders, config, clock=clock).drain()
        finally:
            for sender in senders.values():
                await sender.aclose()

    anyio.run(go)
    assert sorted(m["text"] for m in fake_telegram.sent) == ["m0", "m1", "other"]
    third = [r for r in outbox(runtime) if r.body == "m2"][0]
    assert third.status == "pending" and third.attempts == 0  # deferred, not counted as a failure


def test_backoff_grows_with_jitter() -> None:
    import random

    rng = random.Random(1)
    delays = [backoff(n, 2.0, 900.0, rng) for n in range(1, 12)]
    assert 1.0 <= delays[0] <= 2.0
    assert all(d <= 900.0 for d in delays) and delays[8] > delays[2]


def test_several_workers_share_the_outbox_on_postgresql(db_url: str, runtime: Runtime, fake_telegram: FakeTelegram,
                                                        clock: Any) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("SKIP LOCKED needs PostgreSQL; SQLite runs one worker")
    with transaction(runtime.sessions) as session:
        for chat in range(30):
            enqueue(session, channel="telegram", address=str(1000 + chat),
                    drafts=[Draft(f"{chat}:{n}", {}) for n in range(3)], key_prefix=f"many{chat}", now=clock.now)
    config = dataclasses.replace(WorkerConfig(), batch=7)

    async def go() -> None:
        senders = [build_senders(runtime.settings) for _ in range(3)]
        try:
            async with anyio.create_task_group() as group:
                for own in senders:
                    group.start_soon(Worker(runtime.sessions, own, config, clock=clock).drain)
        finally:
            for own in senders:
                for sender in own.values():
                    await sender.aclose()

    anyio.run(go)
    texts = [m["text"] for m in fake_telegram.sent]
    assert sorted(texts) == sorted(f"{c}:{n}" for c in range(30) for n in range(3))  # each exactly once
    for chat in range(30):
        mine = [t for t in texts if t.startswith(f"{chat}:")]
        assert mine == [f"{chat}:{n}" for n in range(3)]


def test_serve_runs_the_worker_in_the_app(runtime: Runtime, fake_telegram: FakeTelegram) -> None:
    app_settings = runtime.settings.model_copy(update={"outbox_in_app": True, "outbox_poll_seconds": 0.05})
    app_runtime = dataclasses.replace(runtime, settings=app_settings)
    with TestClient(create_app(app_runtime.settings, app_runtime)) as app_client:
        assert tg_in(app_client, tg_message(1, 888, "hi")) == 200
        assert _wait_for(lambda: len(fake_telegram.sent) == len(outbox(runtime)) > 0)
    assert {r.status for r in outbox(runtime)} == {"sent"}
