"""In a real browser (Debian's Chromium, headless, JavaScript off): an adviser signs in with the keyboard alone
and sees their organisation's queue. Screenshots at 1280 and 375 px go to var/screenshots/.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT, Settings
from frontdoor.app import create_app
from frontdoor.runtime import Runtime
from tests.frontdoor.web.browser_support import CHROMIUM, CHROMIUM_ARGS, free_port, require_chromium, serving
from tests.frontdoor.web.staff_support import PASSWORD, make_account
from tests.support import keyword_runtime

ORG = "org-luton-ca"
SHOTS = PROJECT_ROOT / "var" / "screenshots"
# A Luton employment referral, made the way a client makes one (as in tests/frontdoor/web/test_staff_pages.py).
CLIENT_TURNS = ["hi", "1", "i was sacked from my job without notice and they havent paid my wages", "yes", "no",
                "LU2 7AB", "yes", "yes", "Robin"]

sync_api = pytest.importorskip("playwright.sync_api")



@pytest.fixture
def served(sqlite_template: Path, tmp_path: Path, clock) -> Iterator[tuple[str, Runtime]]:
    require_chromium()
    path = tmp_path / "frontdoor.db"
    shutil.copy(sqlite_template, path)
    settings = Settings(database_url=f"sqlite:///{path}", outbox_in_app=0)
    with keyword_runtime(settings, clock) as runtime:
        port = free_port()
        with serving(create_app(settings, runtime), port):
            yield f"http://127.0.0.1:{port}", runtime


def test_adviser_signs_in_with_the_keyboard_and_sees_the_queue(served: tuple[str, Runtime]) -> None:
    base, runtime = served
    for text in CLIENT_TURNS:
        reply = runtime.conversations.handle_sync("sms", "+447700900321", text)
    assert any("FD-" in r.text for r in reply.replies)
    adviser = make_account(runtime, role="adviser", org=ORG, name="Browser Adviser")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(f"{base}/staff/login")
            page.get_by_label("Email").focus()
            page.keyboard.type(adviser.email)
            page.keyboard.press("Tab")
            page.keyboard.type(PASSWORD)
            page.keyboard.press("Enter")
            page.wait_for_url(f"{base}/staff/queue/{ORG}")
            assert page.get_by_role("heading", level=1).inner_text() == "Lea Valley Citizens Advice: referrals"
            rows = page.locator("table.queue tbody tr")
            assert rows.count() == 1 and "Robin" in rows.first.inner_text()
            page.screenshot(path=str(SHOTS / "staff-queue-1280.png"), full_page=True)
            page.set_viewport_size({"width": 375, "height": 800})
            page.screenshot(path=str(SHOTS / "staff-queue-375.png"), full_page=True)
            context.close()

            narrow = browser.new_context(viewport={"width": 320, "height": 700})
            login = narrow.new_page()
            login.goto(f"{base}/staff/login")
            assert login.evaluate("document.documentElement.scrollWidth") <= 320  # no sideways scrolling
            narrow.close()
        finally:
            browser.close()
    assert (SHOTS / "staff-queue-1280.png").stat().st_size > 0 and (SHOTS / "staff-queue-375.png").stat().st_size > 0
