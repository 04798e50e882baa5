"""Which channels exist and how to build them from settings: adding one is a line here."""

from __future__ import annotations

from bot.channels.base import Composer, Sender
from bot.channels.sms import SmsComposer, TwilioSender
from bot.channels.telegram import TelegramComposer, TelegramSender, make_bot
from core.settings import Settings

__all__ = ["build_composers", "build_senders"]


def build_composers(settings: Settings) -> dict[str, Composer]:
    return {"sms": SmsComposer(settings.sms_max_segments), "telegram": TelegramComposer()}


def build_senders(settings: Settings) -> dict[str, Sender]:
    """Senders for the channels whose credentials are configured (none: nothing to send with)."""
    senders: dict[str, Sender] = {}
    if settings.twilio_account_sid and settings.twilio_auth_token and (
            settings.twilio_from_number or settings.twilio_messaging_service_sid):
        senders["sms"] = TwilioSender(settings)
    if settings.telegram_bot_token:
        token = settings.telegram_bot_token.get_secret_value()
        senders["telegram"] = TelegramSender(make_bot(token, settings.telegram_api_base))
    return senders
