"""A deterministic keyword/phrase classifier: the fallback behind the Rasa client.

It implements the same :class:`nlu.result.Classifier` interface as the Rasa client,
so the engine never knows which one answered. It runs when Rasa is down, slow or
unsure, and its crisis phrases run on every message whatever else answered:
a risk to life must never depend on a model being up.

The phrases are data: ``crisis``, ``categories`` and ``deadline`` in each language's
``nlu/phrases/<lang>.yml`` (their syntax is in ``nlu/phrases/README.md``). Every
language's phrases run on every message: clients mix languages and English words of the
UK system. Text and phrases both go through :func:`core.text.normalise` (lower case,
accents off Latin letters, punctuation to spaces) after apostrophes inside words are
dropped ("don't" -> "dont", "б'є" -> "бє"), then a few spelling folds (Polish "ł",
Arabic/Urdu letter variants and harakat, Bengali nukta and chandrabindu, zero-width
joiners, non-Latin digits).

All phrases of one table compile into one regex built as a trie, once (``lru_cache``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from core.categories import CATEGORY_IDS
from core.languages import LANGUAGE_CODES
from core.text import normalise
from nlu.dates import find_dates
from nlu.phrases import all_phrases, load_phrases
from nlu.result import FoundDate, NluResult

__all__ = ["CATEGORY_PHRASES", "CRISIS_PHRASES", "KeywordClassifier", "find_categories", "is_crisis", "is_deadline",
           "mentions_deadline"]

# --- phrase tables (nlu/phrases/<lang>.yml) ----------------------------------------------------------
# When phrases of two categories start at the same place in a message, the category earlier here comes
# first: the order of the tables when they were Python, kept so that no answer changed with the move.
_TIE_ORDER = ("housing", "debt", "benefits", "employment", "immigration", "family", "domestic_abuse", "consumer",
              "discrimination", "education", "health_social_care", "other")


def _merge(tables: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    """One phrase tuple from several tables, first occurrence kept (stable order, no duplicates)."""
    return tuple(dict.fromkeys(phrase for table in tables for phrase in table))


_LANGUAGES = tuple(all_phrases().values())
CATEGORY_PHRASES: dict[str, tuple[str, ...]] = {
    category: _merge(phrases.categories.get(category, ()) for phrases in _LANGUAGES)
    for category in (*_TIE_ORDER, *(c for c in CATEGORY_IDS if c not in _TIE_ORDER))
}
CRISIS_PHRASES: tuple[str, ...] = _merge(
    [*(phrases.crisis.now for phrases in _LANGUAGES), *(phrases.crisis.passive for phrases in _LANGUAGES)])
_DEADLINE_WORDS: tuple[str, ...] = _merge(phrases.deadline for phrases in _LANGUAGES)
_AT_HOME_WORDS = _merge(phrases.crisis.someone_at_home for phrases in _LANGUAGES)
# Whole words, looked for in the plainly normalised text (no folds, apostrophes kept as spaces).
_SOMEONE_AT_HOME = re.compile(
    rf"(?<!\w)(?:{'|'.join(re.escape(normalise(word)) for word in _AT_HOME_WORDS)})(?!\w)" if _AT_HOME_WORDS
    else r"(?!)")

# --- matching -----------------------------------------------------------------------------------------

_GAP_WORDS = 5  # "a .. b": up to this many words between a and b
_WORD_GAP = rf"(?: \S+){{0,{_GAP_WORDS}}} "
_SUB_GAP = rf"\S*(?: \S+){{0,{_GAP_WORDS}}} \S*"
_WORD_END = r"(?!\w)"
_STEM_TAIL = r"\w*"
_APOSTROPHE = re.compile(r"(?<=\w)['’‘`ʼ](?=\w)")
_FOLD: dict[int, str | None] = {
    **{ord(k): v for k, v in {
        "ł": "l", "ґ": "г", "ё": "е",
        # Arabic script: alef forms, hamza seats, alef maqsura/farsi yeh, ta marbuta and heh forms, keheh
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ي", "ى": "ي", "ی": "ي", "ة": "ه", "ۃ": "ه",
        "ہ": "ه", "ک": "ك", "ں": "ن",
    }.items()},
    **{cp: None for cp in range(0x064B, 0x0660)},  # harakat
    0x0670: None, 0x0640: None,  # superscript alef, tatweel
    0x09BC: None, 0x0981: None,  # Bengali nukta, chandrabindu
    0x200B: None, 0x200C: None, 0x200D: None, 0x200E: None, 0x200F: None,
    **{0x0660 + i: str(i) for i in range(10)},  # Arabic-Indic digits
    **{0x06F0 + i: str(i) for i in range(10)},  # Extended Arabic-Indic (Urdu) digits
    **{0x09E6 + i: str(i) for i in range(10)},  # Bengali digits
}


@lru_cache(maxsize=256)
def _norm(text: str) -> str:
    """The form phrases and messages are compared in (see the module docstring)."""
    return " ".join(normalise(_APOSTROPHE.sub("", text)).translate(_FOLD).split())


def _atoms(phrase: str) -> tuple[bool, list[str]]:
    """(substring?, regex pieces) for one phrase; no pieces when the phrase is empty once normalised."""
    substring = phrase.startswith("~")
    segments = (phrase[1:] if substring else phrase).split(" .. ")
    atoms: list[str] = []
    for i, segment in enumerate(segments):
        body = _norm(segment)
        if not body.strip("* "):
            return substring, []
        if i:
            atoms.append(_SUB_GAP if substring else _WORD_GAP)
        last = i == len(segments) - 1
        for j, ch in enumerate(body):
            if ch != "*":
                atoms.append(re.escape(ch))
            elif not (last and j == len(body) - 1):  # a final "*" needs nothing: the match may stop anywhere
                atoms.append(r"\S*" if substring else _STEM_TAIL)
        if not substring and not body.endswith("*"):
            atoms.append(_WORD_END)
    return substring, atoms


def _trie(sequences: Iterable[list[str]]) -> str:
    """One regex matching any of ``sequences`` (lists of regex pieces), shared prefixes merged."""
    root: dict[str, dict[str, object]] = {}
    for sequence in sequences:
        node = root
        for atom in sequence:
            node = node.setdefault(atom, {})  # type: ignore[assignment]
        node[""] = {}
    return _emit(root)


def _emit(node: Mapping[str, object]) -> str:
    alternatives = [atom + _emit(child) for atom, child in node.items() if atom and isinstance(child, Mapping)]
    if "" in node and alternatives:
        alternatives.append("")
    if len(alternatives) <= 1:
        return alternatives[0] if alternatives else ""
    return "(?:" + "|".join(alternatives) + ")"


@lru_cache(maxsize=64)
def _compile(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for a phrase list: a trie of word-start phrases, and one of "~" substrings."""
    words: list[list[str]] = []
    substrings: list[list[str]] = []
    for phrase in phrases:
        substring, atoms = _atoms(phrase)
        if atoms:
            (substrings if substring else words).append(atoms)
    parts = ([r"(?<!\w)" + _trie(words)] if words else []) + ([_trie(substrings)] if substrings else [])
    return re.compile("|".join(parts) if parts else r"(?!)")


