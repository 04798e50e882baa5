"""Read a client's answer to a menu: a number, several numbers, or the words of an option."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from bot.facts import fold
from core.languages import LANGUAGE_CODES
from core.text import normalise
from nlu.answers import read_answer
from nlu.phrases import all_phrases, load_phrases

__all__ = ["pick_many", "pick_one", "read_consent"]

_NUMBER = re.compile(r"(?<![\d£$€.,/])(\d{1,2})(?![\d/.:]\d)")
# "1 3", "option 2", "1, 3 and 5" (with "and" in the supported languages)
_NUMBERS_ONLY = re.compile(r"(?:(?:option|number|no|nr|nº)?\s*\d{1,2}\s*(?:and|&|i|si|e|a|ac|и|і|و|oo)?\s*)+")


def pick_one(text: str, options: Sequence[tuple[str, Sequence[str]]]) -> str | None:
    """The value of the option the message picks, or None.

    ``options`` are ``(value, names)`` in menu order (option 1 first); a message
    picks one by its number ("2", "option 2", "2."), or by one of its names
    ("english", "Phone call"), matched on whole words.
    """
    picked = pick_many(text, options)
    return picked[0] if len(picked) == 1 else None


def pick_many(text: str, options: Sequence[tuple[str, Sequence[str]]]) -> list[str]:
    """Every option the message picks ("1 3", "1, 3 and 5", "text and phone"), in menu order."""
    norm = normalise(text)
    if not norm:
        return []
    chosen: set[int] = set()
    numbers = _NUMBER.findall(norm)
    only_numbers = re.fullmatch(_NUMBERS_ONLY, norm)
    if numbers and only_numbers:
        for number in numbers:
            index = int(number) - 1
            if 0 <= index < len(options):
                chosen.add(index)
        return [options[i][0] for i in sorted(chosen)]
    padded = f" {norm} "
    for index, (_value, names) in enumerate(options):
        for name in names:
            key = normalise(name)
            if key and f" {key} " in padded:
                chosen.add(index)
                break
    return [options[i][0] for i in sorted(chosen)]


@cache
def _negations() -> frozenset[str]:
    """Every supported language's negation words: any of them in a subset answer makes it unclear."""
    return frozenset(normalise(w) for phrases in all_phrases().values() for w in phrases.answers.negations)


@cache
def _consent_words(language: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    codes = [language if language in LANGUAGE_CODES else "en", "en"]
    every = {fold(p) for c in codes for p in load_phrases(c).journey.consent_all}
    fillers = {fold(p) for c in codes for p in load_phrases(c).journey.consent_fillers}
    return _longest_first(every), _longest_first(fillers)


def _longest_first(words: set[str]) -> tuple[str, ...]:
    return tuple(sorted(words - {""}, key=len, reverse=True))


def read_consent(text: str, language: str, count: int) -> frozenset[int] | None:
    """Which of ``count`` numbered organisations the client agrees to (0-based); None when unclear.

    A consent is never guessed. "no" (any refusal ``nlu.answers.read_answer`` reads) is the
    empty set; a clean "yes" or "yes to all" is all of them; a subset is only option numbers
    with filler words around them ("1 only", "just 2", "1 and 3"). Any negation word of any
    supported language in a subset answer ("1 not 2", "tak 1 nie 2") makes it unclear, so it
    is asked again; so does a number that is not on the list.
    """
    answer = read_answer(text, language)
    if answer == "no":  # "1 not 2" refuses something but names a number: asked again, not read as all refused
        return None if any(ch.isdigit() for ch in fold(text)) else frozenset()
    padded = f" {fold(text)} "
    if answer == "yes" and not any(ch.isdigit() for ch in padded):  # "yes 1" names one: read as a subset
        return frozenset(range(count))
    tokens = padded.split()
    if not tokens or _negations().intersection(tokens):
        return None
    every, fillers = _consent_words(language)
    if any(f" {phrase} " in padded for phrase in every):
        rest = padded
        for phrase in (*every, *fillers):
            rest = rest.replace(f" {phrase} ", " ")
        return frozenset(range(count)) if not rest.split() else None
    for phrase in fillers:
        while f" {phrase} " in padded:
            padded = padded.replace(f" {phrase} ", " ")
    numbers = padded.split()
    if not numbers or not all(word.isdigit() and 1 <= int(word) <= count for word in numbers):
        return None
    return frozenset(int(word) - 1 for word in numbers)
