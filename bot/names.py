"""The name in a client's answer to "What name should they use for you?".

"its Dave", "I'm Dave", "my name is Dave", "nazywam się Anna", "mera naam Ali hai" -> the
name alone, as the client wrote it (case and accents kept). The words around a name are
data (``conversation.name_intros`` / ``name_endings`` in ``nlu/phrases/<lang>.yml``, the
conversation's language and English). Pure: no state, no I/O.
"""

from __future__ import annotations

from functools import cache

from core.languages import LANGUAGE_CODES
from core.text import fold_arabic, normalise
from nlu.phrases import load_phrases

__all__ = ["extract_name"]

MAX_NAME = 100
_TRIM = ".,;:!?\"'“”‘’()[]-–—"


def _fold(text: str) -> str:
    return fold_arabic(normalise(text))


@cache
def _forms(language: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    codes = [language if language in LANGUAGE_CODES else "en"]
    if "en" not in codes:
        codes.append("en")
    intros = {_fold(p) for code in codes for p in load_phrases(code).conversation.name_intros}
    endings = {_fold(p) for code in codes for p in load_phrases(code).conversation.name_endings}
    return _longest_first(intros), _longest_first(endings)


def _longest_first(forms: set[str]) -> tuple[str, ...]:
    return tuple(sorted(forms - {""}, key=len, reverse=True))


def _cut(words: list[str], forms: tuple[str, ...], *, front: bool) -> list[str]:
    """``words`` without the first (or last) few words that make one of ``forms``."""
    for size in range(min(5, len(words) - 1), 0, -1):
        part = words[:size] if front else words[-size:]
        if _fold(" ".join(part)) in forms:
            return words[size:] if front else words[:-size]
    return words


def extract_name(text: str, language: str = "en") -> str:
    """The name in ``text``, without "my name is" and the like; "" when there is nothing."""
    words = [w for w in (word.strip(_TRIM) for word in text.split()) if w]
    intros, endings = _forms(language)
    words = _cut(words, intros, front=True)
    words = _cut(words, endings, front=False)
    return " ".join(words)[:MAX_NAME]
