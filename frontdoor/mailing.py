"""Wiring the partners' email worker (:mod:`referrals.mail_worker`) into `serve` and `worker`.

Only when ``FRONTDOOR_SMTP_URL`` is set; the worker blocks on SMTP, so each
round runs in a thread and the event loop stays free for web requests.
"""

from __future__ import annotations

import datetime as dt
import logging

import anyio
from sqlalchemy.orm import Session, sessionmaker

from core.mail import parse_smtp_url
from core.settings import Settings
from referrals.mail_worker import MailWorker, MailWorkerConfig

__all__ = ["build_mail_worker", "run_mail_worker"]

log = logging.getLogger("frontdoor.mail")


def build_mail_worker(settings: Settings, sessions: sessionmaker[Session]) -> MailWorker | None:
    url = settings.smtp_url.get_secret_value()
    if not url:
        return None
    config = MailWorkerConfig(
        base_url=settings.public_base_url or f"http://{settings.host}:{settings.port}",
        lease=dt.timedelta(seconds=max(60.0, settings.outbox_lease_seconds)),
        max_attempts=settings.outbox_max_attempts, backoff_seconds=max(5.0, settings.outbox_backoff_seconds),
        backoff_max_seconds=settings.outbox_backoff_max_seconds,
    )
    return MailWorker(sessions, parse_smtp_url(url, sender=settings.mail_from), config)


async def run_mail_worker(worker: MailWorker, stop: anyio.Event, poll_seconds: float) -> None:
    """Send due emails until ``stop``; a failing round (database hiccup) is logged and retried."""
    while not stop.is_set():
        try:
            handled = await anyio.to_thread.run_sync(worker.run_once)
        except Exception:
            log.exception("mail round failed; will retry")
            handled = 0
        if handled == 0:
            with anyio.move_on_after(max(poll_seconds, 1.0)):
                await stop.wait()
