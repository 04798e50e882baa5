"""Staff pages: sign-in, queues ordered by urgency, status changes, opt-outs and undelivered messages.

Referrals are made the way clients make them (through ConversationService);
every database test runs on SQLite and on PostgreSQL (the ``db_url`` fixture).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import re
import sys
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.outbox import Draft, OutboxMessage, enqueue
from bot.replies import render_plain
from core.db import transaction
from directory.models import Service
from frontdoor.app import create_app
from frontdoor.cli import main as cli_main
from frontdoor.referral_export import export_referrals
from frontdoor.runtime import Runtime
from frontdoor.web.staff import auth as staff_auth
from frontdoor.web.staff.format import days_left_text, uk_date, uk_datetime
from frontdoor.web.staff.problems import mask_address
from referrals.models import Referral
from tests.frontdoor.web.staff_support import make_and_sign_in

ORG = "org-luton-ca"  # Lea Valley Citizens Advice: takes Luton employment referrals in the demo directory
SECRET_BODY = "Your eviction letter from Mr Landlord is noted"  # must never appear on a staff page

Turns = list[tuple[str, str | None]]

# Luton renter with no extra needs, contacted by text, messages OK (as in tests/bot/test_journeys.py).
LUTON_TAIL: Turns = [
    ("LU2 7AB", "safe to leave you messages"),
    ("yes", "Can I send"),
]


def _consent(name: str) -> Turns:
    return [("yes", "What name"), (name, "Your reference is FD-")]


def _start(description: str) -> Turns:
    return [("hi", "Which language"), ("1", "In your own words"), (description, "I think you need help with")]


# The employment_luton journey: no deadline, not urgent.
NO_DEADLINE: Turns = _start("i was sacked from my job <b>without notice</b> and they havent paid my wages") + [
    ("yes", "date you must act by"), ("no", "postcode"),  # work: no court papers question
] + LUTON_TAIL + _consent("Sam")
# A deadline three weeks away: not urgent, but it sorts before a referral with no deadline.
LATER_DEADLINE: Turns = _start("my employer has not paid my wages") + [
    ("yes", "date you must act by"), ("14/12", "14 December"),
] + LUTON_TAIL + _consent("Bo")
# A tribunal next Tuesday (1 December from Tuesday 24 November): urgent.
URGENT: Turns = [
    ("hi", "Which language"), ("1", "In your own words"),
    ("my employer has not paid my wages, tribunal next tuesday", "must act by Tuesday 1 December"), ("yes", "postcode"),
] + LUTON_TAIL + _consent("Ola")
# Danger mid-conversation and no deadline: urgent (crisis) all the same.
CRISIS: Turns = _start("my boss has not paid my wages") + [
    ("yes", "date you must act by"), ("no", "postcode"),
    ("my ex is outside with a knife and says he will kill me", "call 999"), ("yes", "postcode"),
] + LUTON_TAIL + _consent("Dee")


@pytest.fixture
def admin(runtime: Runtime) -> Iterator[TestClient]:
    """A second browser, for a network admin."""
    with TestClient(create_app(runtime.settings, runtime)) as test_client:
        yield test_client


def refer(runtime: Runtime, address: str, turns: Turns) -> str:
    """Run a client's conversation; return the reference the bot gave them."""
    transcript: list[str] = []
    reply = ""
    for message, expected in turns:
        handled = runtime.conversations.handle_sync("sms", address, message)
        reply = "\n".join(render_plain(r) for r in handled.replies)
        transcript.append(f"> {message}\n{reply}")
        if expected is not None:
            assert expected in reply, "\n\n".join(transcript)
    match = re.search(r"FD-[0-9A-F]{8}", reply)
    assert match is not None, reply
    return match.group(0)


def sign_in(client: TestClient, runtime: Runtime, name: str = "Priya Adviser", role: str = "adviser") -> str:
    """Make an account (an adviser of ORG by default) and sign in as it; returns the account id."""
    return make_and_sign_in(client, runtime, name=name, role=role, org=None if role == "network_admin" else ORG)


