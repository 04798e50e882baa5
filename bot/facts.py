"""What a message already tells us, so the bot never asks for it again.

A first message may hold the place ("LU2 7AB", "in Luton"), a date ("end of the month"),
a contact wish ("text me", "call after 5"), needs ("I need a Polish interpreter", "I'm
deaf"), the client's name ("my name is Anna") and their home (tenure). The words are data:
``journey`` in ``nlu/phrases/<lang>.yml`` (the conversation's language and English, which
clients mix in). Pure: text in, :class:`Facts` out; the engine decides what to keep.

Matching is on whole words after :func:`core.text.normalise` plus a few foldings (Arabic
letter forms, Polish ``ł``, Bengali nukta and chandrabindu, non-Latin digits).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from core.languages import LANGUAGE_CODES
from core.text import fold_arabic, normalise
from directory.areas import Place, resolve_place
from nlu.phrases import load_phrases

__all__ = ["Facts", "fold", "guess_language", "menu_names", "pick_words", "read_facts"]

_FULL_POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][0-9A-Z]?\s*[0-9][A-Z]{2}\b")
_DISTRICT = re.compile(r"\b[A-Z]{1,2}[0-9][0-9A-Z]?\b")
_TOWN_INTRO = re.compile(r"\b(?:in|near|from|at|live in|living in)\s+([A-Za-z][A-Za-z -]{2,30})", re.IGNORECASE)
_TIME_NUMBER = re.compile(r"^\d{1,2}(?:[:.]\d{2})?(?:am|pm|pm\b)?$")
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@dataclass(frozen=True)
class Facts:
    """What one message said without being asked; every field is None (or empty) when it said nothing."""

    place: Place | None = None
    contact_method: str | None = None
    contact_times: str | None = None  # "after 5", "mornings": when to contact, in their words
    needs: tuple[str, ...] = ()  # keys of prompts.NEEDS_OPTIONS
    interpreter_language: str | None = None  # "Sylheti": kept in the referral's communication needs
    name: str | None = None
    tenure: str | None = None
    month_end: dt.date | None = None  # "end of the month"

    def __bool__(self) -> bool:
        return any((self.place, self.contact_method, self.contact_times, self.needs, self.interpreter_language,
                    self.name, self.tenure, self.month_end))


def fold(text: str) -> str:
    """Lower case, accents and punctuation off, letter variants folded; digits as ASCII."""
    text = unicodedata.normalize("NFD", text)
    text = text.replace("\u09bc", "").replace("\u0981", "")  # Bengali nukta, chandrabindu
    text = "".join(str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch for ch in text)
    folded = fold_arabic(normalise(unicodedata.normalize("NFC", text)))
    return folded.replace("ł", "l")


def _codes(language: str) -> tuple[str, ...]:
    code = language if language in LANGUAGE_CODES else "en"
    return (code,) if code == "en" else (code, "en")


@cache
def menu_names(menu: str, language: str, weak: bool = False) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``(value, phrases)`` of one menu's options in ``language`` and English (``nlu/phrases``), folded."""
    merged: dict[str, list[str]] = {}
    for code in _codes(language):
        journey = load_phrases(code).journey
        table: Mapping[str, Mapping[str, tuple[str, ...]]] = journey.weak if weak else journey.options
        for value, phrases in table.get(menu, {}).items():
            merged.setdefault(value, []).extend(fold(p) for p in phrases)
    return tuple((value, tuple(dict.fromkeys(p for p in phrases if p))) for value, phrases in merged.items())


def _has(padded: str, phrase: str) -> bool:
    return bool(phrase) and f" {phrase} " in padded


def pick_words(text: str, options: Sequence[tuple[str, Iterable[str]]], language: str = "en") -> list[str]:
    """Every option whose phrase is in ``text`` as whole words, in menu order (phrases already folded).

    Masked phrases ("council tax") are taken out first, so their words pick nothing.
    """
    padded = f" {fold(text)} "
    for mask in _journey_list("masks", language):
        padded = padded.replace(f" {mask} ", "  ")
    return [value for value, phrases in options if any(_has(padded, p) for p in phrases)]


