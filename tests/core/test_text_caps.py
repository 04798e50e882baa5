"""The text caps live once in core.text and are what every reader cuts at."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from bot.engine import Env, Inbound, handle
from bot.service import clean_text
from bot.state import State, Step
from core import text
from directory.matching import DirectorySnapshot
from nlu.result import NluResult

ROOT = Path(__file__).resolve().parents[2]
ENV = Env(now=dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC), channel="sms", directory=DirectorySnapshot(()),
          new_id=lambda: "id")


def test_inbound_text_is_cut_at_the_inbound_cap() -> None:
    assert len(clean_text("a" * (text.MAX_INBOUND_CHARS + 50))) == text.MAX_INBOUND_CHARS


def test_the_engine_keeps_at_most_one_message_cap() -> None:
    state = State(step=Step.DESCRIBE, language_chosen=True)
    outcome = handle(state, Inbound("word " * text.MAX_MESSAGE_CHARS, NluResult()), ENV)
    assert 0 < len(outcome.state.description or "") <= text.MAX_MESSAGE_CHARS


def test_short_answers_and_names_are_capped() -> None:
    state = State(step=Step.SAFE_TIMES, language_chosen=True)
    outcome = handle(state, Inbound("x" * 1000, NluResult()), ENV)
    assert outcome.state.safe_times == "x" * text.MAX_SHORT_ANSWER_CHARS


def test_no_other_module_slices_text_at_a_bare_number() -> None:
    """A cap written as ``[:200]`` outside core/text.py is a second source for the same fact."""
    bare = re.compile(r"\btext\b[^\n]*\[:\d{3,}\]|sender\)?\[:\d+\]|note\.split\(\)\)\[:\d+\]")
    packages = ("bot", "core", "directory", "frontdoor", "referrals", "staff")
    found = [f"{path.relative_to(ROOT)}:{n}" for package in packages
             for path in (ROOT / package).rglob("*.py") if "migrations" not in path.parts
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if bare.search(line)]
    assert found == []