def csrf_of(page: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', page)
    assert match is not None, "the page has no CSRF field"
    return match.group(1)


def referral_by_ref(runtime: Runtime, reference: str) -> Referral:
    with runtime.sessions() as session:
        referral = session.scalars(select(Referral).where(Referral.reference == reference)).one()
        referral.audit, referral.consent  # noqa: B018 - load the trail and consent before the session closes
        return referral


def body_rows(page: str) -> list[str]:
    """The rows of the first table body, as HTML strings."""
    tbody = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [row for row in tbody.split("<tr")[1:]]


def assert_private(response) -> None:
    assert response.headers["cache-control"] == "no-store"
    assert "noindex" in response.headers["x-robots-tag"]


def uk_today() -> dt.date:
    return dt.datetime.now(ZoneInfo("Europe/London")).date()


# --- access -------------------------------------------------------------------------------------------------------


def test_pages_refuse_without_sign_in(client: TestClient, runtime: Runtime) -> None:
    reference = refer(runtime, "+447700900123", NO_DEADLINE)
    referral_id = referral_by_ref(runtime, reference).id
    for path in ("/staff/", f"/staff/queue/{ORG}", f"/staff/referral/{referral_id}", "/staff/outbox"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/staff/login?next=%2Fstaff%2F")
        assert_private(response)
        assert "Sam" not in response.text
    response = client.post(f"/staff/referral/{referral_id}/status", data={"csrf": "x", "to_status": "accepted"})
    assert response.status_code == 401
    assert client.post("/staff/outbox/1/retry", data={"csrf": "x"}).status_code == 401
    assert referral_by_ref(runtime, reference).status == "new"
    # a made-up cookie is no sign-in
    client.cookies.set(staff_auth.COOKIE_NAME, "made-up-session-token")
    assert client.get("/staff/", follow_redirects=False).status_code == 303



@pytest.fixture
def one_luton_partner(runtime: Runtime) -> Iterator[None]:
    """Equally good partners take turns; these tests want every referral in one queue, so the other is full.

    Put back afterwards: the PostgreSQL test database is shared by the whole run.
    """
    with transaction(runtime.sessions) as session:
        services = list(session.scalars(select(Service).where(Service.organization_id == "org-luton-law")))
        before = {service.id: service.capacity_per_week for service in services}
        for service in services:
            service.capacity_per_week = 0
    runtime.conversations.refresh_directory()
    yield
    with transaction(runtime.sessions) as session:
        for service_id, capacity in before.items():
            service = session.get(Service, service_id)
            if service is not None:
                service.capacity_per_week = capacity
    runtime.conversations.refresh_directory()


@pytest.mark.usefixtures("one_luton_partner")
def test_queue_is_urgent_first_then_nearest_deadline_then_oldest(client: TestClient, runtime: Runtime, clock) -> None:
    # Made in the reverse of the order each rule wants, so that dropping any one rule changes the order.
    oldest = refer(runtime, "+447700900101", NO_DEADLINE)
    clock.advance(hours=1)
    later = refer(runtime, "+447700900102", LATER_DEADLINE)
    clock.advance(hours=1)
    newer = refer(runtime, "+447700900104", NO_DEADLINE)
    clock.advance(hours=1)
    crisis = refer(runtime, "+447700900105", CRISIS)
    clock.advance(hours=1)
    urgent = refer(runtime, "+447700900103", URGENT)  # the newest, yet first
    assert referral_by_ref(runtime, urgent).urgent and not referral_by_ref(runtime, later).urgent
    assert referral_by_ref(runtime, crisis).crisis and referral_by_ref(runtime, crisis).deadline is None
    sign_in(client, runtime)

    index = client.get("/staff/")
    assert_private(index)
    org_row = next(row for row in body_rows(index.text) if f"/staff/queue/{ORG}" in row)
    cells = re.findall(r'<td class="num">(.*?)</td>', org_row, re.S)
    assert [re.sub(r"<[^>]+>", "", c).strip() for c in cells] == ["5", "2", "0"]  # new, urgent, delivery problems

    page = client.get(f"/staff/queue/{ORG}")
    assert page.status_code == 200
    assert_private(page)
    rows = body_rows(page.text)
    order = [re.search(r"FD-[0-9A-F]{8}", row).group(0) for row in rows]  # type: ignore[union-attr]
    assert order == [urgent, crisis, later, oldest, newer]
    urgent_row, crisis_row, later_row, oldest_row, _newer_row = rows
    assert "Urgent" in urgent_row and "Urgent" not in later_row and "Urgent" not in oldest_row
    assert "Urgent" in crisis_row and "Crisis" in crisis_row and "Crisis" not in urgent_row
    assert uk_date(dt.date(2026, 12, 1)) == "Tue 1 Dec 2026"
    assert "Tue 1 Dec 2026" in urgent_row and "Mon 14 Dec 2026" in later_row and "none given" in oldest_row
    assert f"({days_left_text(dt.date(2026, 12, 1), uk_today())})" in urgent_row
    assert "Ola" in urgent_row and "Text message" in urgent_row and "English" in urgent_row
    assert "Work" in oldest_row and "Sam" in oldest_row
    assert uk_datetime(clock.now) in urgent_row and "24 Nov 2026, 14:00" in urgent_row  # UK time, day first

    accepted_only = client.get(f"/staff/queue/{ORG}", params={"status": "accepted"})
    assert accepted_only.status_code == 200 and "FD-" not in accepted_only.text
    assert client.get(f"/staff/queue/{ORG}", params={"status": "bogus"}).status_code == 400
    assert client.get("/staff/queue/no-such-org").status_code == 404


def test_referral_detail_shows_what_the_adviser_needs(client: TestClient, runtime: Runtime) -> None:
    reference = refer(runtime, "+447700900123", NO_DEADLINE)
    referral = referral_by_ref(runtime, reference)
    sign_in(client, runtime)
    page = client.get(f"/staff/referral/{referral.id}")
    assert page.status_code == 200
    assert_private(page)
    assert "&lt;b&gt;without notice&lt;/b&gt;" in page.text and "<b>without" not in page.text  # escaped
    assert referral.consent.wording_text.startswith("Can I send")
    assert referral.consent.wording_text.split("?")[0] in page.text
    assert referral.consent.wording_version in page.text
    assert uk_datetime(referral.consent.created_at) in page.text
    # Work problems: court papers are not asked (bot/engine.py), so the page shows no answer to a question never put.
    assert referral.routing["court_papers"] is None and "Court or tribunal papers" not in page.text
    assert re.search(r"<td>bot</td><td>created</td>", page.text)
    assert "Client opted out" not in page.text
    assert client.get("/staff/referral/no-such-id").status_code == 404


# --- status changes ---------------------------------------------------------------------------------------------


def test_status_change_is_audited_with_the_staff_actor(client: TestClient, runtime: Runtime) -> None:
    reference = refer(runtime, "+447700900123", NO_DEADLINE)
    referral_id = referral_by_ref(runtime, reference).id
    account_id = sign_in(client, runtime, "Priya Adviser")
    page = client.get(f"/staff/referral/{referral_id}")
    assert 'value="accepted"' in page.text and 'value="closed"' not in page.text  # only moves the lifecycle allows
    response = client.post(f"/staff/referral/{referral_id}/status",
                           data={"csrf": csrf_of(page.text), "to_status": "accepted", "note": "rang, no answer"},
                           follow_redirects=False)
    assert response.status_code == 303
    referral = referral_by_ref(runtime, reference)
    assert referral.status == "accepted"
    last = referral.audit[-1]
    assert (last.actor, last.action, last.from_status, last.to_status) == (
        f"staff:{account_id}", "status", "new", "accepted")
    assert last.detail == {"note": "rang, no answer"}
    shown = client.get(response.headers["location"])
    assert "Status changed to accepted." in shown.text
    assert "<td>Priya Adviser</td><td>status</td>" in shown.text
    queue = client.get(f"/staff/queue/{ORG}", params={"status": "accepted"})
    assert reference in queue.text
    with runtime.sessions() as session:
        exported = export_referrals(session)
    assert exported[0]["audit"][-1]["actor"] == f"staff:{account_id}"


def test_invalid_transition_is_refused_and_changes_nothing(client: TestClient, runtime: Runtime) -> None:
    reference = refer(runtime, "+447700900123", NO_DEADLINE)
    referral_id = referral_by_ref(runtime, reference).id
    sign_in(client, runtime)
    csrf = csrf_of(client.get(f"/staff/referral/{referral_id}").text)
    response = client.post(f"/staff/referral/{referral_id}/status", data={"csrf": csrf, "to_status": "closed"})
    assert response.status_code == 409
    assert_private(response)
    assert "Not changed: a new referral cannot become closed." in response.text
    response = client.post(f"/staff/referral/{referral_id}/status", data={"csrf": csrf, "to_status": "bogus"})
    assert response.status_code == 400 and "unknown status" in response.text
    referral = referral_by_ref(runtime, reference)
    assert referral.status == "new" and [a.action for a in referral.audit] == ["created"]


def test_missing_or_wrong_csrf_is_403_and_changes_nothing(client: TestClient, runtime: Runtime) -> None:
    reference = refer(runtime, "+447700900123", NO_DEADLINE)
    referral_id = referral_by_ref(runtime, reference).id
    sign_in(client, runtime)
    csrf = csrf_of(client.get(f"/staff/referral/{referral_id}").text)
    for data in ({"to_status": "accepted"}, {"csrf": "", "to_status": "accepted"},
                 {"csrf": csrf[:-1] + ("A" if csrf[-1] != "A" else "B"), "to_status": "accepted"}):
        response = client.post(f"/staff/referral/{referral_id}/status", data=data)
        assert response.status_code == 403
        assert_private(response)
    referral = referral_by_ref(runtime, reference)
    assert referral.status == "new" and len(referral.audit) == 1


# --- reaching the client ----------------------------------------------------------------------------------------


@pytest.mark.usefixtures("one_luton_partner")
def test_client_who_sent_stop_is_shown_as_opted_out(client: TestClient, runtime: Runtime, clock) -> None:
    stopped = refer(runtime, "+447700900201", NO_DEADLINE)
    clock.advance(minutes=5)
    still_listening = refer(runtime, "+447700900202", LATER_DEADLINE)
    reply = runtime.conversations.handle_sync("sms", "+447700900201", "STOP")
    assert "not get any more messages" in "\n".join(render_plain(r) for r in reply.replies)
    sign_in(client, runtime)
    rows = {re.search(r"FD-[0-9A-F]{8}", row).group(0): row  # type: ignore[union-attr]
            for row in body_rows(client.get(f"/staff/queue/{ORG}").text)}
    assert set(rows) == {stopped, still_listening}  # the STOP kept the referral in the queue
    assert "Client opted out" in rows[stopped] and "Client opted out" not in rows[still_listening]
    referral = referral_by_ref(runtime, stopped)
    assert referral.status == "new" and referral.client_opted_out
    detail = client.get(f"/staff/referral/{referral.id}")
    assert "Client opted out" in detail.text and "sent STOP" in detail.text


def _dead_message(runtime: Runtime, address: str, now: dt.datetime) -> tuple[int, int]:
    """One dead and one delivered message to ``address``; returns their ids."""
    with transaction(runtime.sessions) as session:
        dead_id, sent_id = enqueue(session, channel="sms", address=address, key_prefix=f"test:{address}", now=now,
                                   drafts=[Draft(body=SECRET_BODY, payload={}), Draft(body="delivered", payload={})])
        dead, sent = session.get(OutboxMessage, dead_id), session.get(OutboxMessage, sent_id)
        assert dead is not None and sent is not None
        dead.status, dead.attempts, dead.error_code = "dead", 10, "30003"
        sent.status, sent.attempts = "delivered", 1
    return dead_id, sent_id


def test_dead_message_is_listed_without_its_body_and_retry_makes_it_pending(
        client: TestClient, admin: TestClient, runtime: Runtime, clock, caplog: pytest.LogCaptureFixture) -> None:
    address = "+447700900123"
    reference = refer(runtime, address, NO_DEADLINE)
    dead_id, sent_id = _dead_message(runtime, address, clock.now)
    sign_in(client, runtime)
    assert client.get("/staff/outbox").status_code == 404  # the network's undelivered messages: not an adviser's
    sign_in(admin, runtime, "Nia Network", role="network_admin")

    page = admin.get("/staff/outbox")
    assert page.status_code == 200
    assert_private(page)
    rows = body_rows(page.text)
    assert len(rows) == 1 and f"#{dead_id}" in rows[0] and f"#{sent_id}" not in page.text
    assert "+44770090****" in rows[0] and address not in page.text
    assert SECRET_BODY not in page.text
    assert "dead" in rows[0] and "30003" in rows[0] and ">10<" in rows[0]

    # advisers see it in the queue, on the referral, and in the export
    queue_row = body_rows(client.get(f"/staff/queue/{ORG}").text)[0]
    assert reference in queue_row and "Delivery problems" in queue_row
    index_row = next(r for r in body_rows(client.get("/staff/").text) if f"/staff/queue/{ORG}" in r)
    assert [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r'<td class="num">(.*?)</td>', index_row, re.S)] \
        == ["1", "0", "1"]
    detail = client.get(f"/staff/referral/{referral_by_ref(runtime, reference).id}").text
    assert f"#{dead_id}" in detail and "30003" in detail and SECRET_BODY not in detail
    with runtime.sessions() as session:
        exported = export_referrals(session)
    assert [(p["status"], p["error_code"]) for p in exported[0]["delivery_problems"]] == [("dead", "30003")]
    assert exported[0]["delivery_problems"][0]["at"] and SECRET_BODY not in json.dumps(exported)

    assert admin.post(f"/staff/outbox/{dead_id}/retry", data={}).status_code == 403  # no CSRF token
    with runtime.sessions() as session:
        assert session.get(OutboxMessage, dead_id).status == "dead"  # type: ignore[union-attr]

    with caplog.at_level(logging.INFO, logger="frontdoor.web.staff.routes"):
        response = admin.post(f"/staff/outbox/{dead_id}/retry", data={"csrf": csrf_of(page.text)},
                               follow_redirects=False)
    assert response.status_code == 303
    with runtime.sessions() as session:
        row = session.get(OutboxMessage, dead_id)
        assert row is not None and (row.status, row.attempts) == ("pending", 0)
    retried = [r for r in caplog.records if r.getMessage() == "outbox message retried by staff"]
    assert len(retried) == 1 and retried[0].outbox_id == dead_id  # type: ignore[attr-defined]
    assert all(address not in r.getMessage() and address not in str(r.__dict__) for r in caplog.records)

    after = admin.get(response.headers["location"])
    assert f"Message #{dead_id} is queued to be sent again." in after.text and "<tbody>" not in after.text
    again = admin.post(f"/staff/outbox/{dead_id}/retry", data={"csrf": csrf_of(page.text)})
    assert again.status_code == 409 and "Only dead messages can be retried" in again.text
    assert admin.post("/staff/outbox/999999/retry", data={"csrf": csrf_of(page.text)}).status_code == 404
    assert admin.post(f"/staff/outbox/{2**40}/retry", data={"csrf": csrf_of(page.text)}).status_code == 404


def test_cli_outbox_problems_prints_masked_json_lines(db_url: str, runtime: Runtime, clock,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    dead_id, _sent_id = _dead_message(runtime, "+447700900999", clock.now)
    monkeypatch.setenv("FRONTDOOR_DATABASE_URL", db_url)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert cli_main(["outbox", "problems"]) == 0
    out = capsys.readouterr().out
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert [line["id"] for line in lines] == [dead_id]
    assert lines[0]["address"] == "+44770090****" and lines[0]["status"] == "dead"
    assert lines[0]["error_code"] == "30003" and lines[0]["attempts"] == 10
    assert SECRET_BODY not in out and "+447700900999" not in out and "body" not in lines[0]


# --- pieces -----------------------------------------------------------------------------------------------------


def test_masking_and_days_left() -> None:
    assert mask_address("+447700900123") == "+44770090****"
    assert mask_address("123") == "****"
    today = dt.date(2026, 11, 24)
    assert [days_left_text(today + dt.timedelta(days=n), today) for n in (7, 1, 0, -1, -3)] == [
        "in 7 days", "tomorrow", "today", "passed yesterday", "passed 3 days ago"]
    assert days_left_text(None, today) == ""
    # British Summer Time: 23:30 UTC on 1 July is already 2 July in the UK
    assert uk_datetime(dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC)) == "2 Jul 2026, 00:30"


# --- the client hears about it --------------------------------------------------------------------------------------


def test_the_client_is_told_when_their_referral_is_accepted(client: TestClient, runtime: Runtime) -> None:
    reference = refer(runtime, "+447700900124", NO_DEADLINE)
    referral_id = referral_by_ref(runtime, reference).id
    sign_in(client, runtime)
    page = client.get(f"/staff/referral/{referral_id}")
    client.post(f"/staff/referral/{referral_id}/status", data={"csrf": csrf_of(page.text), "to_status": "accepted"},
                follow_redirects=False)
    with runtime.sessions() as session:
        rows = list(session.scalars(select(OutboxMessage).where(OutboxMessage.address == "+447700900124")))
    assert len(rows) == 1 and rows[0].channel == "sms" and rows[0].status == "pending"
    assert "has accepted your request" in rows[0].body and reference in rows[0].body


def test_status_notices_are_in_the_clients_language() -> None:
    from bot.i18n import get_translator
    from bot.notifications import STATUS_NOTICES, status_notice

    english = status_notice("en", "declined", organization="Luton Law Centre", reference="FD-00000001")
    polish = status_notice("pl", "declined", organization="Luton Law Centre", reference="FD-00000001")
    assert english is not None and polish is not None
    assert "RESTART" in english.text and polish.text != english.text and "FD-00000001" in polish.text
    assert polish.text == get_translator("pl").gettext(STATUS_NOTICES["declined"]) % {
        "organization": "Luton Law Centre", "reference": "FD-00000001"}
    assert status_notice("pl", "contacted", organization="x", reference="y") is None  # nothing to say
