"""Full stack, side by side in one run: Frontdoor with its Rasa model against a plain Rasa bot (issue 18).

Three systems, each served as it is deployed, each loaded by 1, 8 and 32 concurrent clients
on loopback (each client sends its conversation's turns one after another, then starts a new
conversation, until the level's time is up):

- **(a)** Frontdoor (``frontdoor serve``, a child process) with the Rasa backend on SQLite:
  signed Twilio SMS webhooks, the 14-message two-issue journey of ``bench/engine.py``.
- **(b)** the same on PostgreSQL with ``web_workers`` web workers and ``replicas`` Rasa processes
  (``FRONTDOOR_WEB_WORKERS``, ``FRONTDOOR_NLU_REPLICAS``).
- **(c)** the plain Rasa 3.6 bot of ``../shared/peers/rasa-bot`` (DIET, RulePolicy, a form, SQLite
  tracker, REST channel; its 4-turn conversation), trained into ``var/peer-rasa-bot`` with the
  project's ``.venv-rasa`` and run there.

A turn is done when the webhook answers 200 (Frontdoor: the turn and its replies are committed
to the outbox; the outbox worker is off so only the inbound path is measured). Completed
referrals are counted in Frontdoor's database (the ``referral`` rows made during the level) and,
for the peer, as conversations that reached its "we've sent your problem" answer. Who served each
free-text turn comes from Frontdoor's own ``/metrics`` (``frontdoor_nlu_messages_total`` by
source): the share the model served must be 1.0 (no fallback to keywords under load). Every
conversation's free-text message carries its own case number, so the e5 vector cache in Rasa
cannot answer it from an earlier conversation. Partner capacity is lifted in the bench database
so every conversation takes the same route.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx
from sqlalchemy import create_engine, text
from twilio.request_validator import RequestValidator

from bench.common import fresh_database, percentile, print_table, write_results
from bench.engine import SCRIPT
from core.settings import PROJECT_ROOT
from nlu.rasa_venv import rasa_env, rasa_executable

AUTH, PUBLIC, SID = "bench-auth-token", "https://frontdoor.example.org", "AC" + "0" * 32
PEER_SOURCE = PROJECT_ROOT.parent / "shared" / "peers" / "rasa-bot"
PEER_HOME = PROJECT_ROOT / "var" / "peer-rasa-bot"
PEER_SCRIPT = ("hi", "my landlord wants to evict me", "LU2 7AB", "yes")
PEER_DONE = "We've sent your"
FREE_TEXT_TURN = 2  # the journey's free-text problem description (index in SCRIPT)
CONCURRENCY = (1, 8, 32)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- the systems under test ---------------------------------------------------------------------------------


@contextmanager
def frontdoor(database: str, *, replicas: int, web_workers: int, timeout: float) -> Iterator[str]:
    """``frontdoor serve`` as a child process with the Rasa backend, ready once the model answers."""
    port, nlu_port = _free_port(), _free_port_run(replicas)
    env = {**os.environ, "FRONTDOOR_DATABASE_URL": database, "FRONTDOOR_NLU_BACKEND": "rasa",
           "FRONTDOOR_NLU_URL": f"http://127.0.0.1:{nlu_port}", "FRONTDOOR_NLU_REPLICAS": str(replicas),
           "FRONTDOOR_NLU_TIMEOUT_SECONDS": str(timeout), "FRONTDOOR_WEB_WORKERS": str(web_workers),
           "FRONTDOOR_TWILIO_ACCOUNT_SID": SID, "FRONTDOOR_TWILIO_AUTH_TOKEN": AUTH,
           "FRONTDOOR_PUBLIC_BASE_URL": PUBLIC, "FRONTDOOR_OUTBOX_IN_APP": "0", "FRONTDOOR_LOG_LEVEL": "WARNING",
           # every turn runs inside its webhook, so a 200 means its replies are in the outbox (what is timed)
           "FRONTDOOR_INBOUND_INLINE_TURNS": "1000"}
    log = (PROJECT_ROOT / "var" / f"bench-fullstack-{port}.log").open("wb")
    rasa: list[subprocess.Popen[bytes]] = []
    if web_workers > 1:  # the workers share the Rasa processes, started apart as deployed (README)
        env["FRONTDOOR_NLU_MANAGE_SERVER"] = "0"
        rasa = [subprocess.Popen([sys.executable, "-m", "frontdoor.cli", "nlu", "serve", "--port", str(nlu_port + i)],
                                 env=env, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT,
                                 start_new_session=True) for i in range(replicas)]
    process = subprocess.Popen([sys.executable, "-m", "frontdoor.cli", "serve", "--port", str(port)], env=env,
                               cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: httpx.get(f"{base}/healthz", timeout=2).json()["nlu"]["model_ready"] is True, process, 600,
              "Frontdoor's model")
        _wait(lambda: _replicas_up(base) >= replicas, process, 300, "every Rasa replica")
        yield base
    finally:
        for child in [process, *rasa]:
            _stop(child)
        log.close()


def _free_port_run(length: int) -> int:
    """The first of ``length`` consecutive free loopback ports (the Rasa replicas)."""
    for _ in range(50):
        first = _free_port()
        if first + length < 65536 and all(_port_free(first + i) for i in range(length)):
            return first
    raise RuntimeError("no run of free ports found")


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _replicas_up(base: str) -> int:
    match = re.search(r"^frontdoor_nlu_replicas_up (\S+)$", httpx.get(f"{base}/metrics", timeout=5).text, re.M)
    return int(float(match.group(1))) if match else 0


@contextmanager
def peer_bot() -> Iterator[str]:
    """The plain Rasa bot: trained once (cached by the hash of its files), served with a fresh SQLite tracker."""
    model = _peer_model()
    port = _free_port()
    run_dir = PEER_HOME / f"run-{port}"
    shutil.rmtree(run_dir, ignore_errors=True)
    shutil.copytree(PEER_SOURCE, run_dir, ignore=shutil.ignore_patterns("data"))
    for path in [run_dir, *run_dir.rglob("*")]:
        path.chmod(0o644 if path.is_file() else 0o755)
    command = [str(rasa_executable()), "run", "-m", str(model), "-i", "127.0.0.1", "-p", str(port),
               "--credentials", "credentials.yml", "--endpoints", "endpoints-sql.yml"]
    log = (PEER_HOME / "server.log").open("ab")
    process = subprocess.Popen(command, env=rasa_env(), cwd=run_dir, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: httpx.get(base, timeout=2).status_code == 200, process, 300, "the peer Rasa bot")
        yield base
    finally:
        _stop(process)
        log.close()
        shutil.rmtree(run_dir, ignore_errors=True)


def _peer_model() -> Path:
    digest = hashlib.sha256()
    for path in sorted(p for p in PEER_SOURCE.rglob("*") if p.is_file()):
        digest.update(path.name.encode() + path.read_bytes())
    model = PEER_HOME / "models" / f"peer-{digest.hexdigest()[:12]}.tar.gz"
    if model.exists():
        return model
    source = PEER_HOME / "source"  # a writable copy: nothing is written under ../shared
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(PEER_SOURCE, source)
    for path in [source, *source.rglob("*")]:
        path.chmod(0o644 if path.is_file() else 0o755)
    print(f"Training the peer Rasa bot into {model} (a few minutes) ...", file=sys.stderr, flush=True)
    with (PEER_HOME / "train.log").open("wb") as log:
        done = subprocess.run([str(rasa_executable()), "train", "--config", "config.yml", "--domain", "domain.yml",
                               "--data", "data", "--out", str(model.parent), "--fixed-model-name",
                               model.name.removesuffix(".tar.gz")],
                              cwd=source, env=rasa_env({"RASA_CACHE_DIRECTORY": str(PEER_HOME / "cache")}, batch=True),
                              stdout=log, stderr=subprocess.STDOUT)
    if done.returncode != 0 or not model.exists():
        raise RuntimeError(f"peer training failed; see {PEER_HOME / 'train.log'}")
    return model


def _wait(ready: Any, process: subprocess.Popen[bytes], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what}: the process exited ({process.returncode})")
        try:
            if ready():
                return
        except (httpx.HTTPError, ValueError, KeyError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{what} was not ready within {seconds:.0f} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


# -- the load -----------------------------------------------------------------------------------------------


class Load:
    """Turn latencies, errors and finished conversations of one level."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors = 0
        self.completed = 0


