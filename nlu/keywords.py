"""A deterministic keyword/phrase classifier: the fallback behind the Rasa client.

It implements the same :class:`nlu.result.Classifier` interface as the Rasa client,
so the engine never knows which one answered. It runs when Rasa is down, slow or
unsure, and its crisis phrases run on every message whatever else answered:
a risk to life must never depend on a model being up.

The phrases are data: ``crisis``, ``categories`` and ``deadline`` in each language's
``nlu/phrases/<lang>.yml`` (their syntax is in ``nlu/phrases/README.md``). Every
language's phrases run on every message: clients mix languages and English words of the
UK system. How text and phrases are compared is :mod:`nlu.phrase_match`; whether a
message states a deadline is :mod:`nlu.deadlines`.
"""

from __future__ import annotations

import datetime as dt
import re

from core.categories import CATEGORY_IDS
from core.text import normalise
from nlu.dates import find_dates
from nlu.deadlines import is_deadline
from nlu.phrase_match import compile_phrases, merge, norm
from nlu.phrases import all_phrases
from nlu.result import NluResult

__all__ = ["CATEGORY_PHRASES", "CRISIS_PHRASES", "KeywordClassifier", "find_categories", "is_crisis", "is_deadline",
           "mentions_deadline"]

# --- phrase tables (nlu/phrases/<lang>.yml) ----------------------------------------------------------
# When phrases of two categories start at the same place in a message, the category earlier here comes
# first: the order of the tables when they were Python, kept so that no answer changed with the move.
_TIE_ORDER = ("housing", "debt", "benefits", "employment", "immigration", "family", "domestic_abuse", "consumer",
              "discrimination", "education", "health_social_care", "other")


_LANGUAGES = tuple(all_phrases().values())
CATEGORY_PHRASES: dict[str, tuple[str, ...]] = {
    category: merge(phrases.categories.get(category, ()) for phrases in _LANGUAGES)
    for category in (*_TIE_ORDER, *(c for c in CATEGORY_IDS if c not in _TIE_ORDER))
}
CRISIS_PHRASES: tuple[str, ...] = merge(
    [*(phrases.crisis.now for phrases in _LANGUAGES), *(phrases.crisis.passive for phrases in _LANGUAGES)])
_DEADLINE_WORDS: tuple[str, ...] = merge(phrases.deadline for phrases in _LANGUAGES)
_AT_HOME_WORDS = merge(phrases.crisis.someone_at_home for phrases in _LANGUAGES)
# Whole words, looked for in the plainly normalised text (no folds, apostrophes kept as spaces).
_SOMEONE_AT_HOME = re.compile(
    rf"(?<!\w)(?:{'|'.join(re.escape(normalise(word)) for word in _AT_HOME_WORDS)})(?!\w)" if _AT_HOME_WORDS
    else r"(?!)")


def find_categories(text: str) -> tuple[str, ...]:
    """Categories mentioned in ``text``, in the order the client first raised them."""
    folded = norm(text)
    first_seen: dict[str, int] = {}
    for cid, phrases in CATEGORY_PHRASES.items():
        match = compile_phrases(phrases).search(folded)
        if match is not None:
            first_seen[cid] = match.start()
    return tuple(sorted(first_seen, key=first_seen.__getitem__))


def is_crisis(text: str) -> bool:
    """True when ``text`` speaks of a risk to life, violence now, self-harm or a child at risk."""
    return bool(compile_phrases(CRISIS_PHRASES).search(norm(text)))


def mentions_deadline(text: str) -> bool:
    """A ``deadline`` phrase of any language anywhere in ``text`` (past or not: see :func:`is_deadline`)."""
    return bool(compile_phrases(_DEADLINE_WORDS).search(norm(text)))


class KeywordClassifier:
    """Phrase tables + date search; deterministic, fast, no server needed."""

    async def classify(self, text: str, *, language: str | None, today: dt.date) -> NluResult:
        return self.classify_sync(text, language=language, today=today)

    def classify_sync(self, text: str, *, language: str | None, today: dt.date) -> NluResult:
        text = text[:5000]
        categories = find_categories(text)
        crisis = is_crisis(text)
        # find_categories already searched the domestic-abuse phrases: absent means they did not match.
        if crisis and "domestic_abuse" not in categories and _SOMEONE_AT_HOME.search(normalise(text)):
            categories = ("domestic_abuse", *categories)  # someone at home threatening the client's life
        dates = find_dates(text, language, today)
        deadline = is_deadline(text, language, dates, today, crisis=crisis)
        return NluResult(categories=categories, crisis=crisis, deadline=deadline, dates=dates, language=None,
                         confidence=1.0 if categories else 0.0, source="keywords")
