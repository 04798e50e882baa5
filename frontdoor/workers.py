"""Long-running channel commands: ``frontdoor worker``, ``telegram set-webhook``, ``telegram poll``."""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import anyio
from telegram.error import TelegramError

from bot.channels.registry import build_senders
from bot.channels.telegram import ALLOWED_UPDATES, make_bot
from bot.worker import Worker, config_from_settings
from core.settings import Settings
from frontdoor.mailing import build_mail_worker, run_mail_worker
from frontdoor.runtime import Runtime, build_runtime

__all__ = ["background_workers", "poll_telegram", "run_worker", "set_telegram_webhook"]

log = logging.getLogger("frontdoor.channels")


async def _until_signal(stop: anyio.Event) -> None:
    with anyio.open_signal_receiver(signal.SIGTERM, signal.SIGINT) as signals:
        async for _ in signals:
            stop.set()
            return


@asynccontextmanager
async def background_workers(runtime: Runtime) -> AsyncIterator[None]:
    """Send the outbox (channels with credentials), partners' emails, and retry stored inbound messages.

    Used by ``frontdoor serve`` (in-app), ``frontdoor worker`` and ``frontdoor telegram poll``; on
    PostgreSQL any number of processes may do this at once (leases, SKIP LOCKED).
    """
    senders = build_senders(runtime.settings)
    mailer = build_mail_worker(runtime.settings, runtime.sessions)
    stop = anyio.Event()
    try:
        async with anyio.create_task_group() as group:
            if senders:
                group.start_soon(Worker(runtime.sessions, senders, config_from_settings(runtime.settings)).run, stop)
            if mailer is not None:
                group.start_soon(run_mail_worker, mailer, stop, runtime.settings.outbox_poll_seconds)
            group.start_soon(runtime.inbound.run, stop)
            try:
                yield
            finally:
                stop.set()
    finally:
        for sender in senders.values():
            await sender.aclose()


def _run_until_signal(runtime: Runtime, foreground: Callable[[anyio.Event], Awaitable[None]] | None = None) -> None:
    """Background workers plus an optional foreground task, until SIGTERM/SIGINT; closes the runtime."""

    async def main() -> None:
        stop = anyio.Event()
        async with background_workers(runtime), anyio.create_task_group() as group:
            group.start_soon(_until_signal, stop)
            if foreground is not None:
                with anyio.CancelScope() as scope:
                    group.start_soon(_cancel_when, stop, scope)
                    await foreground(stop)
            else:
                await stop.wait()
            group.cancel_scope.cancel()

    try:
        anyio.run(main)
    finally:
        runtime.close()


def run_worker(settings: Settings) -> int:
    """Send the outbox and retry stored inbound messages until SIGTERM/SIGINT (several may run on PostgreSQL)."""
    runtime = build_runtime(settings)
    if not build_senders(settings):
        sys.stderr.write("No channel is configured: set FRONTDOOR_TWILIO_* and/or FRONTDOOR_TELEGRAM_BOT_TOKEN.\n")
        runtime.close()
        return 2
    if settings.worker_nice:
        os.nice(settings.worker_nice)  # the backlog waits; a provider's webhook must not (FRONTDOOR_WORKER_NICE)
    _run_until_signal(runtime)
    return 0


def set_telegram_webhook(settings: Settings, url: str) -> int:
    if not settings.telegram_bot_token or not settings.telegram_webhook_secret:
        sys.stderr.write("Set FRONTDOOR_TELEGRAM_BOT_TOKEN and FRONTDOOR_TELEGRAM_WEBHOOK_SECRET first.\n")
        return 2

    async def main() -> bool:
        async with make_bot(settings.telegram_bot_token.get_secret_value(), settings.telegram_api_base) as bot:
            return bool(await bot.set_webhook(url, secret_token=settings.telegram_webhook_secret.get_secret_value(),
                                              allowed_updates=ALLOWED_UPDATES))

    try:
        ok = anyio.run(main)
    except TelegramError as exc:
        sys.stderr.write(f"Telegram refused the webhook: {exc.message}\n")
        return 1
    sys.stdout.write("Webhook set.\n" if ok else "Telegram did not confirm the webhook.\n")
    return 0 if ok else 1


def poll_telegram(settings: Settings) -> int:
    """Development without a public URL: fetch updates, handle them as the webhook would, and send."""
    from frontdoor.web.webhooks import handle_update

    if not settings.telegram_bot_token:
        sys.stderr.write("Set FRONTDOOR_TELEGRAM_BOT_TOKEN first.\n")
        return 2
    runtime = build_runtime(settings)

    async def poll(stop: anyio.Event) -> None:
        async with make_bot(settings.telegram_bot_token.get_secret_value(), settings.telegram_api_base) as bot:
            await bot.delete_webhook()
            offset = 0
            while not stop.is_set():
                try:
                    updates = await bot.get_updates(offset=offset, timeout=25, allowed_updates=ALLOWED_UPDATES)
                except TelegramError:
                    log.warning("getUpdates failed; retrying", exc_info=True)
                    await anyio.sleep(2)
                    continue
                for update in updates:
                    await handle_update(runtime, update.to_dict())
                    offset = update.update_id + 1

    _run_until_signal(runtime, poll)
    return 0


async def _cancel_when(stop: anyio.Event, scope: anyio.CancelScope) -> None:
    await stop.wait()
    scope.cancel()
