"""Telegram input the provider (or someone with the secret) should never send, and must not break us.

Every malformed update gets 200 (acknowledged and ignored: resending cannot help) or 400 (not
even an update), never a 500 or a traceback; the log names the error type, never the content.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.conversation import Conversation
from bot.outbox import OutboxMessage, enqueue
from core.db import transaction
from frontdoor.runtime import Runtime
from tests.bot.channels.conftest import SECRET, Drain, outbox, tg_in, tg_message
from tests.bot.channels.fakes import FakeTelegram

CHAT = 555002
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}


def _post_raw(client: TestClient, body: bytes) -> int:
    return int(client.post("/webhooks/telegram", content=body, headers=HEADERS).status_code)


def _conversations(runtime: Runtime) -> int:
    with runtime.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Conversation)) or 0)


def _no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
    assert all(r.levelno < logging.ERROR for r in caplog.records)


@pytest.mark.parametrize("body", [
    b"{not json", b"\xff\xfe\x00", b"", b"[]", b"null", b"42", b'"update"', b'{"message": {}}',
    b'{"update_id": "7"}', b'{"update_id": true}', b'{"update_id": 1.5}',
])
def test_a_body_that_is_not_an_update_gets_400(client: TestClient, runtime: Runtime, body: bytes,
                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    assert _post_raw(client, body) == 400
    assert _conversations(runtime) == 0
    _no_tracebacks(caplog)


def _private(chat_id: Any, **message: Any) -> dict[str, Any]:
    return {"update_id": 900, "message": {"message_id": 1, "date": 1795000000,
                                          "chat": {"id": chat_id, "type": "private"}, **message}}


MALFORMED: dict[str, dict[str, Any]] = {
    "message_is_text": {"update_id": 901, "message": "hi"},
    "message_is_list": {"update_id": 902, "message": [1, 2]},
    "chat_missing": {"update_id": 903, "message": {"message_id": 1, "date": 1, "text": "hi"}},
    "chat_is_text": {"update_id": 904, "message": {"message_id": 1, "date": 1, "chat": "me", "text": "hi"}},
    "chat_id_text": _private("abc", text="hi"),
    "chat_id_numeric_text": _private("555", text="hi"),
    "chat_id_float": _private(5.5, text="hi"),
    "chat_id_bool": _private(True, text="hi"),
    "chat_id_negative": _private(-100123, text="hi"),
    "chat_id_huge": _private(2**70, text="hi"),
    "text_is_number": _private(CHAT, text=12),
    "text_is_object": _private(CHAT, text={"a": 1}),
    "date_is_text": {"update_id": 905, "message": {"message_id": 1, "date": "yesterday",
                                                   "chat": {"id": CHAT, "type": "private"}, "text": "hi"}},
    "callback_without_from": {"update_id": 906, "callback_query": {"id": "cb", "data": "1"}},
    "callback_from_text_id": {"update_id": 907, "callback_query": {
        "id": "cb", "chat_instance": "c", "data": "1", "from": {"id": "x", "is_bot": False, "first_name": "A"}}},
    "callback_data_object": {"update_id": 908, "callback_query": {
        "id": "cb", "chat_instance": "c", "data": {"x": 1}, "from": {"id": CHAT, "is_bot": False, "first_name": "A"}}},
    "member_chat_text": {"update_id": 909, "my_chat_member": {"chat": "x", "new_chat_member": {"status": "kicked"}}},
    "member_chat_id_text": {"update_id": 910, "my_chat_member": {"chat": {"id": "x", "type": "private"},
                                                                  "new_chat_member": {"status": "kicked"}}},
    "member_status_list": {"update_id": 911, "my_chat_member": {"chat": {"id": CHAT, "type": "private"},
                                                                 "new_chat_member": []}},
    "unknown_kind": {"update_id": 912, "edited_channel_post": {"weird": True}},
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_a_malformed_update_is_acknowledged_without_a_traceback(client: TestClient, runtime: Runtime, name: str,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    status = tg_in(client, MALFORMED[name])
    assert status in (200, 400)
    _no_tracebacks(caplog)
    with runtime.sessions() as session:
        addresses = list(session.scalars(select(Conversation.address))) + list(
            session.scalars(select(OutboxMessage.address)))
    assert all(a.isdigit() and 0 < int(a) < 2**53 for a in addresses)  # only valid chat ids are ever stored
    for record in caplog.records:  # logged by type, never with what the update said
        assert "hi" not in record.getMessage().split() and "abc" not in record.getMessage()


def test_a_non_numeric_chat_id_is_ignored_not_retried(client: TestClient, runtime: Runtime,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    assert tg_in(client, _private("abc", text="hi")) == 200
    assert _conversations(runtime) == 0 and outbox(runtime) == []
    assert any(getattr(r, "error", None) == "bad_chat_id" for r in caplog.records)


def test_an_outbox_row_with_a_bad_chat_id_fails_once_and_is_not_retried(runtime: Runtime, drain: Drain,
                                                                        fake_telegram: FakeTelegram) -> None:
    from bot.outbox import Draft
    from tests.conftest import FIXED_NOW

    with transaction(runtime.sessions) as session:  # e.g. a row written before chat ids were validated
        enqueue(session, channel="telegram", address="abc", drafts=[Draft(body="hello", payload={})],
                key_prefix="legacy", now=FIXED_NOW)
    drain()
    row = outbox(runtime)[0]
    assert row.status == "dead" and row.attempts == 1 and row.error_code == "telegram:bad_chat_id"
    assert fake_telegram.sent == []


def test_a_lone_surrogate_is_replaced_and_the_conversation_carries_on(client: TestClient, runtime: Runtime,
                                                                      drain: Drain,
                                                                      fake_telegram: FakeTelegram) -> None:
    assert tg_in(client, tg_message(300, CHAT, "hi")) == 200
    assert tg_in(client, tg_message(301, CHAT, "1")) == 200
    update = tg_message(302, CHAT, "PLACEHOLDER")  # the description, which the state keeps
    story = "my landlord \\ud800 wants me out 😀 \\udfff"  # lone surrogates, as JSON allows
    assert _post_raw(client, json.dumps(update).replace("PLACEHOLDER", story).encode()) == 200
    assert tg_in(client, tg_message(303, CHAT, "yes")) == 200  # the next turn works (it used to fail for good)
    drain()
    with runtime.sessions() as session:
        state = session.scalars(select(Conversation.state)).one()
    json.dumps(state, ensure_ascii=False).encode("utf-8")  # strict: raises on any surrogate left
    assert "my landlord" in state["description"] and "😀" in state["description"]
    assert state["step"] not in ("describe", "confirm_issues")
    assert any("Housing" in m["text"] for m in fake_telegram.sent)