async def _frontdoor_conversation(http: httpx.AsyncClient, base: str, number: int, load: Load,
                                  deadline: float) -> None:
    phone = f"+4477009{number:05d}"
    for turn, body in enumerate(SCRIPT):
        if time.monotonic() > deadline:
            return
        if turn == FREE_TEXT_TURN:
            body = f"case {number}: {body}"
        params = {"MessageSid": f"SMfull{number:012d}{turn:02d}{'0' * 14}", "From": phone, "To": "+447700900000",
                  "Body": body}
        signature = RequestValidator(AUTH).compute_signature(f"{PUBLIC}/webhooks/twilio/sms", params)
        started = time.perf_counter()
        response = await http.post(f"{base}/webhooks/twilio/sms", data=params,
                                   headers={"X-Twilio-Signature": signature})
        load.latencies.append((time.perf_counter() - started) * 1000)
        load.errors += response.status_code != 200
    load.completed += 1


async def _peer_conversation(http: httpx.AsyncClient, base: str, number: int, load: Load, deadline: float) -> None:
    answer = ""
    for body in PEER_SCRIPT:
        if time.monotonic() > deadline:
            return
        started = time.perf_counter()
        response = await http.post(f"{base}/webhooks/rest/webhook", json={"sender": f"peer-{number}", "message": body})
        load.latencies.append((time.perf_counter() - started) * 1000)
        load.errors += response.status_code != 200
        if response.status_code == 200:
            answer = " ".join(str(m.get("text", "")) for m in response.json())
    load.completed += PEER_DONE in answer


