"""Schemathesis against the app's own OpenAPI description: webhooks signed as the providers sign, and every
other operation; nothing answers 5xx, and a signed message answered 200 is stored before the answer.

The document is off in production (``FRONTDOOR_API_DOCS``); the test builds it from the app (``app.openapi()``),
where the webhooks describe their bodies (``frontdoor.web.webhook_schemas``). Cases per target are printed
(``pytest -s``) and must reach a floor, so a schema that generates nothing fails instead of passing empty.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import urlsplit

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from sqlalchemy import select

from bot.inbound import InboundMessage, storable
from core.settings import Settings
from frontdoor.app import create_app
from frontdoor.runtime import Runtime
from tests.bot.channels.conftest import PUBLIC, SECRET, sign

CASES = 40  # per webhook and backend; other operations get OTHER_CASES each
OTHER_CASES = 8
FUZZ = hypothesis_settings(max_examples=CASES, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))
def _schema(app_settings: Settings) -> Any:
    docs_on = app_settings.model_copy(update={"api_docs": 1})
    return schemathesis.openapi.from_dict(create_app(docs_on).openapi())


def _form(body: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in (body or {}).items()}


@pytest.fixture
def fuzz_client(settings: Settings, runtime: Runtime) -> Any:
    with TestClient(create_app(settings, runtime), base_url=PUBLIC, raise_server_exceptions=False) as client:
        yield client


def _stored(runtime: Runtime, sid: str) -> bool:
    with runtime.sessions() as session:
        return session.scalar(select(InboundMessage.id).where(
            InboundMessage.channel == "sms", InboundMessage.external_id == storable(sid)[:64])) is not None


def test_signed_sms_webhook(settings: Settings, runtime: Runtime, fuzz_client: TestClient) -> None:
    operation = _schema(settings)["/webhooks/twilio/sms"]["POST"]
    counts: Counter[str] = Counter()

    @FUZZ
    @given(operation.as_strategy())
    def check(case: Any) -> None:
        form = _form(case.body)
        signature = sign(f"{PUBLIC}/webhooks/twilio/sms", form)
        response = fuzz_client.post("/webhooks/twilio/sms", data=form, headers={"X-Twilio-Signature": signature})
        counts["POST /webhooks/twilio/sms signed"] += 1
        assert response.status_code == 200, response.text
        if form.get("MessageSid") and form.get("From"):
            assert _stored(runtime, form["MessageSid"])  # durably a row before the 200
        forged = fuzz_client.post("/webhooks/twilio/sms", data={**form, "Body": form.get("Body", "") + "!"},
                                  headers={"X-Twilio-Signature": signature})
        assert forged.status_code == 403

    check()
    print(f"\nfuzz cases: POST /webhooks/twilio/sms {counts['POST /webhooks/twilio/sms signed']}")
    assert counts["POST /webhooks/twilio/sms signed"] >= CASES // 2


def test_signed_status_callback(settings: Settings, fuzz_client: TestClient) -> None:
    operation = _schema(settings)["/webhooks/twilio/status"]["POST"]
    counts: Counter[str] = Counter()

    @FUZZ
    @given(operation.as_strategy())
    def check(case: Any) -> None:
        form = _form(case.body)
        query = "?outbox_id=" + str(abs(hash(form.get("MessageSid", ""))) % 50)
        signature = sign(f"{PUBLIC}/webhooks/twilio/status{query}", form)
        response = fuzz_client.post(f"/webhooks/twilio/status{query}", data=form,
                                    headers={"X-Twilio-Signature": signature})
        counts["POST /webhooks/twilio/status signed"] += 1
        assert response.status_code == 204, response.text

    check()
    print(f"\nfuzz cases: POST /webhooks/twilio/status {counts['POST /webhooks/twilio/status signed']}")
    assert counts["POST /webhooks/twilio/status signed"] >= CASES // 2


def test_telegram_updates(settings: Settings, fuzz_client: TestClient) -> None:
    operation = _schema(settings)["/webhooks/telegram"]["POST"]
    counts: Counter[str] = Counter()

    @FUZZ
    @given(operation.as_strategy())
    def check(case: Any) -> None:
        response = fuzz_client.post("/webhooks/telegram", json=case.body,
                                    headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        counts["POST /webhooks/telegram"] += 1
        assert response.status_code in (200, 400), response.text

    check()
    print(f"\nfuzz cases: POST /webhooks/telegram {counts['POST /webhooks/telegram']}")
    assert counts["POST /webhooks/telegram"] >= CASES // 2


def _no_server_error(client: TestClient, operation: Any, label: str, counts: Counter[str]) -> None:
    @hypothesis_settings(max_examples=OTHER_CASES, deadline=None, database=None,
                         suppress_health_check=list(HealthCheck))
    @given(operation.as_strategy())
    def check(case: Any) -> None:
        kwargs = case.as_transport_kwargs(base_url=PUBLIC)
        url = urlsplit(kwargs["url"])
        response = client.request(kwargs["method"], url.path + (f"?{url.query}" if url.query else ""),
                                  params=kwargs.get("params"), headers=kwargs.get("headers"),
                                  data=kwargs.get("data"), json=kwargs.get("json"), follow_redirects=False)
        counts[label] += 1
        assert response.status_code < 500, (label, response.status_code, response.text[:200])

    check()


def test_every_other_operation(settings: Settings, fuzz_client: TestClient) -> None:
    counts: Counter[str] = Counter()
    for result in _schema(settings).get_all_operations():
        operation = result.ok()
        if not operation.path.startswith("/webhooks/"):
            _no_server_error(fuzz_client, operation, f"{operation.method.upper()} {operation.path}", counts)
    print("\nfuzz cases: " + ", ".join(f"{label} {n}" for label, n in counts.items()))
    assert len(counts) >= 10 and all(n >= 1 for n in counts.values())


def test_a_status_callback_with_oversized_or_nul_fields_is_answered(fuzz_client: TestClient) -> None:
    """Found by the fuzzing above: a long ErrorCode or a NUL in a field gave 500 on PostgreSQL."""
    for form in ({"MessageSid": "SM\x00abc", "MessageStatus": "delivered", "ErrorCode": "3" * 60, "To": "+4477\x00"},
                 {"MessageSid": "SM" + "x" * 100, "MessageStatus": "failed" * 10, "ErrorCode": "21610"}):
        signature = sign(f"{PUBLIC}/webhooks/twilio/status?outbox_id=1", form)
        response = fuzz_client.post("/webhooks/twilio/status?outbox_id=1", data=form,
                                    headers={"X-Twilio-Signature": signature})
        assert response.status_code == 204, response.text
