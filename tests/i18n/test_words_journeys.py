"""A client of each language answers every question in words, never a menu number.

The first message is the problem in their language (so the language is detected, not
picked), then yes/no words, a tenure in words, a postcode, a name. We count client
messages to the referral and "didn't understand" replies, per language, write the table
to ``var/words-journeys.txt`` and hold every language to English + 2 messages and at
most one "didn't understand" (issue: a client who writes in Urdu, Bengali or Arabic
gets the same service as one who writes in English).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.i18n import get_translator
from bot.replies import render_plain
from bot.service import ConversationService
from core.languages import LANGUAGE_CODES, get_language
from nlu.phrases import load_phrases
from referrals.models import Referral
from tests.i18n.test_language_journeys import HOUSING_PROBLEM

REPORT = Path("var") / "words-journeys.txt"
MAX_MESSAGES = 14
ROWS: dict[str, tuple[int, int]] = {}


def _answer(language: str, step: str) -> str:
    """What a client of ``language`` writes at ``step``, in words."""
    phrases = load_phrases(language)
    yes, no = phrases.answers.yes[0], phrases.answers.no[0]
    words = {
        "language": get_language(language).own_name,
        "describe": HOUSING_PROBLEM[language],
        "confirm_issues": yes,
        "tenure": phrases.journey.options["tenure"]["private_rent"][0],
        "deadline_confirm": no, "deadline_ask": no, "court_papers": no,
        "postcode": "LU2 7AB",
        "contact_method": yes, "contact_detail": "07700 900123",
        "needs": no, "safe_message": yes, "safe_times": phrases.journey.times[0],
        "consent": yes, "name": "Anna",
    }
    assert step in words, f"{language}: no words for step {step!r}"
    return words[step]


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_every_question_answered_in_words(language: str, service: ConversationService) -> None:
    address = f"+4477008{LANGUAGE_CODES.index(language):05d}"
    not_understood = get_translator(language).gettext("Sorry, I didn't understand that.")
    transcript: list[str] = []
    text, messages, missed, step = HOUSING_PROBLEM[language], 0, 0, ""
    while step != "done":
        handled = service.handle_sync("sms", address, text)
        messages += 1
        shown = "\n".join(render_plain(r) for r in handled.replies)
        transcript.append(f"> {text}\n{shown}")
        missed += shown.count(not_understood)
        step = handled.step
        assert messages <= MAX_MESSAGES, "\n\n".join(transcript)
        if step != "done":
            text = _answer(language, step)
    with service._factory() as session:  # noqa: SLF001 - tests read what was written
        referral = session.scalars(select(Referral).where(Referral.client_address == address)).one()
        assert referral.consent.granted and referral.language == language, "\n\n".join(transcript)
    ROWS[language] = (messages, missed)
    assert missed <= 1, f"{language}: {missed} 'didn't understand'\n\n" + "\n\n".join(transcript)
    if language != "en" and "en" in ROWS:
        assert messages <= ROWS["en"][0] + 2, "\n\n".join(transcript)


@pytest.fixture(scope="module", autouse=True)
def _report() -> object:
    yield None
    if not ROWS:
        return
    lines = [f"{'language':8} {'client messages':>15} {'not understood':>15}"]
    lines += [f"{lang:8} {ROWS[lang][0]:15d} {ROWS[lang][1]:15d}" for lang in LANGUAGE_CODES if lang in ROWS]
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\nJourneys answered in words\n" + "\n".join(lines))
