""""Delete my data" erases: the whole database is searched afterwards for the client, on SQLite and PostgreSQL.

The probe found queued messages ("Done, <name>", the reference) sent after the deletion,
the phone number left in outbox rows, and exact times that joined those rows back to the
redacted referral. Here a client goes through a full SMS journey, an adviser writes a note
naming them, some replies are still queued, and then they ask us to delete their data.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import inspect, select, text

from bot.inbound import InboundMessage
from bot.outbox import FINAL, OutboxMessage
from core.db import transaction
from frontdoor.runtime import Runtime
from referrals.actions import change_status
from referrals.models import AuditEvent, Consent, Referral
from tests.bot.channels.conftest import ACCOUNT, PUBLIC, Drain, outbox, sign, sms_in
from tests.bot.channels.fakes import FakeTwilio

NUMBER = "+447700900456"
NAME = "Zenobia Brackenfield"
STORY = "i owe money on 3 credit cards to Quillonbank and a payday loan, they keep phoning me"
POSTCODE = "LU1 3XQ"
JOURNEY = ["hi", "1", STORY, "yes", "no", "no", POSTCODE, "yes", "yes", NAME]
# What must not be found anywhere: name, number in every usual spelling, their words, postcode.
NEEDLES = ["Zenobia", "Brackenfield", "+447700900456", "447700900456", "07700900456", "7700 900456",
           "Quillonbank", "credit cards to", "LU1 3XQ", "LU13XQ"]


def _everything(runtime: Runtime) -> list[tuple[str, str, str]]:
    """(table, column, value as text) for every value of every column of every table."""
    found = []
    with runtime.engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            result = connection.execute(text(f'SELECT * FROM "{table}"'))
            columns = list(result.keys())
            for row in result:
                for column, value in zip(columns, row, strict=True):
                    if value is None:
                        continue
                    shown = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)
                    found.append((table, column, shown))
    return found


def _hits(runtime: Runtime) -> list[tuple[str, str, str]]:
    return [(table, column, value) for table, column, value in _everything(runtime)
            if any(n.casefold() in value.casefold() for n in NEEDLES)]


def _midnight(value: dt.datetime | None) -> bool:
    return value is None or (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0)


def test_deleting_my_data_leaves_nothing_of_me_in_any_table(client: TestClient, runtime: Runtime,
                                                            fake_twilio: FakeTwilio, drain: Drain, clock: Any) -> None:
    for number, body in enumerate(JOURNEY):
        clock.advance(minutes=1, seconds=7)
        assert sms_in(client, NUMBER, body, f"SMj{number:030d}") == 200
        if body != NAME:  # the last replies ("Done, Zenobia…", the reference) are still queued
            drain()
    with transaction(runtime.sessions) as session:  # an adviser's note names the client
        referral = session.scalars(select(Referral)).one()
        change_status(session, referral, "accepted", actor="adviser:Sam", at=clock(),
                      note=f"Called {NAME} on 07700900456")
        reference = referral.reference
    assert _hits(runtime), "the journey should have stored the client's details"
    queued = [m for m in outbox(runtime) if m.status == "pending"]
    assert any(NAME.split()[0] in m.body for m in queued) and any(reference in m.body for m in queued)
    before = len(fake_twilio.messages)

    clock.advance(minutes=3, seconds=11)
    assert sms_in(client, NUMBER, "delete my data", "SMdel0") == 200
    assert sms_in(client, NUMBER, "yes", "SMdel1") == 200

    # Until the confirmation has gone out, its row is the only place the number is (and nothing else of them).
    assert {(t, c) for t, c, _ in _hits(runtime)} == {("outbox_message", "address")}
    waiting = [m for m in outbox(runtime) if m.address]
    assert len(waiting) == 1 and waiting[0].forget_address and "has been deleted" in waiting[0].body
    assert all(m.status in FINAL and m.body == "" and m.payload == {} for m in outbox(runtime) if not m.address)
    assert {m.status for m in queued} <= {"pending"} and all(
        m.status == "cancelled" for m in outbox(runtime) if m.id in {q.id for q in queued})

    drain()
    sent_after = [m["Body"] for m in fake_twilio.messages[before:]]
    assert len(sent_after) == 1 and "has been deleted" in sent_after[0]  # nothing queued before went out
    assert not any(reference in body or "Zenobia" in body for body in sent_after)

    assert _hits(runtime) == []  # every table, every column, every row

    # A late delivery report for the confirmation (even "unsubscribed", which names the number) adds nothing back.
    confirmation = [m for m in outbox(runtime) if m.forget_address][0]
    url = f"{PUBLIC}/webhooks/twilio/status?outbox_id={confirmation.id}"
    params = {"MessageSid": str(confirmation.provider_message_id), "MessageStatus": "undelivered",
              "AccountSid": ACCOUNT, "To": NUMBER, "ErrorCode": "21610"}
    response = client.post(f"/webhooks/twilio/status?outbox_id={confirmation.id}", data=params,
                           headers={"X-Twilio-Signature": sign(url, params)})
    assert response.status_code == 204
    assert _hits(runtime) == []
    with runtime.sessions() as session:
        referral = session.scalars(select(Referral)).one()
        assert referral.status == "withdrawn" and referral.organization_id and referral.categories == ["debt"]
        trail = list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
        assert [a.action for a in trail][-2:] == ["status", "redacted"]  # the deletion itself is audited
        times = [referral.created_at, referral.updated_at, *[a.at for a in trail]]
        times += [t for c in session.scalars(select(Consent)) for t in (c.created_at, c.withdrawn_at)]
        times += [t for m in session.scalars(select(OutboxMessage))
                  for t in (m.created_at, m.updated_at, m.next_attempt_at, m.sent_at)]
        assert all(_midnight(t) for t in times), "a redacted row kept an exact time that could join it back"
        assert session.scalars(select(OutboxMessage.address).distinct()).all() == [""]
        inbound = session.scalars(select(InboundMessage)).all()
        assert len(inbound) == len(JOURNEY) + 2  # delivery ids stay, so a provider's replay is still ignored
        assert all(row.conversation_id is None and _midnight(row.received_at) for row in inbound)