def _one(text: str, menu: str, language: str) -> str | None:
    strong = pick_words(text, menu_names(menu, language), language)
    if len(strong) == 1:
        return strong[0]
    if strong:
        return None
    weak = pick_words(text, menu_names(menu, language, weak=True), language)
    return weak[0] if len(weak) == 1 else None


@cache
def _journey_list(field: str, language: str) -> tuple[str, ...]:
    found: list[str] = []
    for code in _codes(language):
        found.extend(fold(p) for p in getattr(load_phrases(code).journey, field))
    return tuple(sorted(dict.fromkeys(p for p in found if p), key=len, reverse=True))


@cache
def _interpreter_languages(language: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    merged: dict[str, list[str]] = {}
    for code in _codes(language):
        for name, phrases in load_phrases(code).journey.interpreter_languages.items():
            merged.setdefault(name, []).extend(fold(p) for p in phrases)
    return tuple((name, tuple(p for p in phrases if p)) for name, phrases in merged.items())


def interpreter_language(text: str, language: str) -> str | None:
    """The language or dialect named in ``text`` ("Sylheti", "Pothwari"), in English; None when none or two."""
    found = pick_words(text, _interpreter_languages(language))
    return found[0] if len(found) == 1 else None


def contact_times(text: str, language: str) -> str | None:
    """When to contact, in the client's words: "after 5", "5 بجے کے بعد", "mornings"; None when not said."""
    words = fold(text).split()
    for phrase in _journey_list("time_before_number", language):
        size = len(phrase.split())
        for i in range(len(words) - size + 1):
            if " ".join(words[i:i + size]) != phrase:
                continue
            after = words[i + size:i + size + 2]
            before = words[max(0, i - 2):i]
            if after and _TIME_NUMBER.match(after[0]):
                end = i + size + (2 if len(after) > 1 and after[1] in ("am", "pm", "pm.") else 1)
                return " ".join(words[i:end])
            numbered = [j for j, w in enumerate(before) if re.match(r"^\d{1,2}", w)]
            if numbered:
                start = max(0, i - 2) + numbered[0]
                return " ".join(words[start:i + size])
    padded = f" {' '.join(words)} "
    for phrase in _journey_list("times", language):
        if _has(padded, phrase):
            return phrase
    return None


def month_end(text: str, language: str, today: dt.date) -> dt.date | None:
    """The last day of this month when the client says "end of the month" (next month's on the day itself)."""
    padded = f" {fold(text)} "
    if not any(_has(padded, p) for p in _journey_list("month_end", language)):
        return None
    last = calendar.monthrange(today.year, today.month)[1]
    if today.day < last:
        return today.replace(day=last)
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def name_in(text: str, language: str) -> str | None:
    """The name after "my name is" (and the like) inside a longer message, as written; None when absent."""
    raw = text.split()
    folded = [fold(w) for w in raw]
    for phrase in _journey_list("name_in_sentence", language):
        size = len(phrase.split())
        for i in range(len(folded) - size + 1):
            if " ".join(folded[i:i + size]) == phrase and i + size < len(raw):
                word = raw[i + size].strip(".,;:!?\"'()")
                if _NAME_WORD.fullmatch(word) and (not word.isascii() or word[:1].isupper()):
                    return word
    return None


def _place(text: str) -> Place | None:
    """A full postcode, a district of ours ("LU2") or a town named after "in"/"near"; never a guess from any word."""
    upper = text.upper()
    full = _FULL_POSTCODE.search(upper)
    if full:
        return resolve_place(full.group(0))
    for match in _DISTRICT.finditer(upper):
        place = resolve_place(match.group(0))
        if place is not None and place.covered and place.label == match.group(0):
            return place
    for match in _TOWN_INTRO.finditer(text):
        place = resolve_place(match.group(1))
        if place is not None and place.postcode is None and not _DISTRICT.fullmatch(place.label.upper()):
            return place
    return None


@cache
def _negations(language: str) -> frozenset[str]:
    return frozenset(fold(w) for code in _codes(language) for w in load_phrases(code).answers.negations)


def _denied(text: str, need: str, language: str) -> bool:
    """ "no interpreter", "I don't need large print": a negation in the five words before the need's phrase."""
    words = fold(text).split()
    phrases = dict(menu_names("needs", language)).get(need, ())
    negations = _negations(language)
    for phrase in phrases:
        size = len(phrase.split())
        for i in range(len(words) - size + 1):
            before = f" {' '.join(words[max(0, i - 5):i])} "
            if " ".join(words[i:i + size]) == phrase and any(f" {n} " in before for n in negations):
                return True
    return False


def read_facts(text: str, language: str, today: dt.date, *, first: bool = True) -> Facts:
    """Everything ``text`` says about place, contact, needs, name, tenure and an end-of-month date.

    ``first``: the message is the client's story, not an answer to the contact question, so a contact
    time counts only beside a contact wish ("call me after 5", not "this morning I got a letter").
    """
    needs = [n for n in pick_words(text, menu_names("needs", language), language) if not _denied(text, n, language)]
    spoken = interpreter_language(text, language)
    if spoken and "interpreter" not in needs and not first:
        needs.insert(0, "interpreter")
    prefer = _one(text, "prefer", language) if first else _one(text, "contact", language)
    times = contact_times(text, language) if (prefer or not first) else None
    return Facts(
        place=_place(text),
        contact_method=prefer,
        contact_times=times,
        needs=tuple(needs),
        interpreter_language=spoken if "interpreter" in needs else None,
        name=name_in(text, language),
        tenure=_one(text, "tenure", language) if first else None,
        month_end=month_end(text, language, today),
    )


_URDU_ONLY = frozenset("ےٹڈڑںھ")  # letters Urdu writes and Arabic (and Persian) do not
_UKRAINIAN_ONLY = frozenset("іїєґ")
_MIN_WORDS = 3


@cache
def _common_words() -> dict[str, frozenset[str]]:
    return {code: frozenset(fold(w) for w in load_phrases(code).journey.common_words) for code in LANGUAGE_CODES}


def _share(letters: list[str], low: str, high: str) -> float:
    return sum(1 for ch in letters if low <= ch <= high) / len(letters)


def guess_language(text: str) -> str | None:
    """The language of a message of three words or more when it is plain, else None (never a guess).

    For when the classifier says nothing (the keyword classifier detects no language): the script
    decides for Bengali, Ukrainian, Urdu and Arabic; in Latin letters, a language's common words
    (``journey.common_words``) must appear at least twice and twice as often as any other's.
    """
    letters = [ch for ch in text.lower() if ch.isalpha()]
    if len(text.split()) < _MIN_WORDS or not letters:
        return None
    if _share(letters, "\u0980", "\u09ff") >= 0.5:
        return "bn"
    if _share(letters, "\u0400", "\u04ff") >= 0.5:
        return "uk" if _UKRAINIAN_ONLY.intersection(letters) or not set("ыэъё").intersection(letters) else None
    if _share(letters, "\u0600", "\u06ff") >= 0.5:
        return "ur" if sum(1 for ch in letters if ch in _URDU_ONLY) >= 2 else "ar"
    words = set(fold(text).split())
    padded = f" {fold(text)} "
    hits = sorted(((sum(1 for w in common if (" " in w and f" {w} " in padded) or w in words), code)
                   for code, common in _common_words().items()), reverse=True)
    (best, code), (second, _other) = hits[0], hits[1]
    return code if best >= 2 and best >= 2 * second else None
