"""The command-line contract: JSON lines in and out, bad input answered clearly, nothing half-written."""

from __future__ import annotations

import io
import json
import sys

import pytest
from sqlalchemy import func, select

from bot.conversation import Conversation
from core.db import make_engine, make_sessionmaker
from frontdoor.cli import main


def _run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db_url: str, argv: list[str],
         stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setenv("FRONTDOOR_DATABASE_URL", db_url)
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_simulate_answers_each_line_and_persists(monkeypatch, capsys, db_url: str) -> None:
    script = "\n".join(json.dumps(x) for x in (
        {"from": "c1", "text": "hi"}, {"from": "c2", "text": "hello", "channel": "telegram"},
        {"from": "c1", "text": "1"},
    ))
    code, out, _ = _run(monkeypatch, capsys, db_url, ["simulate"], script)
    assert code == 0
    lines = _lines(out)
    assert [line["from"] for line in lines] == ["c1", "c2", "c1"]
    assert "Which language" in "\n".join(lines[0]["replies"])  # type: ignore[arg-type]
    assert "In your own words" in "\n".join(lines[2]["replies"])  # type: ignore[arg-type]
    # a second run carries on the same conversation
    line = json.dumps({"from": "c1", "text": "my landlord wants me out"})
    code, out, _ = _run(monkeypatch, capsys, db_url, ["simulate"], line)
    assert "Housing" in "\n".join(_lines(out)[0]["replies"])  # type: ignore[arg-type]


@pytest.mark.parametrize(("line", "error"), [
    ("{not json", "invalid JSON"),
    ("[1, 2]", "must be a JSON object"),
    ('{"text": "hi"}', '"from" must be a non-empty string'),
    ('{"from": "", "text": "hi"}', '"from" must be a non-empty string'),
    ('{"from": "c1"}', '"text" must be a string'),
    ('{"from": "c1", "text": 5}', '"text" must be a string'),
    ('{"from": "c1", "text": "hi", "channel": "fax"}', '"channel" must be one of sms, telegram'),
])
def test_simulate_malformed_lines(monkeypatch, capsys, db_url: str, line: str, error: str) -> None:
    good = json.dumps({"from": "ok", "text": "hi"})
    code, out, _ = _run(monkeypatch, capsys, db_url, ["simulate"], f"{line}\n{good}\n")
    lines = _lines(out)
    assert code == 1
    assert lines[0]["line"] == 1 and error in str(lines[0]["error"])
    assert lines[1]["from"] == "ok" and lines[1]["replies"]  # the next line still ran
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Conversation)) == 1  # only "ok"
    engine.dispose()


@pytest.mark.parametrize("text", [
    "", "   ", "x" * 10_000, "\x00\x01\x02\xff\ufffd" * 50, "🙂🔥😭", "\u202e\u200b",
])
def test_simulate_bad_text_gets_a_clear_reply(monkeypatch, capsys, db_url: str, text: str) -> None:
    script = "\n".join(json.dumps({"from": "c9", "text": t}) for t in ("hi", "1", text))
    code, out, _ = _run(monkeypatch, capsys, db_url, ["simulate"], script)
    assert code == 0
    replies = "\n".join(_lines(out)[2]["replies"])  # type: ignore[arg-type]
    assert replies and len(replies) < 1000
    assert any(p in replies for p in ("empty", "didn't understand", "Which of these", "I think you need help"))


def test_config_masks_secrets(monkeypatch, capsys) -> None:
    monkeypatch.setenv("FRONTDOOR_TWILIO_AUTH_TOKEN", "supersecret")
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert "FRONTDOOR_TWILIO_AUTH_TOKEN=****" in out and "supersecret" not in out


def test_referrals_export_after_a_journey(monkeypatch, capsys, db_url: str) -> None:
    script = [
        "hi", "1", "my employer has not paid my wages for two months", "yes", "no", "LU2 7AB", "yes", "yes", "Sam",
    ]
    _run(monkeypatch, capsys, db_url, ["simulate"], "\n".join(json.dumps({"from": "+447700900321", "text": t})
                                                              for t in script))
    code, out, _ = _run(monkeypatch, capsys, db_url, ["referrals", "export", "--format", "json"])
    assert code == 0
    exported = json.loads(out)
    assert len(exported) == 1
    referral = exported[0]
    assert referral["client"] == {"channel": "sms", "address": "+447700900321", "name": "Sam", "opted_out": False}
    assert referral["categories"] == ["employment"] and referral["status"] == "new"
    assert referral["consent"]["granted"] is True and referral["consent"]["language"] == "en"
    assert referral["consent"]["wording_version"] and referral["consent"]["timestamp"]
    assert referral["audit"][0]["action"] == "created"
    assert "token" not in out.lower() and "secret" not in out.lower()
