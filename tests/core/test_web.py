"""Web app: health check and the no-JavaScript simulator."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from core.settings import Settings
from frontdoor.app import create_app


@pytest.fixture
def client(db_url: str):
    with TestClient(create_app(Settings(database_url=db_url))) as test_client:
        yield test_client


def test_healthz_checks_the_database(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "nlu": {
        "backend": "keywords", "model": "off", "model_ready": False, "breaker": None, "answering": "keywords",
        "detail": None}}


def test_simulator_conversation_without_javascript(client: TestClient) -> None:
    first = client.get("/simulator", follow_redirects=False)
    assert first.status_code == 303
    client_id = re.search(r"client=(web-[0-9a-f]+)", first.headers["location"]).group(1)  # type: ignore[union-attr]
    page = client.post("/simulator", data={"client": client_id, "text": "hi", "channel": "sms"})
    assert page.status_code == 200
    assert "Which language" in page.text and "Українська" in page.text
    assert 'dir="auto"' in page.text and "<script" not in page.text
    page = client.post("/simulator", data={"client": client_id, "text": "1", "channel": "sms"})
    assert "In your own words" in page.text
    page = client.post("/simulator", data={"client": client_id, "text": "<b>my landlord</b> wants me out"})
    assert "&lt;b&gt;my landlord&lt;/b&gt;" in page.text  # escaped, never rendered as HTML
    assert "Housing" in page.text


def test_simulator_rejects_bad_input_clearly(client: TestClient) -> None:
    assert client.post("/simulator", data={"client": "../etc", "text": "hi"}, follow_redirects=False).status_code == 303
    page = client.post("/simulator", data={"client": "web-abc", "text": "x" * 10_001})
    assert page.status_code == 413 and "too long" in page.text


def test_simulator_renders_right_to_left_languages_rtl(client: TestClient) -> None:
    client_id = "web-rtl"
    client.post("/simulator", data={"client": client_id, "text": "hi", "channel": "sms"})
    page = client.post("/simulator", data={"client": client_id, "text": "7", "channel": "sms"})  # العربية
    assert 'dir="rtl" lang="ar"' in page.text
    assert 'dir="ltr" lang="en"' in page.text  # the earlier English lines stay left to right
