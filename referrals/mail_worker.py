"""Sends the partners' email outbox (:mod:`referrals.mail_outbox`): claim, send, record, retry.

Each step is its own short transaction, as in the clients' outbox worker: a
crash loses nothing (a claimed row comes back when its lease runs out), so a
notice is sent at least once. The email is composed at send time from ids:
the organisation's name and a link to the referral, nothing about the client.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from core.mail import MailConfig, MailError, send_mail
from directory.models import Organization
from referrals.mail_outbox import MailOutbox, MailStatus, claim_due_mail

__all__ = ["MailWorker", "MailWorkerConfig", "new_referral_email"]

log = logging.getLogger("frontdoor.mail")
Send = Callable[..., None]


@dataclass(frozen=True)
class MailWorkerConfig:
    base_url: str = ""  # the public URL staff open (FRONTDOOR_PUBLIC_BASE_URL); links are paths without it
    batch: int = 20
    lease: dt.timedelta = dt.timedelta(seconds=120)
    max_attempts: int = 10
    backoff_seconds: float = 30.0
    backoff_max_seconds: float = 3600.0


def new_referral_email(organization_name: str, link: str) -> tuple[str, str]:
    """Subject and body of the "new referral" notice: ids and a link only, never client details."""
    subject = "New referral in Frontdoor"
    body = (f"There is a new referral for {organization_name} in Frontdoor.\n\n"
            f"Open it here (staff sign-in needed): {link}\n\n"
            "This email does not contain the client's details on purpose: they stay in Frontdoor, where access is "
            "checked and recorded.\n")
    return subject, body


class MailWorker:
    def __init__(self, sessions: sessionmaker[Session], mail: MailConfig, config: MailWorkerConfig, *,
                 clock: Callable[[], dt.datetime] | None = None, send: Send = send_mail,
                 rng: random.Random | None = None) -> None:
        self._sessions, self._mail, self._config, self._send = sessions, mail, config, send
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._rng = rng or random.Random()

    def run_once(self) -> int:
        """Send what is due now; returns how many rows were handled (call from a thread, it blocks)."""
        now = self._clock()
        with self._sessions() as session, session.begin():
            rows = claim_due_mail(session, now=now, lease=self._config.lease, limit=self._config.batch)
            jobs = [(row.id, row.to_address, self._compose(session, row)) for row in rows]
        for row_id, to, (subject, body) in jobs:
            try:
                self._send(self._mail, to=to, subject=subject, body=body)
                self._finish(row_id, None)
            except MailError as exc:
                self._finish(row_id, exc)
        return len(jobs)

    def drain(self, max_rounds: int = 100) -> int:
        total = 0
        for _ in range(max_rounds):
            handled = self.run_once()
            if handled == 0:
                break
            total += handled
        return total

    def _compose(self, session: Session, row: MailOutbox) -> tuple[str, str]:
        organization = session.get(Organization, row.organization_id)
        name = organization.name if organization else row.organization_id
        link = f"{self._config.base_url.rstrip('/')}/staff/referral/{row.referral_id}"
        return new_referral_email(name, link)

    def _delay(self, attempts: int) -> float:
        delay = min(self._config.backoff_max_seconds, self._config.backoff_seconds * 2.0 ** max(0, attempts - 1))
        return delay / 2 + self._rng.uniform(0, delay / 2)

    def _finish(self, row_id: int, error: MailError | None) -> None:
        now = self._clock()
        with self._sessions() as session, session.begin():
            row = session.get(MailOutbox, row_id, with_for_update=True)
            if row is None or row.status != MailStatus.SENDING:
                return
            row.attempts += 1
            row.lease_until, row.updated_at = None, now
            if error is None:
                row.status, row.sent_at, row.error = MailStatus.SENT, now, None
            elif error.permanent or row.attempts >= self._config.max_attempts:
                row.status, row.error = MailStatus.DEAD, error.code
            else:
                row.status, row.error = MailStatus.PENDING, error.code
                row.next_attempt_at = now + dt.timedelta(seconds=self._delay(row.attempts))
            status, attempts = row.status, row.attempts
        log.log(logging.INFO if error is None else logging.WARNING, "partner email %s", status,
                extra={"mail_id": row_id, "attempts": attempts, "error_code": error.code if error else None})
