"""In a real browser (Debian's Chromium, headless, JavaScript off): the adviser's side of a handoff.

A Polish SMS client (real signed Twilio webhooks, replies through the outbox to a
loopback Twilio fake) gets a referral; the adviser signs in, sees it first in the
queue, accepts it and writes to the client; the client's reply appears in the
thread. A Ukrainian client's referral is declined with a reason; they are offered
the next service, say YES, and get a new referral with a new consent row. Each
client receives every message in their own language. Screenshots of the queue and
the referral page at 1280 and 375 px go to var/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx
import pytest
from sqlalchemy import select

from bot.channels.registry import build_senders
from bot.worker import Worker, WorkerConfig
from core.languages import LANGUAGE_CODES
from core.settings import PROJECT_ROOT, Settings
from directory.models import Organization
from frontdoor.app import create_app
from frontdoor.runtime import Runtime
from nlu.phrases import load_phrases
from referrals.models import Consent, Referral, ReferralMessage
from tests.bot.channels.conftest import ACCOUNT, AUTH, OUR_NUMBER, sign
from tests.bot.channels.fakes import FakeTwilio
from tests.frontdoor.web.browser_support import CHROMIUM, CHROMIUM_ARGS, free_port, require_chromium, serving
from tests.frontdoor.web.staff_support import PASSWORD, make_account
from tests.support import keyword_runtime

ORG = "org-luton-ca"
SHOTS = PROJECT_ROOT / "var" / "screenshots"
POLISH, UKRAINIAN = "+447700900401", "+447700900402"
PROBLEM = {"pl": "zwolnili mnie z pracy i nie zapłacili mi wypłaty",
           "uk": "мене звільнили з роботи і не виплатили зарплату"}

sync_api = pytest.importorskip("playwright.sync_api")



class World:
    def __init__(self, base: str, runtime: Runtime, twilio: FakeTwilio) -> None:
        self.base, self.runtime, self.twilio, self.sid = base, runtime, twilio, 0

    def sms(self, sender: str, body: str) -> None:
        """The client texts us: a signed Twilio webhook to the running app, then the outbox is drained."""
        self.sid += 1
        params = {"MessageSid": f"SM{self.sid:032d}", "AccountSid": ACCOUNT, "From": sender, "To": OUR_NUMBER,
                  "Body": body, "NumMedia": "0"}
        url = f"{self.base}/webhooks/twilio/sms"
        response = httpx.post(url, data=params, headers={"X-Twilio-Signature": sign(url, params)})
        assert response.status_code == 200, response.text
        self.drain()

    def drain(self) -> None:
        async def go() -> None:
            senders = build_senders(self.runtime.settings)
            try:
                await Worker(self.runtime.sessions, senders, WorkerConfig(backoff_seconds=1),
                             clock=lambda: dt.datetime.now(dt.UTC)).drain()
            finally:
                for sender in senders.values():
                    await sender.aclose()
        # Playwright's sync API runs an event loop in this thread: the worker gets a thread of its own.
        worker = threading.Thread(target=anyio.run, args=(go,))
        worker.start()
        worker.join(timeout=60)

    def received(self, number: str) -> list[str]:
        return [m["Body"] for m in self.twilio.messages if m.get("To") == number]


@pytest.fixture
def world(sqlite_template: Path, tmp_path: Path) -> Iterator[World]:
    require_chromium()
    path = tmp_path / "frontdoor.db"
    shutil.copy(sqlite_template, path)
    twilio = FakeTwilio(ACCOUNT, AUTH)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings = Settings(database_url=f"sqlite:///{path}", outbox_in_app=0, twilio_account_sid=ACCOUNT,
                        twilio_auth_token=AUTH, twilio_from_number=OUR_NUMBER, twilio_api_base=twilio.url,
                        public_base_url=base)
    try:
        with keyword_runtime(settings, lambda: dt.datetime.now(dt.UTC)) as runtime, \
                serving(create_app(settings, runtime), port):
            yield World(base, runtime, twilio)
    finally:
        twilio.close()


def _refer(world: World, number: str, language: str) -> str:
    yes, no = load_phrases(language).answers.yes[0], load_phrases(language).answers.no[0]
    for text in ["hi", str(LANGUAGE_CODES.index(language) + 1), PROBLEM[language], yes, no, "LU2 7AB", yes, yes,
                 "Anna"]:
        world.sms(number, text)
    with world.runtime.sessions() as session:
        return session.scalars(select(Referral.id).where(Referral.client_address == number)).one()


def _english_free(texts: list[str]) -> None:
    for text in texts:
        for english in ("cannot take", "has accepted", "Message from", "Reply to answer", "has your details",
                        "Another service"):
            assert english not in text, text


def test_adviser_accepts_writes_and_declines_with_reroute(world: World) -> None:
    first = _refer(world, POLISH, "pl")
    assert "Twój numer sprawy: FD-" in world.received(POLISH)[-1]
    second = _refer(world, UKRAINIAN, "uk")
    with world.runtime.sessions() as session:
        first_ref, second_ref = session.get(Referral, first), session.get(Referral, second)
        assert first_ref is not None and second_ref is not None
        references = (first_ref.reference, second_ref.reference)
        # equally good core partners take turns: the second client went to the other Luton partner
        other_org = second_ref.organization_id
        other_name = session.get(Organization, other_org).name  # type: ignore[union-attr]
    assert first_ref.organization_id == ORG and other_org != ORG
    adviser = make_account(world.runtime, role="adviser", org=ORG, name="Browser Adviser")
    other_adviser = make_account(world.runtime, role="adviser", org=other_org, name="Other Adviser")
    base = world.base
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(f"{base}/staff/login")
            page.get_by_label("Email").fill(adviser.email)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{base}/staff/queue/{ORG}")
            rows = page.locator("table.queue tbody tr")
            assert rows.count() == 1
            assert references[0] in rows.first.inner_text()
            page.screenshot(path=str(SHOTS / "handoff-queue-1280.png"), full_page=True)
            page.set_viewport_size({"width": 375, "height": 800})
            page.screenshot(path=str(SHOTS / "handoff-queue-375.png"), full_page=True)
            page.set_viewport_size({"width": 1280, "height": 900})

            # accept the first, write to the client, read the reply
            page.goto(f"{base}/staff/referral/{first}")
            page.get_by_label("accepted").check()
            page.get_by_role("button", name="Change status").click()
            world.drain()
            assert world.received(POLISH)[-1].startswith("Lea Valley Citizens Advice przyj")  # accepted, in Polish
            page.get_by_label("Message to the client").fill("Dzień dobry, proszę zadzwonić w poniedziałek.")
            page.get_by_role("button", name="Preview").click()
            preview = page.get_by_role("status").inner_text()
            assert "SMS segments (UCS-2" in preview  # Polish letters: UCS-2, counted before sending
            page.get_by_role("button", name="Send").click()
            world.drain()
            sent = world.received(POLISH)[-1]
            assert sent.startswith("Wiadomość od Lea Valley Citizens Advice: Dzień dobry")  # framed in Polish
            world.sms(POLISH, "Dobrze, zadzwonię w poniedziałek rano")
            page.goto(f"{base}/staff/referral/{first}")
            thread = page.locator("ol.thread li")
            assert thread.count() == 2 and "zadzwonię w poniedziałek rano" in thread.nth(1).inner_text()
            page.screenshot(path=str(SHOTS / "handoff-referral-1280.png"), full_page=True)
            page.set_viewport_size({"width": 375, "height": 800})
            page.screenshot(path=str(SHOTS / "handoff-referral-375.png"), full_page=True)
            page.set_viewport_size({"width": 1280, "height": 900})

            # the other partner declines the second: no reason -> a clear error; with one -> the next service
            page.get_by_role("button", name="Sign out").click()
            page.goto(f"{base}/staff/login")
            page.get_by_label("Email").fill(other_adviser.email)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{base}/staff/queue/{other_org}")
            page.goto(f"{base}/staff/referral/{second}")
            page.get_by_label("Reason for declining (required)").fill("   ")
            page.get_by_role("button", name="Decline").click()
            assert "give a reason for declining" in page.content()
            page.get_by_label("Reason for declining (required)").fill("No employment adviser until January")
            page.get_by_role("button", name="Decline").click()
            assert "offered the next matching service" in page.content()
            context.close()
        finally:
            browser.close()
    world.drain()
    offer = world.received(UKRAINIAN)[-2:]
    assert offer[0].startswith(f"{other_name} не можуть прийняти")
    assert "Lea Valley Citizens Advice" in offer[1]
    world.sms(UKRAINIAN, load_phrases("uk").answers.yes[0])
    done = world.received(UKRAINIAN)[-2:]
    assert done[0].startswith("Готово (ім'я в заявці: Anna). Lea Valley Citizens Advice")
    _english_free(world.received(POLISH)[-3:] + world.received(UKRAINIAN)[-4:])
    with world.runtime.sessions() as session:
        new = session.scalars(select(Referral).where(Referral.client_address == UKRAINIAN,
                                                     Referral.organization_id == ORG)).one()
        assert new.routing["rerouted_from"] == references[1]
        consents = [(c.organization_id, c.granted) for c in session.scalars(
            select(Consent).where(Consent.client_address == UKRAINIAN).order_by(Consent.created_at))]
        assert consents == [(other_org, True), (ORG, True)]
        assert [m.direction for m in session.scalars(select(ReferralMessage).where(
            ReferralMessage.referral_id == first).order_by(ReferralMessage.id))] == ["out", "in"]
    for name in ("handoff-queue-1280", "handoff-queue-375", "handoff-referral-1280", "handoff-referral-375"):
        assert (SHOTS / f"{name}.png").stat().st_size > 0
