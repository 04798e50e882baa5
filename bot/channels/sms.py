"""SMS through Twilio: signed webhooks in, REST ``messages.create`` out (via the outbox).

Why REST and not TwiML replies: a TwiML answer is fire-and-forget inside the
webhook's HTTP response, so a failed or rate-limited reply could never be
retried; through the outbox it can, and its delivery report lands on the row.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import httpx
from twilio.base.exceptions import TwilioRestException
from twilio.http import AsyncHttpClient
from twilio.http.response import Response
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from bot.channels.base import InboundEvent, Outgoing, SendResult
from bot.outbox import Draft
from bot.replies import Reply, render_plain
from bot.segments import count_segments, gsm_friendly, split_for_sms
from core.settings import Settings
from core.text import MAX_ADDRESS_CHARS

__all__ = ["CHANNEL", "SmsComposer", "TwilioSender", "inbound_event", "signature_ok", "EMPTY_TWIML"]

CHANNEL = "sms"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
TWILIO_API = "https://api.twilio.com"
OPTED_OUT_CODES = frozenset({21610})  # "Attempt to send to unsubscribed recipient": Twilio saw STOP
RETRY_CODES = frozenset({20429, 20500, 20503, 30001, 30008})  # throttled or Twilio-side trouble
log = logging.getLogger("frontdoor.sms")


class SmsComposer:
    """Plain text with numbered choices, typography made GSM-friendly, long replies split."""

    channel = CHANNEL

    def __init__(self, max_segments: int = 3) -> None:
        self.max_segments = max_segments

    def compose(self, replies: Sequence[Reply]) -> list[Draft]:
        drafts: list[Draft] = []
        for reply in replies:
            for piece in split_for_sms(gsm_friendly(render_plain(reply)), self.max_segments):
                info = count_segments(piece)
                drafts.append(Draft(body=piece, payload={}, encoding=info.encoding, segments=info.segments))
        return drafts


def signature_ok(auth_token: str, url: str, params: Mapping[str, str], signature: str | None) -> bool:
    """Twilio's HMAC over the public URL and the form fields; no token configured means no trust."""
    if not auth_token or not signature:
        return False
    return bool(RequestValidator(auth_token).validate(url, dict(params), signature))


def inbound_event(form: Mapping[str, str]) -> InboundEvent | None:
    """An inbound SMS webhook as an engine event; None when the payload is not a message."""
    sid, sender = form.get("MessageSid") or form.get("SmsSid"), form.get("From")
    if not sid or not sender:
        return None
    return InboundEvent(channel=CHANNEL, address=sender[:MAX_ADDRESS_CHARS], external_id=sid[:64],
                        text=form.get("Body", ""))


class _HttpxTwilioClient(AsyncHttpClient):  # type: ignore[misc]
    """Twilio's async HTTP interface over httpx, with the API host swappable for a loopback fake.

    Twilio's own clients log request bodies (message text) at INFO; this one logs nothing.
    """

    def __init__(self, api_base: str, timeout: float = 10.0) -> None:
        super().__init__(log, True, timeout)
        self._api_base = api_base.rstrip("/")
        self._client = httpx.AsyncClient(timeout=timeout)

    async def request(self, method: str, url: str, params: dict[str, object] | None = None,
                      data: dict[str, object] | None = None, headers: dict[str, str] | None = None,
                      auth: tuple[str, str] | None = None, timeout: float | None = None,
                      allow_redirects: bool = False) -> Response:
        if url.startswith(TWILIO_API):
            url = self._api_base + url[len(TWILIO_API):]
        response = await self._client.request(
            method.upper(), url, params=params, data=data, headers=headers, auth=auth,  # type: ignore[arg-type]
            timeout=timeout or self.timeout, follow_redirects=allow_redirects)
        return Response(response.status_code, response.text, response.headers)

    async def aclose(self) -> None:
        await self._client.aclose()


class TwilioSender:
    """Sends outbox rows with the Twilio SDK and classifies what Twilio answers."""

    channel = CHANNEL

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._http = _HttpxTwilioClient(settings.twilio_api_base)
        self._client = Client(settings.twilio_account_sid, settings.twilio_auth_token.get_secret_value(),
                              http_client=self._http)

    async def send(self, message: Outgoing) -> SendResult:
        settings = self._settings
        kwargs: dict[str, Any] = {"to": message.address, "body": message.body}
        if settings.twilio_messaging_service_sid:
            kwargs["messaging_service_sid"] = settings.twilio_messaging_service_sid
        else:
            kwargs["from_"] = settings.twilio_from_number
        if settings.public_base_url:
            # The outbox id in the callback URL ties the report to the row even if we crash before saving the SID.
            kwargs["status_callback"] = (f"{settings.public_base_url.rstrip('/')}/webhooks/twilio/status"
                                         f"?outbox_id={message.id}")
        try:
            created = await self._client.messages.create_async(**kwargs)
        except TwilioRestException as exc:
            return classify_error(exc.status, exc.code)
        except httpx.TransportError as exc:
            return SendResult("retry", error_code=type(exc).__name__)
        return SendResult("sent", provider_message_id=str(created.sid))

    async def aclose(self) -> None:
        await self._http.aclose()


def classify_error(status: int, code: int | None) -> SendResult:
    """Twilio error → what the outbox should do (permanent errors are not retried)."""
    error_code = f"twilio:{code}" if code else f"http:{status}"
    if code in OPTED_OUT_CODES:
        return SendResult("opted_out", error_code=error_code)
    if status == 429 or status >= 500 or code in RETRY_CODES:
        return SendResult("retry", error_code=error_code)
    return SendResult("failed", error_code=error_code)
