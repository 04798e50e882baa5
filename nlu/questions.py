"""Messages that are not answers: a question back ("what?", "why") or "I don't know".

A client who asks what we mean must get an explanation, and their "what?" must never be
stored as their problem, their date or their name. The phrases are data
(``conversation`` in ``nlu/phrases/<lang>.yml``), read in the conversation's language
and in English. Only short messages count: "why is my landlord doing this" is a story.
"""

from __future__ import annotations

import re
from functools import cache

from core.languages import LANGUAGE_CODES
from core.text import fold_arabic, normalise
from nlu.phrases import load_phrases

__all__ = ["is_dont_know", "is_question_back"]

_ONLY_MARKS = re.compile(r"[\s?؟¿;\u037e!.…]+")
_MAX_WORDS = 8  # "what do you mean by that exactly" is a question back; a longer message is not


def _fold(text: str) -> str:
    return fold_arabic(normalise(text))


@cache
def _phrases(language: str, kind: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """Whole-message forms, and the longer forms that may also start a short message."""
    codes = {language if language in LANGUAGE_CODES else "en", "en"}
    forms = {_fold(p) for code in codes for p in getattr(load_phrases(code).conversation, kind)}
    forms.discard("")
    starts = tuple(sorted((f for f in forms if " " in f), key=len, reverse=True))
    return frozenset(forms), starts


def _matches(text: str, language: str, kind: str) -> bool:
    folded = _fold(text)
    if not folded:
        return False
    whole, starts = _phrases(language, kind)
    if folded in whole:
        return True
    return len(folded.split()) <= _MAX_WORDS and any(folded.startswith(f"{form} ") for form in starts)


def is_question_back(text: str, language: str = "en") -> bool:
    """The client asks us what we mean ("what?", "?", "co to znaczy", "کیا مطلب")."""
    stripped = text.strip()
    if stripped and _ONLY_MARKS.fullmatch(stripped) and any(ch in "?؟¿;\u037e" for ch in stripped):
        return True
    return _matches(text, language, "questions_back")


def is_dont_know(text: str, language: str = "en") -> bool:
    """The client does not know ("no idea", "not that i know of", "nie wiem"): nothing to record."""
    return _matches(text, language, "dont_know")
