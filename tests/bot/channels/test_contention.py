"""A burst from one client mid-conversation: every message is processed, none answered 500."""

from __future__ import annotations

import anyio
import httpx
from sqlalchemy import select

from bot.inbound import InboundMessage
from frontdoor.runtime import Runtime
from tests.bot.channels.conftest import ACCOUNT, OUR_NUMBER, PUBLIC, outbox, sign

CLIENT = "+447700900321"
BURST = 30


def _form(sid: str, body: str) -> tuple[dict[str, str], dict[str, str]]:
    params = {"MessageSid": sid, "AccountSid": ACCOUNT, "From": CLIENT, "To": OUR_NUMBER, "Body": body,
              "NumMedia": "0"}
    return params, {"X-Twilio-Signature": sign(f"{PUBLIC}/webhooks/twilio/sms", params)}


def test_thirty_concurrent_messages_from_one_client_are_all_processed(served: int, runtime: Runtime) -> None:
    base = f"http://127.0.0.1:{served}"
    statuses: dict[str, int] = {}

    async def go() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=120) as http:
            for number, body in enumerate(["hi", "1", "my landlord wants me out and i have a letter"]):
                params, headers = _form(f"SMstart{number}", body)
                assert (await http.post("/webhooks/twilio/sms", data=params, headers=headers)).status_code == 200

            async def one(number: int) -> None:
                sid = f"SMburst{number:02d}"
                params, headers = _form(sid, ["yes", "no", "help", "1", "my landlord"][number % 5])
                statuses[sid] = (await http.post("/webhooks/twilio/sms", data=params, headers=headers)).status_code

            async with anyio.create_task_group() as group:
                for number in range(BURST):
                    group.start_soon(one, number)

    anyio.run(go)
    assert sorted(statuses.values()) == [200] * BURST, statuses
    with runtime.sessions() as session:
        processed = set(session.scalars(select(InboundMessage.external_id).where(
            InboundMessage.external_id.like("SMburst%"))))
    assert processed == set(statuses)  # each one ran its turn (the record is written in the turn's transaction)
    answered = {m.idempotency_key.split(":")[1] for m in outbox(runtime)}
    assert set(statuses) <= answered  # and each got its reply queued
