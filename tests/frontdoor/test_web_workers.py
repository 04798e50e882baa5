"""`frontdoor serve` with several web workers: PostgreSQL only, refused clearly on SQLite, and it serves."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from bot.inbound import InboundMessage
from core.db import make_engine, make_sessionmaker
from core.settings import Settings
from frontdoor.serve import web_workers_problem

ROOT = Path(__file__).resolve().parents[2]
AUTH, PUBLIC = "workers-test-auth", "https://frontdoor.example.org"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(db_url: str, port: int, workers: int) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDOOR_")}
    return {**keep, "FRONTDOOR_DATABASE_URL": db_url, "FRONTDOOR_WEB_WORKERS": str(workers),
            "FRONTDOOR_PORT": str(port), "FRONTDOOR_NLU_BACKEND": "keywords", "FRONTDOOR_OUTBOX_IN_APP": "0",
            "FRONTDOOR_TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "FRONTDOOR_TWILIO_AUTH_TOKEN": AUTH,
            "FRONTDOOR_PUBLIC_BASE_URL": PUBLIC, "FRONTDOOR_LOG_LEVEL": "WARNING"}


def test_sqlite_refuses_more_than_one_worker_with_a_clear_message(tmp_path: Path) -> None:
    assert web_workers_problem(Settings(database_url="sqlite:///x.db")) is None
    problem = web_workers_problem(Settings(database_url="sqlite:///x.db", web_workers=2))
    assert problem is not None and "PostgreSQL" in problem
    shared_rasa = Settings(database_url="postgresql+psycopg://h/d", web_workers=2, nlu_backend="rasa")
    assert "FRONTDOOR_NLU_MANAGE_SERVER=0" in (web_workers_problem(shared_rasa) or "")
    done = subprocess.run([sys.executable, "-m", "frontdoor.cli", "serve"], cwd=ROOT, capture_output=True, text=True,
                          env=_env(f"sqlite:///{tmp_path / 'one.db'}", _free_port(), 2), timeout=60)
    assert done.returncode == 2 and "needs PostgreSQL" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.postgres
def test_two_workers_on_postgresql_serve_signed_webhooks(pg_url: str) -> None:
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "frontdoor.cli", "serve"], cwd=ROOT, env=_env(pg_url, port, 2),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, process)
        children = [p for p in Path("/proc").iterdir() if p.name.isdigit() and _parent(p) == process.pid]
        assert len([c for c in children if b"spawn_main" in (c / "cmdline").read_bytes()]) == 2
        sids = [f"SMworkers{n:02d}" for n in range(12)]
        for number, sid in enumerate(sids):
            params = {"MessageSid": sid, "From": f"+4477009{number:05d}", "To": "+447700900000", "Body": "hi"}
            signature = RequestValidator(AUTH).compute_signature(f"{PUBLIC}/webhooks/twilio/sms", params)
            response = httpx.post(f"{base}/webhooks/twilio/sms", data=params,
                                  headers={"X-Twilio-Signature": signature}, timeout=30)
            assert response.status_code == 200
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    engine = make_engine(pg_url)
    with make_sessionmaker(engine)() as session:
        done = set(session.scalars(select(InboundMessage.external_id).where(
            InboundMessage.external_id.like("SMworkers%"), InboundMessage.status == "done")))
    engine.dispose()
    assert done == set(sids)


def _parent(proc: Path) -> int | None:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


@pytest.mark.postgres
def test_every_scrape_counts_the_turns_of_every_process(pg_url: str, tmp_path: Path) -> None:
    """FRONTDOOR_METRICS_DIR: 2 web workers and a `frontdoor worker` run turns; any of them answers a scrape."""
    port, turns = _free_port(), 20
    folder = tmp_path / "metrics"
    env = {**_env(pg_url, port, 2), "FRONTDOOR_METRICS_DIR": str(folder),
           # beyond one turn at once per web worker, a delivery is left to the worker (no burst window after)
           "FRONTDOOR_INBOUND_INLINE_TURNS": "1", "FRONTDOOR_INBOUND_BURST_SECONDS": "0",
           "FRONTDOOR_TWILIO_FROM_NUMBER": "+447700900000",  # replies go nowhere: nothing listens at the API base
           "FRONTDOOR_TWILIO_API_BASE": f"http://127.0.0.1:{_free_port()}", "FRONTDOOR_WORKER_NICE": "0"}
    logs = [open(tmp_path / f"{name}.log", "wb") for name in ("serve", "worker")]  # noqa: SIM115
    serve = subprocess.Popen([sys.executable, "-m", "frontdoor.cli", "serve"], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=logs[0], start_new_session=True)
    worker = subprocess.Popen([sys.executable, "-m", "frontdoor.cli", "worker"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=logs[1], start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, serve)
        sids = [f"SMmetrics{n:02d}" for n in range(turns)]
        half = turns // 2
        for n in range(half):  # one by one: the web workers run these
            assert _post_sms(base, sids[n], f"+4477008{n:05d}") == 200
        with ThreadPoolExecutor(turns - half) as pool:  # all at once: most are left to the worker
            sent = pool.map(lambda n: _post_sms(base, sids[n], f"+4477008{n:05d}"), range(half, turns))
            assert set(sent) == {200}
        deadline = time.monotonic() + 120
        while _done(pg_url, "SMmetrics%") < turns:
            assert time.monotonic() < deadline, "the turns did not all run"
            time.sleep(0.3)
        while _turns(httpx.get(f"{base}/metrics", timeout=10).text) < turns:  # the last one is counted just after
            assert time.monotonic() < deadline, "the scrape never showed every turn"
            time.sleep(0.1)
        scrapes = [httpx.get(f"{base}/metrics", timeout=10).text for _ in range(20)]  # a new connection each
        split = {path.name: _turns_in(path) for path in sorted(folder.glob("histogram_*.db"))}
    finally:
        for process in (worker, serve):
            os.killpg(process.pid, signal.SIGTERM)
        for process in (worker, serve):
            process.wait(timeout=30)
        for log in logs:
            log.close()
    assert [_turns(text) for text in scrapes] == [turns] * len(scrapes)
    assert all(len(re.findall(r"^frontdoor_inbound_open ", text, re.MULTILINE)) == 1 for text in scrapes)
    assert sum(split.values()) == turns and f"histogram_{worker.pid}.db" in split, split
    roles = {f"histogram_{worker.pid}.db": "worker"}
    print("turns per process:", ", ".join(f"{roles.get(name, 'web ' + name[10:-3])}: {n}" for name, n in split.items()))


def _wait_healthy(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert process.poll() is None and time.monotonic() < deadline, "serve did not come up"
        time.sleep(0.3)


def _post_sms(base: str, sid: str, sender: str) -> int:
    params = {"MessageSid": sid, "From": sender, "To": "+447700900000", "Body": "hi"}
    signature = RequestValidator(AUTH).compute_signature(f"{PUBLIC}/webhooks/twilio/sms", params)
    return httpx.post(f"{base}/webhooks/twilio/sms", data=params, headers={"X-Twilio-Signature": signature},
                      timeout=30).status_code


def _done(pg_url: str, pattern: str) -> int:
    engine = make_engine(pg_url)
    with make_sessionmaker(engine)() as session:
        count = session.scalar(select(func.count()).select_from(InboundMessage).where(
            InboundMessage.external_id.like(pattern), InboundMessage.status == "done")) or 0
    engine.dispose()
    return count


def _turns(text: str) -> int:
    """``frontdoor_turn_seconds_count{channel="sms"}`` in one scrape (0 before the first turn)."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "frontdoor_turn_seconds_count" and sample.labels == {"channel": "sms"}:
                return int(sample.value)
    return 0


def _turns_in(path: Path) -> int:
    """The turns one process counted, from its own histogram file."""
    for family in MultiProcessCollector.merge([str(path)]):
        for sample in family.samples:
            if sample.name == "frontdoor_turn_seconds_count" and sample.labels == {"channel": "sms"}:
                return int(sample.value)
    return 0
