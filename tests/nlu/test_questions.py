"""Questions back and "I don't know": read per language from the phrase files, checked on load."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.languages import LANGUAGE_CODES
from nlu.phrases import PHRASE_DIR, PhraseFileError, _read
from nlu.questions import is_dont_know, is_question_back

QUESTIONS_BACK = {
    "en": ["what?", "What do you mean?", "why", "?", "huh", "i don't understand", "what do you mean by tenure"],
    "cy": ["beth?", "pam", "dwi ddim yn deall"],
    "pl": ["co?", "co to znaczy?", "dlaczego", "nie rozumiem"],
    "ro": ["ce?", "ce înseamnă?", "de ce", "nu înțeleg"],
    "ur": ["کیا؟", "کیا مطلب", "kya matlab", "کیوں"],
    "bn": ["কি?", "মানে কি", "কেন", "bujhlam na"],
    "ar": ["ماذا؟", "شو قصدك", "ليش", "ما فهمت"],
    "so": ["maxaa?", "maxaad ula jeeddaa", "ma fahmin"],
    "pt": ["o quê?", "como assim", "porquê?", "não percebi"],
    "uk": ["що?", "що це означає", "чому", "не розумію"],
}
STORIES = ["why is my landlord taking my deposit and changing the locks on me", "my landlord wants me out",
           "co mam zrobić, właściciel chce mnie wyrzucić z mieszkania do końca miesiąca", "1", "yes", "Dave"]


@pytest.mark.parametrize(("language", "text"), [(lang, t) for lang, texts in QUESTIONS_BACK.items() for t in texts])
def test_questions_back(language: str, text: str) -> None:
    assert is_question_back(text, language)


@pytest.mark.parametrize("language", LANGUAGE_CODES)
@pytest.mark.parametrize("text", STORIES)
def test_stories_and_answers_are_not_questions_back(language: str, text: str) -> None:
    assert not is_question_back(text, language)


@pytest.mark.parametrize("text", ["not that i know of", "no date", "don't know", "no idea", "dunno", "Not sure."])
def test_not_knowing(text: str) -> None:
    assert is_dont_know(text, "en")


@pytest.mark.parametrize("text", ["no", "yes", "15 january", "the hearing is on monday"])
def test_not_not_knowing(text: str) -> None:
    assert not is_dont_know(text, "en")


def test_a_phrase_file_without_questions_back_is_refused(tmp_path: Path) -> None:
    text = (PHRASE_DIR / "en.yml").read_text(encoding="utf-8")
    broken = tmp_path / "en.yml"
    emptied = text.replace("  questions_back:", "  questions_back: []\n  old_questions_back:")
    broken.write_text(emptied, encoding="utf-8")
    with pytest.raises(PhraseFileError, match="conversation"):
        _read(broken)