async def _level(base: str, system: str, clients: int, seconds: float, first: int) -> tuple[Load, float]:
    load = Load()
    numbers = itertools.count(first)
    deadline = time.monotonic() + seconds
    conversation = _peer_conversation if system == "peer" else _frontdoor_conversation

    async def client() -> None:
        # One connection per client: a single shared pool of 32 costs the load generator more CPU than the
        # server spends on a turn, and the generator (on the same 2 cores) becomes what is measured.
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(timeout=60, limits=limits, trust_env=False) as http:
            while time.monotonic() <= deadline:
                await conversation(http, base, next(numbers), load, deadline)

    started = time.perf_counter()
    async with anyio.create_task_group() as g:
        for _ in range(clients):
            g.start_soon(client)
    return load, time.perf_counter() - started


def _sources(base: str) -> dict[str, float]:
    body = httpx.get(f"{base}/metrics", timeout=10).text
    return {m.group(1): float(m.group(2))
            for m in re.finditer(r'^frontdoor_nlu_messages_total\{source="(\w+)"\} (\S+)$', body, re.M)}


def _referrals(database: str) -> int:
    engine = create_engine(database)
    with engine.connect() as connection:
        count = int(connection.execute(text("SELECT count(*) FROM referral")).scalar_one())
    engine.dispose()
    return count


def _lift_capacity(database: str) -> None:
    engine = create_engine(database)
    with engine.begin() as connection:
        connection.execute(text("UPDATE service SET capacity_per_week = NULL"))
    engine.dispose()


