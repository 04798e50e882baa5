"""Webhook-to-outbox latency and sustained inbound messages/s, SMS and Telegram, SQLite and PostgreSQL.

The real app is served by uvicorn on 127.0.0.1; a loopback load generator posts
signed Twilio webhooks and Telegram updates (bounded in count and in time) from
many concurrent clients. Latency is from sending the webhook to its 200, by
which time the turn and its replies are committed to the outbox. The worker
is off (``FRONTDOOR_OUTBOX_IN_APP=0``) so only the inbound path is measured.
"""

from __future__ import annotations

import argparse
import socket
import threading
import time
from typing import Any

import anyio
import httpx
import uvicorn
from twilio.request_validator import RequestValidator

from bench.common import fresh_database, mean, percentile, print_table, write_results
from core.settings import Settings
from frontdoor.app import create_app
from frontdoor.runtime import build_runtime

AUTH, SECRET, PUBLIC = "bench-auth-token", "bench-secret", "https://frontdoor.example.org"
TEXTS = ("hi", "1", "i owe money on 3 credit cards and a payday loan, they keep phoning me", "yes")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _request(channel: str, number: int) -> tuple[str, dict[str, Any]]:
    client, turn = divmod(number, len(TEXTS))
    text = TEXTS[turn]
    if channel == "sms":
        params = {"MessageSid": f"SMbench{number:026d}", "From": f"+44770090{client:04d}", "To": "+447700900000",
                  "Body": text}
        signature = RequestValidator(AUTH).compute_signature(f"{PUBLIC}/webhooks/twilio/sms", params)
        return "/webhooks/twilio/sms", {"data": params, "headers": {"X-Twilio-Signature": signature}}
    update = {"update_id": number, "message": {"message_id": number, "date": 1795000000, "text": text,
                                               "chat": {"id": 10_000 + client, "type": "private"}}}
    return "/webhooks/telegram", {"json": update, "headers": {"X-Telegram-Bot-Api-Secret-Token": SECRET}}


async def _load(base: str, channel: str, count: int, concurrency: int, limit_s: float) -> dict[str, Any]:
    """Clients send their turns in order (one at a time each); ``concurrency`` clients at once."""
    latencies: list[float] = []
    errors = 0
    clients = count // len(TEXTS)
    deadline = time.monotonic() + limit_s
    queue = iter(range(clients))

    async def one_client(http: httpx.AsyncClient) -> None:
        nonlocal errors
        for client in queue:
            for turn in range(len(TEXTS)):
                if time.monotonic() > deadline:
                    return
                path, kwargs = _request(channel, client * len(TEXTS) + turn)
                t0 = time.perf_counter()
                response = await http.post(base + path, **kwargs)
                latencies.append((time.perf_counter() - t0) * 1000)
                errors += response.status_code != 200

    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=30) as http, anyio.create_task_group() as group:
        for _ in range(concurrency):
            group.start_soon(one_client, http)
    elapsed = time.perf_counter() - started
    return {"messages": len(latencies), "errors": errors, "seconds": elapsed,
            "msgs_per_s": len(latencies) / elapsed, "p50_ms": percentile(latencies, 50),
            "p99_ms": percentile(latencies, 99), "mean_ms": mean(latencies)}


def _serve(url: str) -> tuple[uvicorn.Server, threading.Thread, str]:
    settings = Settings(database_url=url, twilio_account_sid="AC" + "0" * 32, twilio_auth_token=AUTH,
                        public_base_url=PUBLIC, telegram_webhook_secret=SECRET, telegram_bot_token="1:x",
                        outbox_in_app=False, log_level="WARNING")
    runtime = build_runtime(settings, migrate=False)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, runtime), host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    return server, thread, f"http://127.0.0.1:{port}"


def run(count: int = 800, concurrency: int = 16, limit_s: float = 60.0,
        backends: tuple[str, ...] = ("sqlite", "postgresql")) -> list[dict[str, Any]]:
    rows = []
    for backend in backends:
        for channel in ("sms", "telegram"):
            with fresh_database(backend) as url:
                server, thread, base = _serve(url)
                try:
                    result = anyio.run(_load, base, channel, count, concurrency, limit_s)
                finally:
                    server.should_exit = True
                    thread.join(timeout=30)
            rows.append({"backend": backend, "channel": channel, "concurrency": concurrency, **result})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=800, help="webhooks per channel and backend")
    parser.add_argument("--concurrency", type=int, default=16, help="clients sending at once")
    parser.add_argument("--limit", type=float, default=60.0, help="seconds per run at most")
    args = parser.parse_args()
    rows = run(args.count, args.concurrency, args.limit)
    print_table("Channels: webhook to committed outbox (uvicorn on 127.0.0.1)", rows)
    print(f"results: {write_results('channels', rows)}")


if __name__ == "__main__":
    main()
