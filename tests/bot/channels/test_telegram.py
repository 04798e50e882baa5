"""Telegram end to end: updates into our webhook, PTB's Bot out to a loopback fake Bot API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.conversation import Conversation
from bot.inbound import InboundMessage
from bot.outbox import ChannelContact
from frontdoor.runtime import Runtime
from frontdoor.workers import set_telegram_webhook
from referrals.models import Referral
from tests.bot.channels.conftest import SECRET, Drain, outbox, tg_button, tg_in, tg_message
from tests.bot.channels.fakes import FakeTelegram

CHAT = 555001


def test_full_journey_over_telegram_with_buttons(client: TestClient, runtime: Runtime, fake_telegram: FakeTelegram,
                                                 drain: Drain) -> None:
    steps: list[tuple[str, str]] = [
        ("text", "/start luton-library"), ("button", "1"),
        ("text", "i owe money on 3 credit cards and a payday loan, they keep phoning me"), ("button", "1"),
        ("text", "no"), ("button", "2"), ("text", "LU2 7AB"), ("button", "1"), ("text", "yes"),
        ("text", "Anna"),  # offered "Client" (the profile name), they send the name to use
    ]
    for number, (kind, value) in enumerate(steps, start=100):
        update = tg_message(number, CHAT, value) if kind == "text" else tg_button(number, CHAT, value)
        assert tg_in(client, update) == 200
        drain()
    with runtime.sessions() as session:
        referral = session.scalar(select(Referral))
        campaign = session.scalar(select(InboundMessage.campaign).where(InboundMessage.external_id == "100"))
    assert referral is not None and referral.client_channel == "telegram" and referral.client_address == str(CHAT)
    assert campaign == "luton-library"
    assert any("Your reference is FD-" in m["text"] for m in fake_telegram.sent)
    keyboards = [m["reply_markup"] for m in fake_telegram.sent if m["reply_markup"]]
    assert keyboards and all(
        all(len(row) == 1 and row[0]["callback_data"] and row[0]["text"] for row in k["inline_keyboard"])
        for k in keyboards)
    assert sorted(fake_telegram.answered) == sorted(f"cb{n}" for n, (k, _) in enumerate(steps, 100) if k == "button")
    assert all(m["chat_id"] == CHAT for m in fake_telegram.sent)


def test_wrong_secret_is_refused_and_changes_nothing(client: TestClient, runtime: Runtime) -> None:
    assert tg_in(client, tg_message(1, CHAT, "hi"), secret="wrong") == 403
    response = client.post("/webhooks/telegram", json=tg_message(2, CHAT, "hi"))
    assert response.status_code == 403
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Conversation)) == 0
    assert outbox(runtime) == []


def test_duplicate_update_is_processed_once(client: TestClient, runtime: Runtime, fake_telegram: FakeTelegram,
                                            drain: Drain) -> None:
    assert tg_in(client, tg_message(7, CHAT, "hi")) == 200
    queued = len(outbox(runtime))
    assert tg_in(client, tg_message(7, CHAT, "hi")) == 200
    assert len(outbox(runtime)) == queued
    drain()
    assert len(fake_telegram.sent) == queued


def test_retry_after_is_honoured(client: TestClient, runtime: Runtime, fake_telegram: FakeTelegram, drain: Drain,
                                 clock: Any) -> None:
    tg_in(client, tg_message(8, CHAT, "hi"))
    fake_telegram.fail_next("sendMessage", "429", retry_after=30)
    drain()
    row = outbox(runtime)[0]
    wait = row.next_attempt_at.replace(tzinfo=dt.UTC) - clock.now
    assert row.status == "pending" and row.error_code == "telegram:429" and wait == dt.timedelta(seconds=30)
    clock.advance(seconds=29)
    drain()
    assert fake_telegram.sent == []  # not before Telegram said
    clock.advance(seconds=1)
    drain()
    assert len(fake_telegram.sent) == len(outbox(runtime)) and {r.status for r in outbox(runtime)} == {"sent"}


def test_network_errors_retry_and_blocked_user_is_not_retried(client: TestClient, runtime: Runtime,
                                                              fake_telegram: FakeTelegram, drain: Drain,
                                                              clock: Any) -> None:
    tg_in(client, tg_message(9, CHAT, "hi"))
    fake_telegram.fail_next("sendMessage", "500")
    drain()
    assert outbox(runtime)[0].status == "pending"
    fake_telegram.fail_next("sendMessage", "403")
    clock.advance(minutes=5)
    drain()
    rows = outbox(runtime)
    assert rows[0].status == "suppressed" and rows[0].error_code == "telegram:403"
    assert all(r.status == "suppressed" for r in rows) and fake_telegram.sent == []
    with runtime.sessions() as session:
        contact = session.get(ChannelContact, ("telegram", str(CHAT)))
        assert contact is not None and contact.blocked
    tg_in(client, tg_message(10, CHAT, "hi again"))  # writing to us again means they unblocked the bot
    drain()
    assert fake_telegram.sent


def test_stop_command(client: TestClient, runtime: Runtime, fake_telegram: FakeTelegram, drain: Drain) -> None:
    tg_in(client, tg_message(11, CHAT, "hi"))
    tg_in(client, tg_message(12, CHAT, "/stop"))
    drain()
    assert len(fake_telegram.sent) == 1 and "START" in fake_telegram.sent[0]["text"]
    tg_in(client, tg_message(13, CHAT, "/help"))
    drain()
    assert len(fake_telegram.sent) == 1


def test_my_chat_member_kicked_marks_blocked(client: TestClient, runtime: Runtime) -> None:
    update = {"update_id": 20, "my_chat_member": {
        "chat": {"id": CHAT, "type": "private"}, "from": {"id": CHAT, "is_bot": False, "first_name": "C"},
        "date": 1795000000,
        "old_chat_member": {"status": "member", "user": {"id": 1, "is_bot": True, "first_name": "B"}},
        "new_chat_member": {"status": "kicked", "until_date": 0,
                            "user": {"id": 1, "is_bot": True, "first_name": "B"}}}}
    assert tg_in(client, update) == 200
    with runtime.sessions() as session:
        contact = session.get(ChannelContact, ("telegram", str(CHAT)))
        assert contact is not None and contact.blocked


def test_set_webhook_registers_url_and_secret(runtime: Runtime, fake_telegram: FakeTelegram) -> None:
    assert set_telegram_webhook(runtime.settings, "https://frontdoor.example.org/webhooks/telegram") == 0
    assert fake_telegram.webhook["url"] == "https://frontdoor.example.org/webhooks/telegram"
    assert fake_telegram.webhook["secret_token"] == SECRET