def _row(system: str, clients: int, load: Load, elapsed: float, referrals: float,
         sources: dict[str, float] | None) -> dict[str, Any]:
    row: dict[str, Any] = {
        "system": system, "clients": clients, "turns": len(load.latencies), "errors": load.errors,
        "turns_per_s": len(load.latencies) / elapsed, "p50_ms": percentile(load.latencies, 50),
        "p99_ms": percentile(load.latencies, 99), "referrals_per_s": referrals / elapsed}
    if sources is not None:
        free = sources.get("model", 0) + sources.get("fallback", 0) + sources.get("keywords", 0)
        row.update({"model_share": sources.get("model", 0) / free if free else float("nan"),
                    "fallbacks": int(sources.get("fallback", 0) + sources.get("keywords", 0))})
    else:
        row.update({"model_share": float("nan"), "fallbacks": 0})
    return row


def _run_frontdoor(system: str, backend: str, levels: tuple[int, ...], seconds: float, **options: Any
                   ) -> tuple[list[dict[str, Any]], str]:
    rows, metrics = [], ""
    with fresh_database(backend) as database:
        _lift_capacity(database)
        with frontdoor(database, **options) as base:
            first = 0
            for clients in levels:
                before, referred = _sources(base), _referrals(database)
                load, elapsed = anyio.run(_level, base, "frontdoor", clients, seconds, first)
                first += 100_000
                after = _sources(base)
                delta = {k: after.get(k, 0) - before.get(k, 0) for k in after}
                rows.append(_row(system, clients, load, elapsed, _referrals(database) - referred, delta))
            metrics = httpx.get(f"{base}/metrics", timeout=10).text
    return rows, metrics


def run(seconds: float = 20.0, levels: tuple[int, ...] = CONCURRENCY, web_workers: int = 1, replicas: int = 2,
        timeout: float = 1.5) -> list[dict[str, Any]]:
    with peer_bot() as base:
        peer_rows = []
        for index, clients in enumerate(levels):
            load, elapsed = anyio.run(_level, base, "peer", clients, seconds, index * 100_000)
            peer_rows.append(_row("(c) plain Rasa bot", clients, load, elapsed, load.completed, None))
    a_rows, _ = _run_frontdoor("(a) Frontdoor, SQLite, 1 worker, 1 Rasa", "sqlite", levels, seconds,
                               replicas=1, web_workers=1, timeout=timeout)
    b_rows, metrics = _run_frontdoor(f"(b) Frontdoor, PostgreSQL, {web_workers} worker(s), {replicas} Rasa",
                                     "postgresql", levels, seconds, replicas=replicas, web_workers=web_workers,
                                     timeout=timeout)
    (PROJECT_ROOT / "bench" / "results-fullstack-metrics.txt").write_text(metrics, encoding="utf-8")
    peer = {row["clients"]: row for row in peer_rows}
    for row in a_rows + b_rows + peer_rows:
        base_row = peer[row["clients"]]
        row["x_turns_vs_c"] = row["turns_per_s"] / base_row["turns_per_s"] if base_row["turns_per_s"] else float("nan")
        row["x_p99_vs_c"] = row["p99_ms"] / base_row["p99_ms"] if base_row["p99_ms"] else float("nan")
    return a_rows + b_rows + peer_rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="load time per system and concurrency")
    parser.add_argument("--levels", default="1,8,32", help="concurrent clients, comma-separated")
    parser.add_argument("--web-workers", type=int, default=1, help="(b)'s web workers (FRONTDOOR_WEB_WORKERS)")
    parser.add_argument("--replicas", type=int, default=2, help="(b)'s Rasa processes (FRONTDOOR_NLU_REPLICAS)")
    parser.add_argument("--timeout", type=float, default=1.5, help="FRONTDOOR_NLU_TIMEOUT_SECONDS for (a) and (b)")
    args = parser.parse_args()
    levels = tuple(int(n) for n in args.levels.split(","))
    rows = run(args.seconds, levels, args.web_workers, args.replicas, args.timeout)
    print_table("Full stack: turns over loopback HTTP, Frontdoor (a, b) against a plain Rasa bot (c)", rows)
    print(f"results: {write_results('fullstack', rows)}")


if __name__ == "__main__":
    main()
