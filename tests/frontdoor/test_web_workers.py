"""`frontdoor serve` with several web workers: PostgreSQL only, refused clearly on SQLite, and it serves."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
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
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "serve did not come up"
            time.sleep(0.3)
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
