"""New-referral emails reach the organisation over real SMTP (a loopback aiosmtpd server), with retries.

The email says only that there is a new referral and links to it: no client
name, number or words. A server that is down leaves the row pending for a
later attempt (nothing lost); a recipient refused for good ends as dead.
"""

from __future__ import annotations

import datetime as dt
import email
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from core.db import make_engine, make_sessionmaker, transaction
from core.mail import MailConfig, parse_smtp_url
from referrals import actions
from referrals.access import NotVisible
from referrals.mail_outbox import MailOutbox
from referrals.mail_worker import MailWorker, MailWorkerConfig
from referrals.models import OrganizationSettings
from staff.accounts import create_account
from staff.models import StaffEvent

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")

NOW = dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC)
ORG, SERVICE = "org-bristol-ca", "svc-bristol-ca-adviceline"
CLIENT_NAME, CLIENT_NUMBER, CLIENT_WORDS = "Zebedee Quill", "+447700900777", "my landlord changed the locks"
BASE = "https://frontdoor.example.org"


class Inbox:
    """An aiosmtpd handler that keeps what it receives and refuses one address for good."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.Message]] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,  # noqa: N802
                          rcpt_options: list[str]) -> str:
        if address.startswith("nobody@"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    controller = aiosmtpd_controller.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def sessions(db_url: str):
    engine = make_engine(db_url)
    yield make_sessionmaker(engine)
    engine.dispose()


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now


def _refer(sessions, address: str = CLIENT_NUMBER) -> str:
    with transaction(sessions) as session:
        consent = actions.record_consent(session, consent_id=None, client_channel="sms", client_address=address,
                                         organization_id=ORG, granted=True, wording_version="v1",
                                         wording_text="Can I send your details?", language="en", at=NOW)
        referral = actions.create_referral(session, consent_id=consent.id, at=NOW, reference=f"FD-{consent.id[:8]}",
                                           organization_id=ORG, service_id=SERVICE, categories=["housing"],
                                           summary=CLIENT_WORDS, client_name=CLIENT_NAME, language="en")
        return referral.id


def _worker(sessions, port: int, clock: Clock) -> MailWorker:
    config = parse_smtp_url(f"smtp://127.0.0.1:{port}", sender="Frontdoor <frontdoor@example.org>")
    return MailWorker(sessions, config, MailWorkerConfig(base_url=BASE, max_attempts=3, backoff_seconds=10),
                      clock=clock)


def _rows(sessions) -> list[MailOutbox]:
    with sessions() as session:
        return list(session.scalars(select(MailOutbox).order_by(MailOutbox.id)))


def test_the_organisation_gets_a_link_and_nothing_about_the_client(sessions, smtp) -> None:
    inbox, port = smtp
    referral_id = _refer(sessions)
    assert _worker(sessions, port, Clock()).drain() == 1
    ((recipients, message),) = inbox.messages
    assert recipients == ["hello@avongorge-ca.example.org"]
    body = message.get_payload(decode=True).decode("utf-8")
    assert message["Subject"] == "New referral in Frontdoor" and message["From"] == "Frontdoor <frontdoor@example.org>"
    assert f"{BASE}/staff/referral/{referral_id}" in body and "Avon Gorge Citizens Advice" in body
    for secret in (CLIENT_NAME, CLIENT_NUMBER, CLIENT_WORDS, "housing", "FD-"):
        assert secret not in message.as_string()
    (row,) = _rows(sessions)
    assert (row.status, row.attempts, row.error) == ("sent", 1, None)
    assert _worker(sessions, port, Clock()).drain() == 0  # sent once, not again


def test_a_server_that_is_down_is_retried_later_and_nothing_is_lost(sessions, smtp) -> None:
    inbox, port = smtp
    _refer(sessions)
    clock = Clock()
    down = _worker(sessions, _free_port(), clock)  # nobody listens there
    assert down.run_once() == 1
    (row,) = _rows(sessions)
    assert row.status == "pending" and row.attempts == 1 and row.error == "error:ConnectionRefusedError"
    assert down.run_once() == 0  # not due yet: backoff
    clock.now = NOW + dt.timedelta(minutes=5)
    assert _worker(sessions, port, clock).run_once() == 1
    (row,) = _rows(sessions)
    assert row.status == "sent" and row.attempts == 2 and len(inbox.messages) == 1


def test_gives_up_after_the_attempts_or_at_once_on_a_permanent_refusal(sessions, smtp) -> None:
    _inbox, port = smtp
    with transaction(sessions) as session:  # the organisation's own address setting, refused by the server
        session.add(OrganizationSettings(organization_id=ORG, referral_email="nobody@avongorge.example.org",
                                         updated_at=NOW))
    _refer(sessions)
    clock = Clock()
    assert _worker(sessions, port, clock).run_once() == 1
    (row,) = _rows(sessions)
    assert (row.status, row.attempts, row.error) == ("dead", 1, "smtp:550")
    with transaction(sessions) as session:
        settings = session.get(OrganizationSettings, ORG)
        assert settings is not None
        settings.referral_email = "intake@avongorge.example.org"
    _refer(sessions, "+447700900778")
    down = _worker(sessions, _free_port(), clock)
    for _ in range(3):
        clock.now += dt.timedelta(hours=2)
        down.run_once()
    rows = _rows(sessions)
    assert (rows[1].status, rows[1].attempts) == ("dead", 3)


def test_smtp_urls() -> None:
    assert parse_smtp_url("smtp://mail.example.org:2525", sender="a@b") == MailConfig(
        "mail.example.org", 2525, "opportunistic", None, None, "a@b")
    secure = parse_smtp_url("smtps://user%40x:p%3Ass@mail.example.org", sender="a@b")
    assert (secure.port, secure.tls, secure.username, secure.password) == (465, "ssl", "user@x", "p:ss")
    assert parse_smtp_url("smtp+starttls://mail.example.org", sender="a@b").port == 587
    with pytest.raises(ValueError):
        parse_smtp_url("http://mail.example.org", sender="a@b")


def _account(sessions, role: str, org: str | None):
    with transaction(sessions) as session:
        return create_account(session, email=f"{role}-{uuid.uuid4().hex[:8]}@staff.example.org", name="Retry Tester",
                              role=role, organization_id=org, password="a long enough password", at=NOW)


def test_a_network_admin_sends_a_dead_email_again_to_the_address_as_it_is_now(sessions, smtp) -> None:
    inbox, port = smtp
    with transaction(sessions) as session:  # a wrong address: refused for good, given up at once
        session.add(OrganizationSettings(organization_id=ORG, referral_email="nobody@avongorge.example.org",
                                         updated_at=NOW))
    referral_id = _refer(sessions)
    clock = Clock()
    _worker(sessions, port, clock).run_once()
    (dead,) = _rows(sessions)
    assert dead.status == "dead"
    admin, adviser = _account(sessions, "network_admin", None), _account(sessions, "org_admin", ORG)
    with pytest.raises(NotVisible), transaction(sessions) as session:  # only network admins
        actions.do_retry_mail(session, adviser, dead.id, at=NOW)
    with pytest.raises(NotVisible), transaction(sessions) as session:
        actions.do_retry_mail(session, admin, dead.id + 1000, at=NOW)
    with transaction(sessions) as session:  # the organisation fixes its address
        settings = session.get(OrganizationSettings, ORG)
        assert settings is not None
        settings.referral_email = "intake@avongorge.example.org"
    with transaction(sessions) as session:
        assert actions.do_retry_mail(session, admin, dead.id, at=NOW) == 1
    with pytest.raises(actions.ReferralError, match="given up"), transaction(sessions) as session:
        actions.do_retry_mail(session, admin, dead.id, at=NOW)  # pending now: not twice
    assert _worker(sessions, port, clock).run_once() == 1
    ((recipients, message),) = inbox.messages
    assert recipients == ["intake@avongorge.example.org"]
    assert referral_id in message.get_payload(decode=True).decode("utf-8")
    (row,) = _rows(sessions)
    assert (row.status, row.to_address) == ("sent", "intake@avongorge.example.org")
    with sessions() as session:
        event = session.scalars(select(StaffEvent).where(StaffEvent.action == "retried_email")).one()
        assert (event.account_id, event.organization_id, event.referral_id) == (admin.id, ORG, referral_id)
        assert event.detail == {"mail_id": row.id, "previous_attempts": 1, "new_address": True}
