"""Telegram through python-telegram-bot: updates in, Bot API calls out (via the outbox).

PTB parses updates and speaks the Bot API; our engine runs the conversation.
Unlike PTB's custom-webhook example we do not push updates onto an
``Application.update_queue``: the webhook answers 200 only after the turn and
its replies are committed, because Telegram does not resend an update it
has seen acknowledged, and a queued-but-unprocessed update would be lost on a crash.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.request import HTTPXRequest

from bot.channels.base import InboundEvent, Outgoing, SendResult
from bot.outbox import Draft
from bot.replies import Reply
from core.text import valid_unicode

__all__ = ["CHANNEL", "ALLOWED_UPDATES", "TelegramComposer", "TelegramSender", "blocked_change", "chat_address",
           "inbound_event", "make_bot", "secret_ok"]

CHANNEL = "telegram"
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
MAX_TEXT = 4096
MAX_CHAT_ID = 2**52  # Telegram: "at most 52 significant bits"; a private chat's id is the user's (positive)
_DEEP_LINK = re.compile(r"^/start(?:@\w+)?\s+([A-Za-z0-9_-]{1,64})$")
log = logging.getLogger("frontdoor.telegram")


def make_bot(token: str, api_base: str, *, timeout: float = 10.0) -> Bot:
    """A PTB ``Bot`` whose API host can be a loopback fake (``{api_base}/bot<token>/<method>``)."""
    request = HTTPXRequest(connection_pool_size=32, read_timeout=timeout, write_timeout=timeout,
                           connect_timeout=timeout, pool_timeout=timeout)
    return Bot(token, base_url=f"{api_base.rstrip('/')}/bot", request=request,
               get_updates_request=HTTPXRequest(read_timeout=60.0))


def secret_ok(expected: str, given: str | None) -> bool:
    """The ``X-Telegram-Bot-Api-Secret-Token`` header; no configured secret means no trust."""
    import hmac

    return bool(expected) and given is not None and hmac.compare_digest(expected.encode(), given.encode())


def chat_address(value: object) -> str | None:
    """A private chat's id as we store it, or None when it cannot be one (text, floats, booleans, <= 0, huge)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_CHAT_ID:
        return None
    return str(value)


def _text(value: object) -> str:
    return valid_unicode(value) if isinstance(value, str) else ""


def inbound_event(data: Mapping[str, Any]) -> InboundEvent | None:
    """A Telegram update as an engine event; None for anything that is not a private message or button.

    Malformed updates (wrong shapes, missing fields, a chat id that is not a number) are
    ignored and logged by error type only: the webhook acknowledges them, so Telegram
    does not resend something that can never be processed.
    """
    try:
        return _inbound_event(data)
    except Exception as exc:  # PTB does not validate shapes: any of its errors means "not a usable update"
        log.warning("telegram update ignored", extra={"error": type(exc).__name__})
        return None


def _inbound_event(data: Mapping[str, Any]) -> InboundEvent | None:
    update = Update.de_json(dict(data), None)
    external_id = str(update.update_id)
    query = update.callback_query
    if query is not None:
        chat = query.message.chat if query.message is not None else None
        if chat is not None and chat.type != "private":
            return None
        address = chat_address(chat.id if chat is not None else query.from_user.id)
        if address is None or not isinstance(query.id, str):
            log.warning("telegram update ignored", extra={"error": "bad_chat_id"})
            return None
        answer = Draft(body="", payload={"callback_query_id": query.id[:64]}, kind="callback_answer")
        return InboundEvent(CHANNEL, address, external_id, _text(query.data)[:64], extra_drafts=(answer,))
    message = update.message
    if message is None or message.chat.type != "private":
        return None
    address = chat_address(message.chat.id)
    if address is None:
        log.warning("telegram update ignored", extra={"error": "bad_chat_id"})
        return None
    text = _text(message.text)  # photos, voice notes, stickers: the engine asks for words
    campaign = None
    match = _DEEP_LINK.match(text.strip())
    if match:  # t.me/<bot>?start=<campaign>: remember where they came from, start as usual
        text, campaign = "/start", match.group(1)
    sender = message.from_user
    name = _text(sender.first_name)[:100] if sender is not None else ""
    language = _text(sender.language_code)[:10] if sender is not None and sender.language_code else ""
    return InboundEvent(CHANNEL, address, external_id, text, campaign=campaign, profile_name=name or None,
                        language_code=language or None)


