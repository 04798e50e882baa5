"""Channel fixtures: the app with real webhooks, loopback fakes of Telegram and Twilio, a worker to drain."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import anyio
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from bot.channels.registry import build_senders
from bot.outbox import OutboxMessage
from bot.worker import Worker, WorkerConfig
from core.settings import Settings
from frontdoor.app import create_app
from frontdoor.runtime import Runtime
from tests.bot.channels.fakes import FakeTelegram, FakeTwilio
from tests.support import keyword_runtime

TOKEN = "123456:TEST-token"
SECRET = "tg-secret-for-tests"
ACCOUNT = "AC" + "0" * 32
AUTH = "twilio-test-auth-token"
PUBLIC = "https://frontdoor.example.org"
OUR_NUMBER = "+447700900000"


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram(TOKEN)
    yield fake
    fake.close()


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    fake = FakeTwilio(ACCOUNT, AUTH)
    yield fake
    fake.close()


@pytest.fixture
def settings(db_url: str, fake_telegram: FakeTelegram, fake_twilio: FakeTwilio) -> Settings:
    return Settings(
        database_url=db_url, telegram_bot_token=TOKEN, telegram_webhook_secret=SECRET,
        telegram_api_base=fake_telegram.url, twilio_account_sid=ACCOUNT, twilio_auth_token=AUTH,
        twilio_from_number=OUR_NUMBER, twilio_api_base=fake_twilio.url, public_base_url=PUBLIC,
        outbox_in_app=False, telegram_chat_rate_per_second=0,
    )


@pytest.fixture
def runtime(settings: Settings, clock: Any) -> Iterator[Runtime]:
    with keyword_runtime(settings, clock) as built:
        yield built


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime.settings, runtime), base_url=PUBLIC) as test_client:
        yield test_client


@pytest.fixture
def served(settings: Settings, runtime: Runtime) -> Iterator[int]:
    """The app on a real loopback socket (uvicorn), so the limit is seen from the wire."""
    server = uvicorn.Server(uvicorn.Config(create_app(settings, runtime), host="127.0.0.1", port=0,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    yield int(server.servers[0].sockets[0].getsockname()[1])
    server.should_exit = True
    thread.join(timeout=10)


Drain = Callable[..., int]


@pytest.fixture
def drain(runtime: Runtime, clock: Any) -> Drain:
    """Run a worker over everything due at the test clock's time; fresh SDK clients each call."""

    def run(**overrides: Any) -> int:
        config = dataclasses.replace(WorkerConfig(backoff_seconds=1, backoff_max_seconds=60), **overrides)

        async def go() -> int:
            senders = build_senders(runtime.settings)
            try:
                return await Worker(runtime.sessions, senders, config, clock=clock).drain()
            finally:
                for sender in senders.values():
                    await sender.aclose()

        return int(anyio.run(go))

    return run


def sign(url: str, params: dict[str, str]) -> str:
    return str(RequestValidator(AUTH).compute_signature(url, params))


def sms_in(client: TestClient, sender: str, body: str, sid: str, *, signature: str | None = None) -> int:
    """Post an inbound SMS webhook exactly as Twilio would (signed over the public URL)."""
    params = {"MessageSid": sid, "AccountSid": ACCOUNT, "From": sender, "To": OUR_NUMBER, "Body": body,
              "NumMedia": "0"}
    url = f"{PUBLIC}/webhooks/twilio/sms"
    response = client.post("/webhooks/twilio/sms", data=params,
                           headers={"X-Twilio-Signature": signature or sign(url, params)})
    return int(response.status_code)


def outbox(runtime: Runtime) -> list[OutboxMessage]:
    with runtime.sessions() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def tg_message(update_id: int, chat_id: int, text_: str) -> dict[str, Any]:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 1795000000, "text": text_,
        "chat": {"id": chat_id, "type": "private", "first_name": "Client"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "Client"},
    }}


def tg_button(update_id: int, chat_id: int, data: str) -> dict[str, Any]:
    return {"update_id": update_id, "callback_query": {
        "id": f"cb{update_id}", "chat_instance": "ci", "data": data,
        "from": {"id": chat_id, "is_bot": False, "first_name": "Client"},
        "message": {"message_id": 1, "date": 1795000000, "chat": {"id": chat_id, "type": "private"}, "text": "?"},
    }}


def tg_in(client: TestClient, update: dict[str, Any], secret: str = SECRET) -> int:
    response = client.post("/webhooks/telegram", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret})
    return int(response.status_code)
