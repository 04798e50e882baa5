"""SMS over Twilio end to end: signed webhooks in, the real SDK out to a loopback fake Twilio."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.channels.sms import SmsComposer
from bot.conversation import Conversation
from bot.inbound import InboundMessage
from bot.replies import Option, Reply
from bot.segments import count_segments
from frontdoor.runtime import Runtime
from referrals.models import Referral
from tests.bot.channels.conftest import ACCOUNT, OUR_NUMBER, PUBLIC, Drain, outbox, sign, sms_in
from tests.bot.channels.fakes import FakeTwilio

CLIENT = "+447700900123"
# The shared journey of tests/bot: a Luton client in debt, no deadline or court papers, contact by text
# (one question: safe to leave messages).
JOURNEY = ["hi", "1", "i owe money on 3 credit cards and a payday loan, they keep phoning me", "yes", "no", "no",
           "LU2 7AB", "yes", "yes", "Anna"]


def _count(runtime: Runtime, model: Any) -> int:
    with runtime.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_full_journey_over_sms_ends_in_a_referral(client: TestClient, runtime: Runtime, fake_twilio: FakeTwilio,
                                                   drain: Drain) -> None:
    for number, body in enumerate(JOURNEY):
        assert sms_in(client, CLIENT, body, f"SMin{number:030d}") == 200
        drain()
    with runtime.sessions() as session:
        referral = session.scalar(select(Referral))
    assert referral is not None and referral.client_address == CLIENT and referral.client_channel == "sms"
    texts = [m["Body"] for m in fake_twilio.messages]
    assert any("Your reference is FD-" in t for t in texts)
    assert all(m["To"] == CLIENT and m["From"] == OUR_NUMBER for m in fake_twilio.messages)
    assert all(m["StatusCallback"].startswith(f"{PUBLIC}/webhooks/twilio/status?outbox_id=")
               for m in fake_twilio.messages)
    rows = outbox(runtime)
    assert rows and all(r.status == "sent" and r.provider_message_id for r in rows)
    assert all(r.segments == count_segments(r.body).segments <= 3 for r in rows)


def test_forged_signature_is_refused_and_changes_nothing(client: TestClient, runtime: Runtime) -> None:
    assert sms_in(client, CLIENT, "hi", "SM1", signature="forged") == 403
    params = {"MessageSid": "SM2", "From": CLIENT, "Body": "hi"}
    assert client.post("/webhooks/twilio/sms", data=params).status_code == 403  # no signature at all
    tampered = dict(params, Body="hello")  # signed for other content
    response = client.post("/webhooks/twilio/sms", data=tampered,
                           headers={"X-Twilio-Signature": sign(f"{PUBLIC}/webhooks/twilio/sms", params)})
    assert response.status_code == 403
    assert _count(runtime, Conversation) == 0 and outbox(runtime) == [] and _count(runtime, InboundMessage) == 0


def test_replayed_webhook_is_processed_once(client: TestClient, runtime: Runtime, fake_twilio: FakeTwilio,
                                            drain: Drain) -> None:
    assert sms_in(client, CLIENT, "hi", "SMdup") == 200
    queued = len(outbox(runtime))
    assert sms_in(client, CLIENT, "hi", "SMdup") == 200
    assert len(outbox(runtime)) == queued and _count(runtime, InboundMessage) == 1
    drain()
    assert len(fake_twilio.messages) == queued


def test_stop_is_honoured_until_start(client: TestClient, runtime: Runtime, fake_twilio: FakeTwilio,
                                      drain: Drain) -> None:
    for number, body in enumerate(JOURNEY):
        sms_in(client, CLIENT, body, f"SMj{number}")
    # Nothing sent yet: STOP arrives while replies are still queued.
    assert sms_in(client, CLIENT, "STOP", "SMstop") == 200
    drain()
    bodies = [m["Body"] for m in fake_twilio.messages]
    assert len(bodies) == 1 and "START" in bodies[0]  # only the STOP confirmation went out
    assert {r.status for r in outbox(runtime)[:-1]} == {"suppressed"}
    with runtime.sessions() as session:
        referral = session.scalar(select(Referral))
        assert referral is not None and referral.client_opted_out and referral.status == "new"  # kept, flagged
    sms_in(client, CLIENT, "help", "SMafter")
    drain()
    assert len(fake_twilio.messages) == 1  # silent after STOP
    sms_in(client, CLIENT, "START", "SMstart")
    drain()
    assert len(fake_twilio.messages) > 1


def test_twilio_21610_means_opted_out_not_retry(client: TestClient, runtime: Runtime, fake_twilio: FakeTwilio,
                                                drain: Drain) -> None:
    sms_in(client, CLIENT, "hi", "SMa")
    fake_twilio.fail_next("Messages", "21610", times=10)
    drain()
    rows = outbox(runtime)
    assert rows[0].status == "suppressed" and rows[0].attempts == 1 and rows[0].error_code == "twilio:21610"
    assert all(r.status == "suppressed" for r in rows)
    assert fake_twilio.messages == []


def test_server_errors_are_retried_with_backoff(client: TestClient, runtime: Runtime, fake_twilio: FakeTwilio,
                                                drain: Drain, clock: Any) -> None:
    sms_in(client, CLIENT, "hi", "SMb")
    fake_twilio.fail_next("Messages", "500")
    drain()
    first = outbox(runtime)[0]
    due = first.next_attempt_at.replace(tzinfo=dt.UTC)  # SQLite hands back naive UTC
    assert first.status == "pending" and first.attempts == 1 and due > clock.now
    assert fake_twilio.messages == []
    clock.advance(seconds=60)
    drain()
    assert [r.status for r in outbox(runtime)] == ["sent"] * len(outbox(runtime))


def test_permanent_errors_dead_letter(client: TestClient, runtime: Runtime, fake_twilio: FakeTwilio,
                                      drain: Drain) -> None:
    sms_in(client, CLIENT, "hi", "SMc")
    fake_twilio.fail_next("Messages", "400")
    drain()
    assert outbox(runtime)[0].status == "dead" and outbox(runtime)[0].error_code == "twilio:21211"


def test_delivery_status_callbacks_are_recorded(client: TestClient, runtime: Runtime, drain: Drain) -> None:
    sms_in(client, CLIENT, "hi", "SMd")
    drain()
    row = outbox(runtime)[0]
    url = f"{PUBLIC}/webhooks/twilio/status?outbox_id={row.id}"
    for status, code in (("sent", None), ("undelivered", "30003")):
        params = {"MessageSid": str(row.provider_message_id), "MessageStatus": status, "AccountSid": ACCOUNT,
                  "To": CLIENT, **({"ErrorCode": code} if code else {})}
        response = client.post(f"/webhooks/twilio/status?outbox_id={row.id}", data=params,
                               headers={"X-Twilio-Signature": sign(url, params)})
        assert response.status_code == 204
    row = outbox(runtime)[0]
    assert (row.status, row.delivery_status, row.error_code) == ("undelivered", "undelivered", "twilio:30003")
    forged = client.post(f"/webhooks/twilio/status?outbox_id={row.id}",
                         data={"MessageSid": "x", "MessageStatus": "delivered"}, headers={"X-Twilio-Signature": "x"})
    assert forged.status_code == 403


def test_composer_splits_long_replies_and_numbers_choices() -> None:
    long = " ".join(f"This is sentence {n} of a long answer." for n in range(40))
    drafts = SmsComposer(max_segments=2).compose([Reply(long), Reply("Pick one:", (Option("1", "Yes"),))])
    assert len(drafts) > 2
    assert all(d.segments is not None and d.segments <= 2 for d in drafts)
    assert drafts[-1].body == "Pick one:\n1 Yes"
