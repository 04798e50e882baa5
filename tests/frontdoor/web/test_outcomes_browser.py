"""In a real browser (Debian's Chromium, headless, JavaScript off), on a served app with the in-app outbox
worker sending to a loopback Twilio fake and partner emails going to a loopback SMTP server:

- an org admin sets the organisation's target time to first contact, and the queue flags an overdue referral;
- an adviser closes a referral with an outcome, and the client's SMS number receives the closing message in
  the client's language (Polish here).

Screenshots at 1280 and 375 px go to var/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import email
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.i18n import get_translator
from bot.notifications import STATUS_NOTICES
from core.db import transaction
from core.settings import PROJECT_ROOT, Settings
from frontdoor.app import create_app
from frontdoor.runtime import Runtime
from referrals.actions import change_status, create_referral, record_consent
from tests.bot.channels.fakes import FakeTwilio
from tests.frontdoor.web.browser_support import CHROMIUM, CHROMIUM_ARGS, free_port, require_chromium, serving
from tests.frontdoor.web.staff_support import PASSWORD, make_account
from tests.support import keyword_runtime

ORG, SERVICE, ORG_NAME = "org-luton-ca", "svc-luton-ca-general", "Lea Valley Citizens Advice"
SHOTS = PROJECT_ROOT / "var" / "screenshots"
ACCOUNT, AUTH, OUR_NUMBER = "AC" + "1" * 32, "twilio-browser-token", "+447700900000"
CLIENT = "+447700900432"

sync_api = pytest.importorskip("playwright.sync_api")
aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")



class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def served(sqlite_template: Path, tmp_path: Path, clock) -> Iterator[tuple[str, Runtime, FakeTwilio, Inbox]]:
    require_chromium()
    path = tmp_path / "frontdoor.db"
    shutil.copy(sqlite_template, path)
    twilio = FakeTwilio(ACCOUNT, AUTH)
    inbox = Inbox()
    smtp_port = free_port()
    controller = aiosmtpd_controller.Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    port = free_port()
    settings = Settings(database_url=f"sqlite:///{path}", outbox_in_app=1, outbox_poll_seconds=0.05,
                        twilio_account_sid=ACCOUNT, twilio_auth_token=AUTH, twilio_from_number=OUR_NUMBER,
                        twilio_api_base=twilio.url, smtp_url=f"smtp://127.0.0.1:{smtp_port}",
                        public_base_url=f"http://127.0.0.1:{port}")
    try:
        with keyword_runtime(settings, clock) as runtime, serving(create_app(settings, runtime), port):
            yield f"http://127.0.0.1:{port}", runtime, twilio, inbox
    finally:
        controller.stop()
        twilio.close()


def _referral(runtime: Runtime, *, hours_ago: float, accepted: bool, name: str) -> tuple[str, str]:
    """A referral as the bot writes it for a Polish-speaking SMS client (consent first, then the referral)."""
    at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours_ago)
    reference = f"FD-{uuid.uuid4().hex[:6].upper()}"
    with transaction(runtime.sessions) as session:
        consent = record_consent(session, consent_id=None, client_channel="sms", client_address=CLIENT,
                                 organization_id=ORG, granted=True, wording_version="v1",
                                 wording_text="Czy mogę przekazać Twoje dane?", language="pl", at=at)
        referral = create_referral(session, consent_id=consent.id, at=at, reference=reference, language="pl",
                                   categories=["housing"], summary="właściciel zmienił zamki", client_name=name,
                                   organization_id=ORG, service_id=SERVICE,
                                   communication_needs={"contact_method": "sms", "language": "pl"})
        if accepted:
            change_status(session, referral, "accepted", actor="test", at=at)
        return referral.id, reference


def _sign_in(page: Any, base: str, email_address: str) -> None:
    page.goto(f"{base}/staff/login")
    page.get_by_label("Email").focus()
    page.keyboard.type(email_address)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/staff/queue/{ORG}")


def _wait_for(condition: Any, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting")


def test_org_admin_sets_the_target_and_adviser_closes_with_an_outcome(served) -> None:
    base, runtime, twilio, inbox = served
    _late_id, late_ref = _referral(runtime, hours_ago=30, accepted=False, name="Olena")
    closing_id, closing_ref = _referral(runtime, hours_ago=2, accepted=True, name="Marta")
    admin = make_account(runtime, role="org_admin", org=ORG, name="Browser Org Admin")
    adviser = make_account(runtime, role="adviser", org=ORG, name="Browser Adviser")
    SHOTS.mkdir(parents=True, exist_ok=True)
    _wait_for(lambda: len(inbox.messages) == 2)  # each new referral's email, sent by the app's worker
    assert all("/staff/referral/" in m.get_payload() and "Olena" not in m.as_string() for m in inbox.messages)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            # The org admin sets the target time to first contact.
            context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
            page = context.new_page()
            _sign_in(page, base, admin.email)
            assert "No target time to first contact is set." in page.content()
            page.get_by_role("link", name="Service levels").first.click()
            page.get_by_label("Target time to first contact, in hours").fill("24")
            page.get_by_role("button", name="Save service levels").click()
            assert page.get_by_role("status").inner_text() == "Saved."
            page.screenshot(path=str(SHOTS / "staff-service-levels-1280.png"), full_page=True)
            page.get_by_role("link", name="Our queue").click()
            late_row = page.locator("table.queue tbody tr", has_text=late_ref)
            assert "Overdue" in late_row.inner_text()
            assert "Overdue" not in page.locator("table.queue tbody tr", has_text=closing_ref).inner_text()
            page.screenshot(path=str(SHOTS / "staff-queue-overdue-1280.png"), full_page=True)
            context.close()

            # The adviser closes the other referral with an outcome.
            context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
            page = context.new_page()
            _sign_in(page, base, adviser.email)
            page.get_by_role("link", name=closing_ref).click()
            page.get_by_label("Advice given").check()
            page.get_by_label("Outcome note").fill("explained the notice period")
            page.screenshot(path=str(SHOTS / "staff-close-outcome-1280.png"), full_page=True)
            page.get_by_role("button", name="Close referral").click()
            page.wait_for_url(f"{base}/staff/referral/{closing_id}?changed=closed")
            assert "Advice given" in page.locator("dl.facts", has_text="Outcome").inner_text()
            page.screenshot(path=str(SHOTS / "staff-referral-closed-1280.png"), full_page=True)
            page.set_viewport_size({"width": 375, "height": 800})
            page.screenshot(path=str(SHOTS / "staff-referral-closed-375.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1
            context.close()
        finally:
            browser.close()
    expected = get_translator("pl").gettext(STATUS_NOTICES["closed"]) % {"organization": ORG_NAME,
                                                                         "reference": closing_ref}
    assert expected.startswith("Twoja") or "zamkn" in expected  # Polish, not the English source
    _wait_for(lambda: any(m.get("To") == CLIENT and m.get("Body") == expected for m in twilio.messages))
    for name in ("staff-service-levels-1280", "staff-queue-overdue-1280", "staff-close-outcome-1280",
                 "staff-referral-closed-1280", "staff-referral-closed-375"):
        assert (SHOTS / f"{name}.png").stat().st_size > 0
