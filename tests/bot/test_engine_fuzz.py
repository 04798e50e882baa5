"""Fuzzing the engine: any sequence of messages, in any language, never raises and never refers without consent.

Messages are drawn from what clients really send (every language's commands and
yes/no words, numbered choices, training descriptions in every language, postcodes,
names) mixed with arbitrary Unicode. Each turn goes through the same text cleaning,
keyword classifier and state round trip (JSON) as ``bot.service`` does.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.effects import CreateReferral, RecordConsent
from bot.engine import Env, Inbound, handle
from bot.service import clean_text
from bot.state import State
from core.db import make_engine, make_sessionmaker
from core.languages import LANGUAGES
from core.settings import PROJECT_ROOT
from directory.matching import DirectorySnapshot, load_snapshot
from nlu.keywords import KeywordClassifier

NOW = dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC)
EXAMPLES = 400
CLASSIFIER = KeywordClassifier()


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in _strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in _strings(value)]
    return []


def _vocabulary() -> list[str]:
    words: set[str] = {str(n) for n in range(0, 14)} | {"LU2 7AB", "BS5 6XY", "IP4 1AA", "Lowestoft", "Bristol",
                                                       "Anna", "Zoë O'Brien", "15 jan", "next friday", "😀", ""}
    for path in sorted((PROJECT_ROOT / "nlu" / "phrases").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        words.update(_strings({k: v for k, v in data.items() if k in ("commands", "answers")}))
    for path in sorted((PROJECT_ROOT / "nlu" / "data").glob("nlu_*.yml")):
        lines = re.findall(r"^\s+- (.+)$", path.read_text(encoding="utf-8"), flags=re.M)
        words.update(lines[::15])  # a spread of every language's descriptions
    words.update(language.own_name for language in LANGUAGES)
    words.update(language.english_name for language in LANGUAGES)
    return sorted(words)


VOCABULARY = _vocabulary()
MESSAGES = st.one_of(st.sampled_from(VOCABULARY), st.sampled_from(VOCABULARY), st.text(max_size=80))
# A journey that ends in referrals (tests/bot/test_journeys.py), so noise lands around consent too.
JOURNEY = ["hi", "1", "got a letter from landlord saying get out by 15 jan. also behind on council tax", "yes", "1",
           "yes", "no", "LU2 7AB", "1", "no", "yes", "yes", "yes", "Anna"]


@st.composite
def _journey_with_noise(draw: st.DrawFn) -> list[str]:
    """The journey, with random messages inserted before steps and some steps replaced or dropped."""
    out: list[str] = []
    for step in JOURNEY:
        out += draw(st.lists(MESSAGES, max_size=2))
        choice = draw(st.integers(0, 9))
        if choice == 0:
            continue  # dropped
        out.append(draw(MESSAGES) if choice == 1 else step)
    return out + draw(st.lists(MESSAGES, max_size=4))


SEQUENCES = st.one_of(st.lists(MESSAGES, min_size=1, max_size=30), _journey_with_noise())


@pytest.fixture(scope="module")
def snapshot(sqlite_template: Path) -> DirectorySnapshot:
    """The demo directory, as matching sees it."""
    engine = make_engine(f"sqlite:///{sqlite_template}")
    with make_sessionmaker(engine)() as session:
        loaded = load_snapshot(session, referrals_this_week={})
    engine.dispose()
    return loaded


CASES = {"run": 0, "turns": 0, "referrals": 0}


def test_any_sequence_of_messages_is_handled_and_never_refers_without_consent(snapshot: DirectorySnapshot) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(messages=SEQUENCES, channel=st.sampled_from(["sms", "telegram"]),
           minutes_between=st.sampled_from([0, 1, 300]))
    def run(messages: list[str], channel: str, minutes_between: int) -> None:
        CASES["run"] += 1
        counter = itertools.count(1)
        state, now = State(), NOW
        granted: dict[str, str] = {}  # consent id -> organisation, for consents granted so far
        for raw in messages:
            now += dt.timedelta(minutes=minutes_between)
            env = Env(now=now, channel=channel, directory=snapshot,
                      new_id=lambda: f"00000000-0000-0000-0000-{next(counter):012d}")
            text = clean_text(raw)
            nlu = CLASSIFIER.classify_sync(text, language=state.language, today=now.date())
            outcome = handle(state, Inbound(text, nlu), env)  # must not raise
            CASES["turns"] += 1
            for effect in outcome.effects:
                if isinstance(effect, RecordConsent) and effect.granted:
                    granted[effect.consent_id] = effect.organization_id
                elif isinstance(effect, RecordConsent):
                    granted.pop(effect.consent_id, None)
                if isinstance(effect, CreateReferral):
                    CASES["referrals"] += 1
                    assert granted.get(effect.consent_id) == effect.organization_id, "referral without consent"
            assert all(reply.text.strip() for reply in outcome.replies)  # never an empty message
            state = State.from_json(outcome.state.to_json())  # as the service stores it between turns

    run()
    print(f"engine fuzz: {CASES['run']} cases, {CASES['turns']} turns, {CASES['referrals']} referrals written")
    assert CASES["run"] >= EXAMPLES
