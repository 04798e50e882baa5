"""A burst of conversations' opening messages, with and without faults: is every message answered once?

On PostgreSQL, as deployed: ``frontdoor serve`` with 2 web workers, 2 ``frontdoor worker`` processes and
the NLU backend (``frontdoor nlu serve``, Rasa, when a model is trained; else the keyword backend, said so
in the results). A load generator spreads N opening messages over the window, half as signed Twilio SMS
webhooks, half as Telegram updates, resending any that is not answered 200 (as the providers do). In the
fault run, during the burst: the NLU server is killed and restarted, PostgreSQL is restarted, the Twilio
fake answers 429 and 500 for 30 s and the Telegram fake answers 429 with ``retry_after``.

Afterwards, from the fakes' own records and the database: messages in, answered, lost (acknowledged and
never answered), duplicated (a reply delivered more than once), p50/p99 from first sending the webhook to
the first reply reaching the fake. ``--small`` proves it on a busy machine; the full size is 10,000 in 60 s.
PostgreSQL: ``--pg private`` (the default with ``--small``) runs a throwaway cluster on a free port so a
restart disturbs nobody; ``--pg system`` uses the machine's cluster and restarts it with ``pg_ctlcluster``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import anyio
import anyio.abc
import httpx
import psycopg
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from bench.common import percentile, print_table, write_results
from bot.inbound import InboundMessage
from bot.outbox import OutboxMessage
from core.db import make_engine, make_sessionmaker, transaction
from core.migrate import upgrade
from directory.demo import load_demo
from tests.bot.channels.fakes import FakeTelegram, FakeTwilio, Fault

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
TOKEN, SECRET, ACCOUNT, AUTH = "42:bench-token", "bench-secret", "AC" + "0" * 32, "bench-auth-token"
PUBLIC, OUR_NUMBER = "https://frontdoor.example.org", "+447700900000"
OPENINGS = ("hi", "hello", "i need help with my rent arrears", "my landlord wants me out", "debt advice please")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Windows:
    """Fault windows in monotonic time, switched on by the schedule."""

    def __init__(self) -> None:
        self.until: dict[str, float] = {}

    def open(self, name: str, seconds: float) -> None:
        self.until[name] = time.monotonic() + seconds

    def active(self, name: str) -> bool:
        return time.monotonic() < self.until.get(name, 0.0)


class BurstTwilio(FakeTwilio):
    """The Twilio fake, timing each message, answering 429 and 500 by turns while its window is open."""

    def __init__(self, windows: _Windows) -> None:
        self.windows, self._flip = windows, 0
        self.times: list[float] = []
        super().__init__(ACCOUNT, AUTH)

    def _fault(self, method: str) -> Fault | None:
        if self.windows.active("twilio"):
            self._flip += 1
            return Fault("429" if self._flip % 2 else "500")
        return super()._fault(method)

    def handle(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
        status, payload = super().handle(path, body, headers)
        if status == 201:
            with self.lock:
                self.times.append(time.monotonic())
        return status, payload


class BurstTelegram(FakeTelegram):
    """The Telegram fake, timing each message, answering 429 with retry_after while its window is open."""

    def __init__(self, windows: _Windows) -> None:
        self.windows = windows
        self.times: list[float] = []
        super().__init__(TOKEN)

    def _fault(self, method: str) -> Fault | None:
        if method == "sendMessage" and self.windows.active("telegram"):
            return Fault("429", retry_after=2)
        return super()._fault(method)

    def handle(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
        status, payload = super().handle(path, body, headers)
        if status == 200 and path.endswith("/sendMessage"):
            with self.lock:
                self.times.append(time.monotonic())
        return status, payload


class Postgres:
    """The database server: a private throwaway cluster, or the machine's (restarted with pg_ctlcluster)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.folder: Path | None = None
        self.port = 5432
        if kind == "private":
            self.folder = Path(tempfile.mkdtemp(prefix="fd-burst-pg-"))
            shutil.chown(self.folder, "postgres", "postgres")
            self.port = _free_port()
            self._as_postgres(str(PG_BIN / "initdb"), "-D", str(self.folder / "data"), "-A", "trust", "-U",
                              "postgres", "--no-sync")
            self._ctl("start")

    def _as_postgres(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def _ctl(self, action: str) -> None:
        assert self.folder is not None
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=200 " \
                  "-c fsync=off"
        self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.folder / "data"), "-l",
                          str(self.folder / "log"), "-o", options, "-w", action, *(["-m", "fast"] if
                                                                                  action != "start" else []))

    def restart(self) -> None:
        if self.kind == "private":
            self._ctl("restart")
        else:
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"], check=True)

    @property
    def admin(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def create_database(self, name: str) -> str:
        with psycopg.connect(self.admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"
        upgrade(url)
        engine = make_engine(url)
        with transaction(make_sessionmaker(engine)) as session:
            load_demo(session)
        engine.dispose()
        return url

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self.admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        if self.kind == "private" and self.folder is not None:
            try:
                self._ctl("stop")
            finally:
                shutil.rmtree(self.folder, ignore_errors=True)


class Processes:
    """The app's processes, each in its own session so a kill takes its children too."""

    def __init__(self, env: dict[str, str], log_dir: Path) -> None:
        self.env, self.log_dir = env, log_dir
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, *args: str) -> None:
        log = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        self.procs[name] = subprocess.Popen([sys.executable, "-m", "frontdoor.cli", *args], cwd=ROOT, env=self.env,
                                            stdout=log, stderr=log, start_new_session=True)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.procs.pop(name, None)
        if process is not None and process.poll() is None:
            os.killpg(process.pid, sig)
            process.wait(timeout=60)

    def close(self) -> None:
        for name in list(self.procs):
            self.kill(name, signal.SIGTERM)


def _wait_for(url: str, seconds: float, ok: Any = lambda r: r.status_code == 200) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if ok(httpx.get(url, timeout=2)):
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up in {seconds:.0f} s")


def _request(number: int) -> tuple[str, str, dict[str, Any]]:
    """(address, path, httpx kwargs) of opening message ``number``: even SMS, odd Telegram."""
    text = OPENINGS[number % len(OPENINGS)]
    if number % 2 == 0:
        address = f"+4477{number:08d}"
        params = {"MessageSid": f"SMburst{number:026d}", "AccountSid": ACCOUNT, "From": address, "To": OUR_NUMBER,
                  "Body": text, "NumMedia": "0"}
        signature = RequestValidator(AUTH).compute_signature(f"{PUBLIC}/webhooks/twilio/sms", params)
        return address, "/webhooks/twilio/sms", {"data": params, "headers": {"X-Twilio-Signature": signature}}
    chat = 1_000_000 + number
    update = {"update_id": number, "message": {"message_id": number, "date": 1795000000, "text": text,
                                               "chat": {"id": chat, "type": "private", "first_name": "Client"},
                                               "from": {"id": chat, "is_bot": False, "first_name": "Client"}}}
    return str(chat), "/webhooks/telegram", {"json": update, "headers": {"X-Telegram-Bot-Api-Secret-Token": SECRET}}


def _raw(number: int, host: str) -> tuple[str, bytes]:
    """Opening ``number`` as the bytes of one HTTP/1.1 request, signed and encoded before the clock starts."""
    address, path, kwargs = _request(number)
    if "data" in kwargs:
        body, kind = urlencode(kwargs["data"]).encode(), "application/x-www-form-urlencoded"
    else:
        body, kind = json.dumps(kwargs["json"]).encode(), "application/json"
    headers = {"Host": host, "Content-Type": kind, "Content-Length": str(len(body)), **kwargs["headers"]}
    head = f"POST {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    return address, head.encode() + body


async def _exchange(stream: anyio.abc.ByteStream, request: bytes, buffer: bytearray) -> tuple[int, bool]:
    """Send one request on a kept-alive connection; (status, whether the server keeps the connection)."""
    await stream.send(request)
    while b"\r\n\r\n" not in buffer:
        buffer += await stream.receive()
    head, _, rest = bytes(buffer).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    fields = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    length = int(fields.get("content-length", "0"))
    while len(rest) < length:
        rest += await stream.receive()
    buffer[:] = rest[length:]
    return int(lines[0].split()[1]), fields.get("connection", "").lower() != "close"


async def _send_all(base: str, count: int, window: float, sent_at: dict[str, float], stats: Counter[str]) -> None:
    """Spread ``count`` openings evenly over ``window`` seconds; resend until 200, as providers do.

    The requests are signed and encoded before the clock starts and written as bytes on kept-alive
    connections: on a 2-core machine an HTTP client library's own work per request would make the load
    generator, not the app, the thing that cannot keep up with 10,000 a minute.
    """
    parts = urlsplit(base)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    requests = [_raw(number, f"{host}:{port}") for number in range(count)]
    send, receive = anyio.create_memory_object_stream[tuple[int, int]](count)
    outstanding = count
    done = anyio.Event()

    def finish() -> None:
        nonlocal outstanding
        outstanding -= 1
        if outstanding == 0:
            done.set()

    async def resend_later(number: int, attempt: int) -> None:
        await anyio.sleep(min(0.5 * 2 ** attempt, 8.0))
        await send.send((number, attempt + 1))

    async def connection(group: anyio.abc.TaskGroup) -> None:
        stream: anyio.abc.ByteStream | None = None
        buffer = bytearray()
        async for number, attempt in receive:
            address, request = requests[number]
            sent_at.setdefault(address, time.monotonic())
            try:
                if stream is None:
                    stream, buffer = await anyio.connect_tcp(host, port), bytearray()
                status, keep = await _exchange(stream, request, buffer)
            except (OSError, anyio.EndOfStream, anyio.BrokenResourceError, ValueError, IndexError) as exc:
                stats[type(exc).__name__] += 1
                status, keep = 0, False
            if not keep and stream is not None:
                await stream.aclose()
                stream = None
            if status == 200:
                stats["acknowledged"] += 1
                finish()
                continue
            if status:
                stats[f"http {status}"] += 1
            if attempt >= 40:
                stats["never acknowledged"] += 1
                finish()
                continue
            stats["resent"] += 1
            group.start_soon(resend_later, number, attempt)
        if stream is not None:
            await stream.aclose()

    started = time.monotonic()

    async def progress() -> None:
        while True:
            await anyio.sleep(10)
            print(f"  {time.monotonic() - started:5.0f} s: {len(sent_at)} sent, {stats['acknowledged']} acknowledged",
                  flush=True)

    async with anyio.create_task_group() as group:
        group.start_soon(progress)
        for _ in range(128):
            group.start_soon(connection, group)
        for number in range(count):
            await anyio.sleep(max(0.0, started + number * window / count - time.monotonic()))
            await send.send((number, 0))
        await done.wait()
        group.cancel_scope.cancel()


def _schedule(window: float, windows: _Windows, processes: Processes, postgres: Postgres, nlu_port: int | None,
              events: list[str]) -> threading.Thread:
    """The faults, at fixed fractions of the window (a thread, so they happen whatever the event loop does)."""
    started = time.monotonic()

    def at(fraction: float) -> None:
        time.sleep(max(0.0, started + fraction * window - time.monotonic()))

    def run() -> None:
        at(0.1)
        windows.open("twilio", 30.0)
        events.append(f"{time.monotonic() - started:.1f}s twilio 429/500 for 30 s")
        if nlu_port is not None:
            at(0.2)
            processes.kill("nlu")
            events.append(f"{time.monotonic() - started:.1f}s NLU killed")
        at(0.35)
        postgres.restart()
        events.append(f"{time.monotonic() - started:.1f}s PostgreSQL restarted")
        at(0.5)
        windows.open("telegram", 10.0)
        events.append(f"{time.monotonic() - started:.1f}s telegram retry_after for 10 s")
        if nlu_port is not None:
            at(0.6)
            processes.start("nlu", "nlu", "serve", "--port", str(nlu_port))
            events.append(f"{time.monotonic() - started:.1f}s NLU restarting")

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _answered(twilio: BurstTwilio, telegram: BurstTelegram) -> dict[str, float]:
    """Address → when its first reply reached a fake."""
    first: dict[str, float] = {}
    with twilio.lock:
        pairs = [(m["To"], t) for m, t in zip(twilio.messages, twilio.times, strict=False)]
    with telegram.lock:
        pairs += [(str(m["chat_id"]), t) for m, t in zip(telegram.sent, telegram.times, strict=False)]
    for address, moment in pairs:
        first[address] = min(moment, first.get(address, moment))
    return first


def run_once(count: int, window: float, faults: bool, nlu: str, postgres: Postgres, log_dir: Path,
             settle: float, overrides: dict[str, str] | None = None) -> dict[str, Any]:
    name = f"fd_burst_{os.getpid()}_{int(faults)}"
    url = postgres.create_database(name)
    windows = _Windows()
    port, nlu_port = _free_port(), (_free_port() if nlu == "rasa" else None)
    with ExitStack() as stack:
        twilio, telegram = BurstTwilio(windows), BurstTelegram(windows)
        stack.callback(twilio.close)
        stack.callback(telegram.close)
        keep = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDOOR_")}
        env = {**keep, "FRONTDOOR_DATABASE_URL": url, "FRONTDOOR_PORT": str(port), "FRONTDOOR_WEB_WORKERS": "2",
               "FRONTDOOR_OUTBOX_IN_APP": "0", "FRONTDOOR_NLU_BACKEND": nlu, "FRONTDOOR_NLU_MANAGE_SERVER": "0",
               "FRONTDOOR_NLU_URL": f"http://127.0.0.1:{nlu_port or 9}", "FRONTDOOR_SIMULATOR": "0",
               "FRONTDOOR_TELEGRAM_BOT_TOKEN": TOKEN, "FRONTDOOR_TELEGRAM_WEBHOOK_SECRET": SECRET,
               "FRONTDOOR_TELEGRAM_API_BASE": telegram.url, "FRONTDOOR_TWILIO_ACCOUNT_SID": ACCOUNT,
               "FRONTDOOR_TWILIO_AUTH_TOKEN": AUTH, "FRONTDOOR_TWILIO_FROM_NUMBER": OUR_NUMBER,
               "FRONTDOOR_TWILIO_API_BASE": twilio.url, "FRONTDOOR_PUBLIC_BASE_URL": PUBLIC,
               "FRONTDOOR_LOG_LEVEL": "WARNING", "FRONTDOOR_OUTBOX_BACKOFF_MAX_SECONDS": "10",
               "FRONTDOOR_INBOUND_LEASE_SECONDS": "15", "FRONTDOOR_INBOUND_BACKOFF_SECONDS": "0.5",
               "FRONTDOOR_TWILIO_RATE_PER_SECOND": "200", "FRONTDOOR_TELEGRAM_RATE_PER_SECOND": "200",
               "RASA_TELEMETRY_ENABLED": "false", **(overrides or {})}
        processes = Processes(env, log_dir)
        stack.callback(processes.close)
        if nlu_port is not None:
            processes.start("nlu", "nlu", "serve", "--port", str(nlu_port))
            _wait_for(f"http://127.0.0.1:{nlu_port}/status", 300,
                      lambda r: r.status_code == 200 and r.json().get("model_file"))
        processes.start("web", "serve")
        processes.start("worker1", "worker")
        processes.start("worker2", "worker")
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_for(f"{base}/healthz", 300)
        except RuntimeError:
            sys.stderr.write((log_dir / "web.log").read_text(errors="replace")[-3000:])
            raise
        # Each web process warms its language detector for about 10 s after it starts (nlu/backend.py), and
        # lingua holds the GIL while it loads: the burst meets processes that have been up, as in service.
        time.sleep(15)
        sent_at: dict[str, float] = {}
        stats: Counter[str] = Counter()
        events: list[str] = []
        scheduler = _schedule(window, windows, processes, postgres, nlu_port, events) if faults else None
        started = time.monotonic()
        anyio.run(_send_all, base, count, window, sent_at, stats)
        sending = time.monotonic() - started
        if scheduler is not None:
            scheduler.join()
        deadline = time.monotonic() + settle
        answered = _answered(twilio, telegram)
        while len(answered) < len(sent_at) and time.monotonic() < deadline:
            time.sleep(1.0)
            answered = _answered(twilio, telegram)
        time.sleep(3.0)  # anything still in flight lands, so a late duplicate would show
        answered = _answered(twilio, telegram)
        delivered = Counter[str]()
        with twilio.lock, telegram.lock:
            delivered.update(f"sms:{m['StatusCallback'].rsplit('=', 1)[1]}" for m in twilio.messages)
            keys = [(str(m["chat_id"]), m["text"]) for m in telegram.sent]
        engine = make_engine(url)
        with make_sessionmaker(engine)() as session:
            inbound = dict(session.execute(select(InboundMessage.status, func.count())
                                           .group_by(InboundMessage.status)).all())
            outbox = dict(session.execute(select(OutboxMessage.status, func.count())
                                          .group_by(OutboxMessage.status)).all())
            telegram_rows = Counter((str(a), str(b)) for a, b in session.execute(
                select(OutboxMessage.address, OutboxMessage.body).where(
                    OutboxMessage.channel == "telegram", OutboxMessage.kind == "message")))
        engine.dispose()
    postgres.drop_database(name)
    latencies = [(answered[a] - sent_at[a]) * 1000 for a in sent_at if a in answered]
    sms_duplicates = sum(n - 1 for n in delivered.values() if n > 1)
    telegram_duplicates = sum(max(0, n - telegram_rows[key]) for key, n in Counter(keys).items())
    return {
        "run": "faults" if faults else "clean", "nlu": nlu, "in": count, "acknowledged": stats["acknowledged"],
        "answered": len(answered), "lost": len(sent_at) - len(answered),
        "duplicated": sms_duplicates + telegram_duplicates, "resent_webhooks": stats["resent"],
        "replies_unsent": sum(n for status, n in outbox.items() if status not in ("sent", "delivered")),
        "send_s": round(sending, 1), "p50_ms": percentile(latencies, 50), "p99_ms": percentile(latencies, 99),
        "inbound_rows": inbound, "outbox_rows": outbox, "faults": events,
    }


def run(count: int = 10_000, window: float = 60.0, nlu: str = "auto", pg: str = "system",
        settle: float = 600.0, runs: tuple[bool, ...] = (True, False),
        overrides: dict[str, str] | None = None) -> list[dict[str, Any]]:
    if nlu == "auto":
        models = ROOT / "var" / "nlu-models"
        nlu = "rasa" if models.is_dir() and any(models.glob("nlu-*.tar.gz")) else "keywords"
    postgres = Postgres(pg)
    rows = []
    try:
        with tempfile.TemporaryDirectory(prefix="fd-burst-logs-") as logs:
            for faults in runs:
                rows.append(run_once(count, window, faults, nlu, postgres, Path(logs), settle, overrides))
    finally:
        postgres.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="200 openings in 20 s, private PostgreSQL")
    parser.add_argument("--count", type=int, default=None, help="openings per run (default 10,000)")
    parser.add_argument("--window", type=float, default=None, help="seconds to send them in (default 60)")
    parser.add_argument("--nlu", choices=("auto", "rasa", "keywords"), default="auto")
    parser.add_argument("--pg", choices=("system", "private"), default=None)
    parser.add_argument("--only", choices=("faults", "clean"), default=None, help="one of the two runs")
    parser.add_argument("--set", action="append", default=[], metavar="FRONTDOOR_X=VALUE",
                        help="a setting for the app's processes (to compare configurations)")
    args = parser.parse_args()
    overrides = dict(item.split("=", 1) for item in args.set)
    count = args.count or (200 if args.small else 10_000)
    window = args.window or (20.0 if args.small else 60.0)
    runs = (True, False) if args.only is None else (args.only == "faults",)
    rows = run(count, window, args.nlu, args.pg or ("private" if args.small else "system"), runs=runs,
               overrides=overrides)
    table = [{k: v for k, v in row.items() if k not in ("inbound_rows", "outbox_rows", "faults")} for row in rows]
    print_table("Burst: opening messages over signed webhooks, 2 web workers, 2 outbox workers (PostgreSQL)", table)
    for row in rows:
        print(f"{row['run']}: inbound {row['inbound_rows']}, outbox {row['outbox_rows']}; {'; '.join(row['faults'])}")
    print(f"results: {write_results('burst' + ('-small' if args.small else ''), rows)}")


if __name__ == "__main__":
    main()
