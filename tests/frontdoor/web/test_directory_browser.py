"""In a real browser (Debian's Chromium, headless, JavaScript off): an org admin edits their service's languages and
capacity, a network admin reads the diff and publishes, and the next client is matched on the new data at once
(the matcher's cache is kept for an hour here, so only the publish can refresh it); an invalid postcode district gets
its message, another organisation's service is a 404, and a revert restores the old version.
Screenshots go to var/screenshots/.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyotp
import pytest
from fastapi.testclient import TestClient

from bot.service import ConversationService
from core.db import make_engine, make_sessionmaker
from core.settings import PROJECT_ROOT, Settings
from directory.models import Service
from frontdoor.app import create_app
from frontdoor.runtime import Runtime
from nlu.keywords import KeywordClassifier
from staff.models import StaffAccount
from tests.frontdoor.web.browser_support import CHROMIUM, CHROMIUM_ARGS, free_port, require_chromium, serving
from tests.frontdoor.web.staff_support import PASSWORD, login, make_account

ORG = "org-luton-ca"
SERVICE = "svc-luton-ca-employment"
OTHER_SERVICE = "svc-bristol-law-housing"
SHOTS = PROJECT_ROOT / "var" / "screenshots"
# A Luton client sacked without pay, up to the offer of a partner (as in test_staff_browser.py).
CLIENT_TURNS = ["hi", "1", "i was sacked from my job without notice and they havent paid my wages", "yes", "no",
                "LU2 7AB", "yes"]

sync_api = pytest.importorskip("playwright.sync_api")



@pytest.fixture
def served(sqlite_template: Path, tmp_path: Path, clock) -> Iterator[tuple[str, Runtime]]:
    require_chromium()
    path = tmp_path / "frontdoor.db"
    shutil.copy(sqlite_template, path)
    settings = Settings(database_url=f"sqlite:///{path}", outbox_in_app=0)
    engine = make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    classifier = KeywordClassifier()
    # The matcher's cache lives as long as the directory's generation: a client matched on new data proves
    # that publishing moved it.
    conversations = ConversationService(sessions, classifier, settings, clock=clock)
    runtime = Runtime(settings, engine, sessions, classifier, conversations)
    port = free_port()
    try:
        with serving(create_app(settings, runtime), port):
            yield f"http://127.0.0.1:{port}", runtime
    finally:
        engine.dispose()


def _offer(runtime: Runtime, number: str) -> str:
    """Who the next client is offered (the matcher's first choice), driving the real conversation service.

    In a thread of its own: Playwright's sync API holds this thread's event loop.
    """
    def converse() -> str:
        for text in CLIENT_TURNS:
            reply = runtime.conversations.handle_sync("sms", number, text)
        offer = next(r.text for r in reply.replies if "can help with Work" in r.text)
        return offer.split(" can help with")[0]

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(converse).result()


def _sign_in(page, base: str, account: StaffAccount) -> None:  # noqa: ANN001 - Playwright's Page
    page.goto(f"{base}/staff/login")
    page.get_by_label("Email").fill(account.email)
    page.get_by_label("Password").fill(PASSWORD)
    if account.totp_secret:
        code = pyotp.TOTP(account.totp_secret).now()
        page.get_by_label("One-time code (if you turned on two-step sign-in)").fill(code)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _capacity(runtime: Runtime) -> tuple[int | None, list[str]]:
    with runtime.sessions() as session:
        service = session.get(Service, SERVICE)
        assert service is not None
        return service.capacity_per_week, [lang.code for lang in service.languages]


def test_edit_review_publish_match_and_revert_in_a_browser(served: tuple[str, Runtime]) -> None:
    base, runtime = served
    assert _offer(runtime, "+447700900401") == "Lea Valley Citizens Advice"  # loads the matcher's cache
    assert _capacity(runtime) == (8, ["en"])
    org_admin = make_account(runtime, role="org_admin", org=ORG, name="Lea Valley Admin")
    network = make_account(runtime, role="network_admin", org=None, name="Network Admin")
    with TestClient(create_app(runtime.settings, runtime)) as client:
        login(client, network)  # a network admin turns on two-step sign-in first (the gate demands it)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
            page = context.new_page()
            _sign_in(page, base, org_admin)
            page.get_by_role("link", name="Directory", exact=True).click()
            page.get_by_role("link", name="Employment advice", exact=True).first.click()
            assert page.url == f"{base}/staff/directory/service/{SERVICE}"

            # an invalid postcode district: nothing saved, the message sits under the field and in the summary
            page.get_by_label("Postcode districts").fill("LU2 LUX7")
            page.get_by_role("button", name="Save draft for review").click()
            message = page.locator("#postcode_districts-error")
            assert "“LUX7” is not a UK postcode district" in message.inner_text()
            assert page.get_by_role("alert").is_visible()
            page.screenshot(path=str(SHOTS / "directory-invalid-postcode-1280.png"), full_page=True)

            page.get_by_label("Postcode districts").fill("")
            page.get_by_label("Polish", exact=True).check()
            page.get_by_label("Weekly capacity (referrals a week)").fill("0")
            page.get_by_role("button", name="Save draft for review").click()
            assert "/staff/directory/draft/" in page.url
            assert "A network admin will review and publish it." in page.content()
            assert _capacity(runtime) == (8, ["en"])  # a draft changes nothing that matching reads
            assert _offer(runtime, "+447700900402") == "Lea Valley Citizens Advice"

            missing = page.goto(f"{base}/staff/directory/service/{OTHER_SERVICE}")
            assert missing is not None and missing.status == 404 and "There is no such service" in page.content()
            page.set_viewport_size({"width": 320, "height": 700})
            page.goto(f"{base}/staff/directory/service/{SERVICE}")
            assert page.evaluate("document.documentElement.scrollWidth") <= 320  # no sideways scrolling
            page.screenshot(path=str(SHOTS / "directory-edit-320.png"), full_page=True)
            context.close()

            context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
            page = context.new_page()
            _sign_in(page, base, network)
            page.goto(f"{base}/staff/directory/")
            page.get_by_role("link", name="Review and publish Employment advice").click()
            rows = {row.locator("th").inner_text(): row.locator("td").all_inner_texts()
                    for row in page.locator("table.diff tbody tr").all()}
            assert rows == {"Weekly capacity": ["8", "0"], "Languages spoken": ["English", "English, Polish"]}
            page.screenshot(path=str(SHOTS / "directory-review-diff-1280.png"), full_page=True)
            page.get_by_role("button", name="Publish").click()
            assert "Published: matching uses it from now on." in page.content()
            assert _capacity(runtime) == (0, ["en", "pl"])
            # the next client is matched on the published data: this partner is full, the next one is offered
            assert _offer(runtime, "+447700900403") == "Lea Valley Law Centre"

            page.get_by_role("button", name="Revert to version 1").click()
            assert "Reverted: the old version is published again." in page.content()
            assert page.locator("h2", has_text="Version 3").count() == 1
            page.screenshot(path=str(SHOTS / "directory-history-1280.png"), full_page=True)
            assert _capacity(runtime) == (8, ["en"])
            assert _offer(runtime, "+447700900404") == "Lea Valley Citizens Advice"
            context.close()
        finally:
            browser.close()
    for name in ("directory-invalid-postcode-1280.png", "directory-edit-320.png", "directory-review-diff-1280.png",
                 "directory-history-1280.png"):
        assert (SHOTS / name).stat().st_size > 0
