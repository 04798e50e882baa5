"""Yes, no or neither, in every language: the tables, and the rule that a negation is never consent.

The tables in ``tests/nlu/answer_tables/<lang>.yml`` were written apart from the phrase files
(by writers who saw neither them nor the code), as clients of each language answer "can we
send your details to ...?": polite, romanised, misspelt, with extra words.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.languages import LANGUAGE_CODES
from nlu.answers import read_answer
from nlu.phrases import load_phrases, read_yaml

TABLES = Path(__file__).parent / "answer_tables"


@cache
def _table(language: str) -> dict[str, list[str]]:
    data: dict[str, list[str]] = read_yaml((TABLES / f"{language}.yml").read_text("utf-8"))  # type: ignore[assignment]
    return data


def _cases(kind: str) -> list[tuple[str, str]]:
    return [(lang, text) for lang in LANGUAGE_CODES for text in _table(lang)[kind]]


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_every_language_has_a_full_table(language: str) -> None:
    table = _table(language)
    assert len(table["yes"]) >= 30 and len(table["no"]) >= 30 and len(table["ambiguous"]) >= 10
    kinds = [set(table[k]) for k in ("yes", "no", "ambiguous")]
    assert not (kinds[0] & kinds[1] or kinds[0] & kinds[2] or kinds[1] & kinds[2])


@pytest.mark.parametrize(("language", "text"), _cases("yes"))
def test_yes(language: str, text: str) -> None:
    assert read_answer(text, language) == "yes"


@pytest.mark.parametrize(("language", "text"), _cases("no"))
def test_no(language: str, text: str) -> None:
    assert read_answer(text, language) == "no"


@pytest.mark.parametrize(("language", "text"), _cases("ambiguous"))
def test_ambiguous_is_asked_again(language: str, text: str) -> None:
    assert read_answer(text, language) is None


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_the_worst_case_from_the_issue_is_no(language: str) -> None:
    """Urdu "جی نہیں" (polite no) was once read as yes because "جی" came first."""
    for text in ("جی نہیں", "ji nahi", "ji nahin", "nahi ji"):
        assert read_answer(text, language) != "yes"
    assert read_answer("جی نہیں", "ur") == "no"


def _negations(language: str) -> list[str]:
    words = set(load_phrases(language).answers.negations) | set(_table(language)["negation_words"])
    return sorted(words)


def _words(language: str) -> list[str]:
    """Words a client of this language might put around a negation: yes words, fillers, the table's answers."""
    own = load_phrases(language).answers
    table = _table(language)
    pool = {*own.yes, *own.yes_alone, "please", "ok", "👍", "1"}
    for text in table["yes"]:
        pool.update(text.split())
    return sorted(pool)


@pytest.mark.parametrize("language", LANGUAGE_CODES)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_an_answer_with_a_negation_is_never_consent(language: str, data: st.DataObject) -> None:
    before = data.draw(st.lists(st.sampled_from(_words(language)), max_size=4))
    after = data.draw(st.lists(st.sampled_from(_words(language)), max_size=4))
    negation = data.draw(st.sampled_from(_negations(language)))
    punctuation = data.draw(st.sampled_from([" ", ", ", "! ", " . ", "\n"]))
    text = punctuation.join([*before, negation, *after])
    assert read_answer(text, language) != "yes", text


@settings(max_examples=500, deadline=None)
@given(text=st.text(max_size=60), language=st.sampled_from([*LANGUAGE_CODES, "xx", None]))
def test_any_text_reads_without_error(text: str, language: str | None) -> None:
    assert read_answer(text, language) in ("yes", "no", None)


def test_review_status_table_matches_the_files() -> None:
    readme = (Path(__file__).parents[2] / "nlu" / "phrases" / "README.md").read_text("utf-8")
    for language in LANGUAGE_CODES:
        assert f"| {language}.yml | {load_phrases(language).review} |" in readme
