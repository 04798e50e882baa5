"""The ``frontdoor staff`` commands (a stable contract) and ``frontdoor demo staff``."""

from __future__ import annotations

import io
import json
import stat
import sys
from pathlib import Path

import pytest

from core.db import make_engine, make_sessionmaker
from frontdoor.cli import main as cli_main
from staff.models import StaffAccount, StaffSession
from staff.passwords import verify_password

PASSWORD = "a password read from stdin"


def _run(argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
         stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli_main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cli_db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("FRONTDOOR_DATABASE_URL", db_url)
    return db_url


def _account(url: str, account_id: str) -> StaffAccount:
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session:
            account = session.get(StaffAccount, account_id)
            assert account is not None
            return account
    finally:
        engine.dispose()


def test_create_list_reset_deactivate(cli_db: str, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["staff", "create", "--email", "Priya@Example.org", "--name", "Priya", "--role", "adviser",
                         "--org", "org-luton-ca", "--password-stdin"], monkeypatch, capsys, PASSWORD + "\n")
    assert code == 0 and len(out.splitlines()) == 1
    created = json.loads(out)
    account = _account(cli_db, created["id"])
    assert account.email == "priya@example.org" and account.role == "adviser"
    assert verify_password(account.password_hash, PASSWORD) and PASSWORD not in out

    code, out, err = _run(["staff", "create", "--email", "priya@example.org", "--name", "P", "--role", "adviser",
                           "--org", "org-luton-ca", "--password-stdin"], monkeypatch, capsys, PASSWORD)
    assert code == 1 and "exists" in err
    code, _, err = _run(["staff", "create", "--email", "a@example.org", "--name", "A", "--role", "adviser",
                         "--org", "org-nowhere", "--password-stdin"], monkeypatch, capsys, PASSWORD)
    assert code == 1 and "no organisation" in err
    code, out, _ = _run(["staff", "create", "--email", "n@example.org", "--name", "Nia", "--role", "network_admin",
                         "--password-stdin"], monkeypatch, capsys, PASSWORD)
    assert code == 0 and json.loads(out)["totp_uri"].startswith("otpauth://totp/")

    code, out, _ = _run(["staff", "list"], monkeypatch, capsys)
    rows = [json.loads(line) for line in out.splitlines()]
    assert {r["email"] for r in rows} == {"priya@example.org", "n@example.org"}
    assert all("password" not in json.dumps(r) and "totp" not in json.dumps(r) for r in rows)

    new = "another password from stdin"
    code, _, _ = _run(["staff", "reset-password", "priya@example.org", "--password-stdin"], monkeypatch, capsys, new)
    assert code == 0 and verify_password(_account(cli_db, created["id"]).password_hash, new)
    code, _, _ = _run(["staff", "deactivate", "PRIYA@example.org"], monkeypatch, capsys)
    assert code == 0 and _account(cli_db, created["id"]).active is False
    code, _, err = _run(["staff", "deactivate", "nobody@example.org"], monkeypatch, capsys)
    assert code == 1 and "no account" in err


def test_demo_staff_once_with_a_private_file(cli_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "var" / "demo-staff.txt"
    code, out, _ = _run(["demo", "staff", "--if-empty", "--output", str(target)], monkeypatch, capsys)
    assert code == 0 and str(target) in out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    lines = [line.split("\t") for line in target.read_text().splitlines() if line.startswith(("adviser", "network"))]
    assert len([x for x in lines if x[0] == "adviser"]) == 30  # one per demo core partner
    assert [x[0] for x in lines].count("network_admin") == 1
    for _role, _org, _email, password in lines:
        assert password not in out
    code, out, _ = _run(["demo", "staff", "--if-empty", "--output", str(target)], monkeypatch, capsys)
    assert code == 0 and "exist already" in out
    engine = make_engine(cli_db)
    with make_sessionmaker(engine)() as session:
        assert session.query(StaffSession).count() == 0
        assert session.query(StaffAccount).count() == 31
    engine.dispose()
