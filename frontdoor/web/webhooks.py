"""Provider webhooks (Twilio SMS and status, Telegram) and the in-app outbox worker.

Each webhook authenticates first (Twilio signature, Telegram secret token):
an unauthenticated request gets 403 before anything is parsed into the
engine. A message is stored durably before the 200 (a storage failure is a 5xx,
so the provider retries); its turn then runs in the request for up to
``FRONTDOOR_INBOUND_INLINE_SECONDS`` and, if it cannot finish (contention, the
database restarting, a bug), is retried from the stored row by the inbound
worker (:mod:`bot.inbound_worker`) instead of being answered 500 and forgotten.
Replies go out through the outbox (Twilio gets empty TwiML), so the provider's
webhook never waits on another provider's API.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import PlainTextResponse, Response
from sqlalchemy import select

from bot.channels import sms, telegram
from bot.inbound import storable
from bot.outbox import OutboxMessage, mark_contact, record_delivery_status
from core.db import transaction
from frontdoor.runtime import Runtime
from frontdoor.web import webhook_schemas
from frontdoor.web.context import app_runtime, runtime_of
from frontdoor.workers import background_workers
from referrals import actions

__all__ = ["channel_router"]

log = logging.getLogger("frontdoor.webhooks")




def _public_url(request: Request, runtime: Runtime) -> str:
    """The URL Twilio called, as Twilio saw it: the configured public base when behind a proxy."""
    base = runtime.settings.public_base_url.rstrip("/")
    if not base:
        return str(request.url)
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{base}{request.url.path}{query}"


async def _twilio_form(request: Request, runtime: Runtime) -> dict[str, str] | None:
    form = await request.form()
    params = {key: str(value) for key, value in form.items()}
    auth_token = runtime.settings.twilio_auth_token.get_secret_value()
    signature = request.headers.get("x-twilio-signature")
    if not sms.signature_ok(auth_token, _public_url(request, runtime), params, signature):
        log.warning("twilio signature rejected", extra={"path": request.url.path})
        return None
    return params


def channel_router() -> APIRouter:
    router = APIRouter(lifespan=_worker_lifespan)

    @router.post("/webhooks/twilio/sms", openapi_extra=webhook_schemas.TWILIO_SMS)
    async def twilio_sms(request: Request) -> Response:
        runtime = runtime_of(request)  # bodies are bounded before this (frontdoor.web.middleware.BodyLimit)
        form = await _twilio_form(request, runtime)
        if form is None:
            return PlainTextResponse("forbidden", status_code=403)
        event = sms.inbound_event(form)
        if event is not None:
            await runtime.inbound.receive(event)
        return Response(sms.EMPTY_TWIML, media_type="application/xml")

    @router.post("/webhooks/twilio/status", openapi_extra=webhook_schemas.TWILIO_STATUS)
    async def twilio_status(request: Request) -> Response:
        runtime = runtime_of(request)
        form = await _twilio_form(request, runtime)
        if form is None:
            return PlainTextResponse("forbidden", status_code=403)
        outbox_id = request.query_params.get("outbox_id")
        # Provider fields as the columns can hold them (PostgreSQL text takes no NUL; bounded lengths).
        sid, status = storable(form.get("MessageSid", ""))[:64], storable(form.get("MessageStatus", ""))[:20]
        code = storable(form.get("ErrorCode") or "")[:32] or None
        to = storable(form.get("To") or "")

        def save() -> bool:
            now = dt.datetime.now(dt.UTC)
            with transaction(runtime.sessions) as session:
                found = record_delivery_status(
                    session, outbox_id=int(outbox_id) if outbox_id and outbox_id.isdigit() else None,
                    provider_message_id=sid, status=status, error_code=f"twilio:{code}" if code else None,
                    now=now)
                forgotten = session.scalar(select(OutboxMessage.address).where(
                    OutboxMessage.provider_message_id == sid)) == ""  # a client who deleted their data
                if found and code == "21610" and to and not forgotten:
                    mark_contact(session, channel="sms", address=to, now=now, opted_out=True)
                    actions.set_opt_out(session, channel="sms", address=to, opted_out=True, at=now)
                return found

        if sid and status and not await anyio.to_thread.run_sync(save):
            log.info("status for an unknown message", extra={"status": status})
        return Response(status_code=204)

    @router.post("/webhooks/telegram", openapi_extra=webhook_schemas.TELEGRAM_UPDATE)
    async def telegram_update(request: Request) -> Response:
        runtime = runtime_of(request)
        if not telegram.secret_ok(runtime.settings.telegram_webhook_secret.get_secret_value(),
                                  request.headers.get("x-telegram-bot-api-secret-token")):
            log.warning("telegram secret rejected")
            return PlainTextResponse("forbidden", status_code=403)
        try:
            data = json.loads(await request.body())
        except ValueError as exc:  # not JSON, or not UTF-8: Telegram never sends this, so no retry is wanted
            log.warning("telegram update rejected", extra={"error": type(exc).__name__})
            return PlainTextResponse("not an update", status_code=400)
        update_id = data.get("update_id") if isinstance(data, dict) else None
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            log.warning("telegram update rejected", extra={"error": "no_update_id"})
            return PlainTextResponse("not an update", status_code=400)
        await handle_update(runtime, data)
        return Response(status_code=200)

    return router


async def handle_update(runtime: Runtime, data: dict[str, object]) -> None:
    """One Telegram update from the webhook or from ``frontdoor telegram poll``."""
    change = telegram.blocked_change(data)
    if change is not None:
        chat_id, blocked = change

        def save() -> None:
            with transaction(runtime.sessions) as session:
                mark_contact(session, channel="telegram", address=chat_id, now=dt.datetime.now(dt.UTC),
                             blocked=blocked)

        await anyio.to_thread.run_sync(save)
        return
    event = telegram.inbound_event(data)
    if event is not None:
        await runtime.inbound.receive(event)


@asynccontextmanager
async def _worker_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """`frontdoor serve` sends and retries too (unless FRONTDOOR_OUTBOX_IN_APP=0), so `make run` needs one process."""
    runtime = app_runtime(app)
    if not runtime.settings.outbox_in_app:
        yield
        return
    async with background_workers(runtime):
        yield