def blocked_change(data: Mapping[str, Any]) -> tuple[str, bool] | None:
    """(chat id, blocked?) when the user blocked or unblocked the bot (``my_chat_member``)."""
    member = data.get("my_chat_member")
    if not isinstance(member, dict):
        return None
    chat, new = member.get("chat"), member.get("new_chat_member")
    if not isinstance(chat, dict) or not isinstance(new, dict) or chat.get("type") != "private":
        return None
    address = chat_address(chat.get("id"))
    if address is None:
        log.warning("telegram update ignored", extra={"error": "bad_chat_id"})
        return None
    return address, new.get("status") in ("kicked", "left")


class TelegramComposer:
    """Text plus the choices as an inline keyboard (one button per row; typing still works)."""

    channel = CHANNEL

    def compose(self, replies: Sequence[Reply]) -> list[Draft]:
        drafts: list[Draft] = []
        for reply in replies:
            pieces = _split(reply.text)
            options = [[o.key, o.label] for o in reply.options]
            for number, piece in enumerate(pieces):
                last = number == len(pieces) - 1
                drafts.append(Draft(body=piece, payload={"options": options} if last and options else {}))
        return drafts


def _split(text: str) -> list[str]:
    if len(text) <= MAX_TEXT:
        return [text]
    pieces, current = [], ""
    for paragraph in text.split("\n"):
        while len(paragraph) > MAX_TEXT:
            cut = paragraph.rfind(" ", 0, MAX_TEXT)
            cut = cut if cut > 0 else MAX_TEXT
            pieces.append(paragraph[:cut])
            paragraph = paragraph[cut:].lstrip()
        if current and len(current) + 1 + len(paragraph) > MAX_TEXT:
            pieces.append(current)
            current = paragraph
        else:
            current = f"{current}\n{paragraph}" if current else paragraph
    pieces.append(current)
    return pieces


class TelegramSender:
    """Sends outbox rows with PTB's ``Bot`` and classifies Telegram's answers."""

    channel = CHANNEL

    def __init__(self, bot: Bot) -> None:
        self._bot = bot
        self._ready = False

    async def send(self, message: Outgoing) -> SendResult:
        try:
            if not self._ready:
                await self._bot.initialize()  # one getMe per worker, not per message
                self._ready = True
            if message.kind == "callback_answer":
                await self._bot.answer_callback_query(str(message.payload["callback_query_id"]))
                return SendResult("sent")
            digits = message.address.isascii() and message.address.isdigit()
            if chat_address(int(message.address) if digits else None) is None:
                return SendResult("failed", error_code="telegram:bad_chat_id")  # never retried: it cannot work
            options = message.payload.get("options") or []
            markup = InlineKeyboardMarkup(
                [[InlineKeyboardButton(str(label), callback_data=str(key))] for key, label in options]
            ) if options else None
            sent = await self._bot.send_message(chat_id=int(message.address), text=message.body,
                                                reply_markup=markup)
        except RetryAfter as exc:
            delay = exc.retry_after
            seconds = delay.total_seconds() if isinstance(delay, dt.timedelta) else float(delay)
            return SendResult("retry", retry_after=seconds, error_code="telegram:429")
        except Forbidden:
            return SendResult("blocked", error_code="telegram:403")
        except BadRequest as exc:  # a subclass of NetworkError, but permanent (chat not found, query too old)
            return SendResult("failed", error_code=f"telegram:400:{_reason(exc)}")
        except ChatMigrated:
            return SendResult("failed", error_code="telegram:migrated")
        except NetworkError as exc:  # includes TimedOut and 5xx answers
            return SendResult("retry", error_code=f"telegram:{type(exc).__name__}")
        except TelegramError as exc:
            return SendResult("failed", error_code=f"telegram:{type(exc).__name__}")
        return SendResult("sent", provider_message_id=str(sent.message_id))

    async def aclose(self) -> None:
        if self._ready:
            await self._bot.shutdown()


def _reason(exc: TelegramError) -> str:
    """A short machine-readable reason; Telegram's descriptions never quote message text."""
    return re.sub(r"[^a-z0-9]+", "_", exc.message.lower()).strip("_")[:24]