def find_categories(text: str) -> tuple[str, ...]:
    """Categories mentioned in ``text``, in the order the client first raised them."""
    norm = _norm(text)
    first_seen: dict[str, int] = {}
    for cid, phrases in CATEGORY_PHRASES.items():
        match = _compile(phrases).search(norm)
        if match is not None:
            first_seen[cid] = match.start()
    return tuple(sorted(first_seen, key=first_seen.__getitem__))


def is_crisis(text: str) -> bool:
    """True when ``text`` speaks of a risk to life, violence now, self-harm or a child at risk."""
    return bool(_compile(CRISIS_PHRASES).search(_norm(text)))


def mentions_deadline(text: str) -> bool:
    """A ``deadline`` phrase of any language anywhere in ``text`` (past or not: see :func:`is_deadline`)."""
    return bool(_compile(_DEADLINE_WORDS).search(_norm(text)))


# --- deadlines ----------------------------------------------------------------------------------------
# A date in a message is not always something to act by: "I was born on 12/03/1985", "the tribunal was
# on 3 March", "my appointment was yesterday". Every sign of a deadline (a date the date finder found, a
# ``deadline`` phrase such as "within 14 days", "din ke andar", "er moddhe") is a candidate; a candidate
# is dropped when its date is before today (a year was written and it is gone), or when a
# ``not_deadline`` word ("ago", "was", "born", "yesterday", "tha", "chilo", "كان", "temu") stands within
# a few words of it. The rule is local on purpose: in "she was shouting at me and the hearing is on
# friday the 12th" the "was" is too far from the date to cancel it. The message's language is read
# with English, which clients mix in ("DOB", "last week").
_DEADLINE_WINDOW_WORDS = 4


@lru_cache(maxsize=16)
def _deadline_tables(language: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    codes = (language,) if language == "en" else (language, "en")
    deadline = _merge(load_phrases(code).deadline for code in codes)
    past = _merge(load_phrases(code).not_deadline for code in codes)
    return _compile(deadline), _compile(past)


def _around(norm: str, start: int, end: int) -> str:
    before = norm[:start].split()[-_DEADLINE_WINDOW_WORDS:]
    after = norm[end:].split()[:_DEADLINE_WINDOW_WORDS]
    return " ".join([*before, norm[start:end], *after])


def is_deadline(text: str, language: str | None, dates: Iterable[FoundDate], today: dt.date) -> bool:
    """True when ``text`` states something to act by, or a dated event still to come (rule above)."""
    deadline_words, past_words = _deadline_tables(language if language in LANGUAGE_CODES else "en")
    norm = _norm(text)
    candidates: list[tuple[int, int]] = []
    for found in dates:
        if found.value < today:
            continue
        span = _norm(found.text)
        at = norm.find(span) if span else -1
        candidates.append((at, at + len(span)) if at >= 0 else (0, 0))
    candidates.extend(match.span() for match in deadline_words.finditer(norm))
    return any(past_words.search(_around(norm, start, end)) is None for start, end in candidates)


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
        deadline = is_deadline(text, language, dates, today)
        return NluResult(categories=categories, crisis=crisis, deadline=deadline, dates=dates, language=None,
                         confidence=1.0 if categories else 0.0, source="keywords")
