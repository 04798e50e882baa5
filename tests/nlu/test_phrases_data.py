"""The keyword phrases as data: the classifier answers exactly as before the move, and broken files stop the app.

``fixtures/keyword_outputs.json.gz`` was written by the classifier with the tables still in
Python (see ``keyword_outputs.py``); every training and held-out message is classified again,
with its language and with none, and must give the same categories, crisis flag, deadline,
dates, language and intent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from core.categories import CATEGORY_IDS
from nlu.keywords import _TIE_ORDER, CATEGORY_PHRASES
from nlu.phrases import PHRASE_DIR, PhraseFileError, _read, all_phrases, load_phrases, read_yaml
from tests.nlu.keyword_outputs import load_fixture, outputs


def test_every_message_classifies_as_before_the_move() -> None:
    before = load_fixture()
    now = outputs()
    compared = [k for k in now if k in before]
    changed = [k for k in compared if now[k] != before[k]]
    assert not changed, (f"{len(changed)} of {len(compared)} messages classify differently; "
                         "`python -m tests.nlu.keyword_outputs` lists them")
    # Training data may grow after the move; the fixture must still cover nearly all of it.
    assert len(compared) >= 0.9 * len(before), (
        f"only {len(compared)} of {len(before)} fixture messages are still in the data: "
        "rewrite it with `python -m tests.nlu.keyword_outputs --write`")
    print(f"{len(compared)} messages classified identically (with their language and with none)")


def test_every_language_has_crisis_phrases_and_phrases_for_every_category() -> None:
    for language, phrases in all_phrases().items():
        assert phrases.crisis.now, language
        assert set(phrases.categories) == set(CATEGORY_IDS), language


def test_ties_between_categories_are_broken_in_one_order_naming_every_category() -> None:
    assert sorted(_TIE_ORDER) == sorted(CATEGORY_IDS)
    assert tuple(CATEGORY_PHRASES) == _TIE_ORDER


def _english_with(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    raw = read_yaml((PHRASE_DIR / "en.yml").read_text("utf-8"))
    change(raw)
    path = tmp_path / "en.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), "utf-8")
    return path


def test_the_english_file_round_trips(tmp_path: Path) -> None:
    assert _read(_english_with(tmp_path, lambda raw: None)) == load_phrases("en")


@pytest.mark.parametrize(("change", "message"), [
    (lambda raw: raw["categories"].update(housin=["landlord"]), "unknown category 'housin'"),
    (lambda raw: raw["categories"]["debt"].append(" "), "empty phrase in debt"),
    (lambda raw: raw["crisis"]["now"].append(""), "crisis.now: Value error, empty phrase"),
    (lambda raw: raw["crisis"].update(now=[]), "crisis.now"),
    (lambda raw: raw["crisis"].update(later=["x"]), "crisis.later: Extra inputs are not permitted"),
    (lambda raw: raw.update(keywords=["x"]), "keywords: Extra inputs are not permitted"),
    (lambda raw: raw["dates"].update(weekdays={"mon": "moonday"}), "dates.weekdays.mon"),
    (lambda raw: raw["dates"]["units"].append(""), "dates.units"),
    (lambda raw: raw["dates"].update(months={"smarch": 13}), "month 'smarch': 13 is not a month number"),
    (lambda raw: raw.pop("crisis"), "crisis: Field required"),
])
def test_a_broken_keyword_section_stops_the_app_naming_the_field(
        tmp_path: Path, change: Callable[[dict[str, Any]], None], message: str) -> None:
    with pytest.raises(PhraseFileError, match=re.escape(message)) as error:
        _read(_english_with(tmp_path, change))
    assert str(error.value).startswith("en.yml: ")
