"""Web app: health check, the no-JavaScript simulator and how it is guarded, headers on every response."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.conversation import Conversation
from core.db import make_engine, make_sessionmaker
from core.settings import Settings
from frontdoor.app import create_app
from frontdoor.web.staff.data import load_queue, org_summaries
from referrals.models import Referral
from referrals.queries import service_usage
from tests.conftest import FIXED_NOW


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=db_url))) as test_client:
        yield test_client


def _open(client: TestClient) -> tuple[str, str]:
    """A new simulated client, as a browser gets it: (client id, CSRF token)."""
    page = client.get("/simulator")
    assert page.status_code == 200
    client_id = re.search(r'name="client" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)  # type: ignore[union-attr]
    return client_id, csrf


def _say(client: TestClient, ids: tuple[str, str], text: str, channel: str = "sms") -> str:
    page = client.post("/simulator", data={"client": ids[0], "csrf": ids[1], "text": text, "channel": channel})
    assert page.status_code == 200, page.text
    return page.text


def test_healthz_checks_the_database(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "nlu": {
        "backend": "keywords", "model": "off", "model_ready": False, "breaker": None, "answering": "keywords",
        "detail": None}}


def test_simulator_conversation_without_javascript(client: TestClient) -> None:
    first = client.get("/simulator", follow_redirects=False)
    assert first.status_code == 303 and "fd_sim=" in first.headers["set-cookie"]
    assert "samesite=strict" in first.headers["set-cookie"].lower()
    ids = _open(client)
    page = _say(client, ids, "hi")
    assert "Which language" in page and "Українська" in page
    assert 'dir="auto"' in page and "<script" not in page
    assert "In your own words" in _say(client, ids, "1")
    page = _say(client, ids, "<b>my landlord</b> wants me out")
    assert "&lt;b&gt;my landlord&lt;/b&gt;" in page  # escaped, never rendered as HTML
    assert "Housing" in page


def test_simulator_client_ids_are_unguessable_and_bound_to_the_browser(client: TestClient, db_url: str) -> None:
    ids = _open(client)
    assert re.fullmatch(r"web-[0-9a-f]{24}-[0-9a-f]{16}", ids[0])
    assert _open(client)[0] != ids[0]
    _say(client, ids, "hi")
    with TestClient(client.app) as stranger:  # another browser that learnt the id
        peek = stranger.get(f"/simulator?client={ids[0]}", follow_redirects=False)
        assert peek.status_code == 303 and ids[0] not in peek.headers["location"]  # a new client, not theirs
        write = stranger.post("/simulator", data={"client": ids[0], "csrf": ids[1], "text": "hi"})
        assert write.status_code == 403
    forged = client.get("/simulator?client=web-000000000000000000000000-0000000000000000", follow_redirects=False)
    assert forged.status_code == 303


def test_simulator_refuses_a_post_without_its_csrf_token(client: TestClient, db_url: str) -> None:
    ids = _open(client)
    assert client.post("/simulator", data={"client": ids[0], "text": "hi"}).status_code == 403
    assert client.post("/simulator", data={"client": ids[0], "csrf": "0" * 32, "text": "hi"}).status_code == 403
    cross_site = TestClient(client.app)  # a page on another site: the SameSite cookie is not sent
    assert cross_site.post("/simulator", data={"client": ids[0], "csrf": ids[1], "text": "hi"}).status_code == 403
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as session:
        assert session.scalars(select(Conversation)).all() == []
    engine.dispose()


def test_simulator_rejects_bad_input_clearly(client: TestClient) -> None:
    ids = _open(client)
    assert client.post("/simulator", data={"client": "../etc", "text": "hi"}).status_code == 403
    page = client.post("/simulator", data={"client": ids[0], "csrf": ids[1], "text": "x" * 10_001})
    assert page.status_code == 413 and "too long" in page.text


def test_simulator_is_rate_limited_per_address(db_url: str) -> None:
    settings = Settings(database_url=db_url, simulator_messages_per_minute=0.001)  # the burst of 10, then wait
    with TestClient(create_app(settings)) as client:
        ids = _open(client)
        codes = [client.post("/simulator", data={"client": ids[0], "csrf": ids[1], "text": "hi"}).status_code
                 for _ in range(12)]
    assert codes[:10] == [200] * 10 and codes[10:] == [429, 429]


def test_simulator_renders_right_to_left_languages_rtl(client: TestClient) -> None:
    ids = _open(client)
    _say(client, ids, "hi")
    page = _say(client, ids, "7")  # العربية
    assert 'dir="rtl" lang="ar"' in page
    assert 'dir="ltr" lang="en"' in page  # the earlier English lines stay left to right


LUTON_DEBT = ["hi", "1", "i owe money on 3 credit cards and a payday loan, they keep phoning me", "yes", "no", "no",
              "LU2 7AB", "yes", "yes", "Anna"]


def test_simulated_referrals_never_reach_a_partner_queue(db_url: str) -> None:
    with TestClient(create_app(Settings(database_url=db_url, simulator_messages_per_minute=6000))) as client:
        ids = _open(client)
        for text in LUTON_DEBT:
            page = _say(client, ids, text)
    assert "Your reference is FD-" in page
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as session:
        referral = session.scalars(select(Referral)).one()
        assert referral.simulated and session.scalars(select(Conversation)).one().simulated
        assert load_queue(session, referral.organization_id, "all") == ([], False)
        assert all(o.new == 0 for o in org_summaries(session))
        # what matching reads (capacity used, last referred): nothing, now or later
        assert service_usage(session, [referral.service_id], now=FIXED_NOW.replace(year=2100)) == ({}, {})
        assert service_usage(session, [referral.service_id], now=referral.created_at) == ({}, {})
    engine.dispose()


@pytest.mark.parametrize("environ, enabled", [
    ({}, True),  # make run: loopback, no public URL
    ({"FRONTDOOR_PUBLIC_BASE_URL": "https://fd.example.org"}, False),
    ({"FRONTDOOR_HOST": "0.0.0.0"}, False),
    ({"FRONTDOOR_PUBLIC_BASE_URL": "https://fd.example.org", "FRONTDOOR_SIMULATOR": "true"}, True),
    ({"FRONTDOOR_SIMULATOR": "0"}, False),
])
def test_simulator_is_on_only_for_local_use_unless_chosen(environ: dict[str, str], enabled: bool) -> None:
    from core.settings import load_settings

    assert load_settings(environ).simulator_enabled is enabled


def test_simulator_is_absent_when_off(db_url: str) -> None:
    settings = Settings(database_url=db_url, public_base_url="https://fd.example.org")
    with TestClient(create_app(settings)) as client:
        assert client.get("/simulator", follow_redirects=False).status_code == 404
        assert client.post("/simulator", data={"client": "web-x", "text": "hi"}).status_code in (404, 405)
        assert "/simulator" not in client.get("/").text


@pytest.mark.parametrize("method, path", [
    ("GET", "/"), ("GET", "/simulator"), ("GET", "/healthz"), ("GET", "/static/site.css"), ("GET", "/nowhere"),
    ("GET", "/staff/"), ("POST", "/webhooks/twilio/sms"), ("POST", "/webhooks/twilio/status"),
    ("POST", "/webhooks/telegram"),
])
def test_every_response_carries_the_security_headers(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path, follow_redirects=False)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert "script-src" not in csp  # no script at all (default-src 'none')


def test_api_description_and_docs_are_off_by_default(client: TestClient, db_url: str) -> None:
    for path in ("/openapi.json", "/docs", "/redoc", "/docs/oauth2-redirect"):
        assert client.get(path).status_code == 404
    with TestClient(create_app(Settings(database_url=db_url, api_docs=1))) as docs:
        assert docs.get("/openapi.json").status_code == 200
