"""Phrase matching shared by the keyword classifier and the deadline rule.

Text and phrases both go through :func:`core.text.normalise` (lower case, accents off Latin letters,
punctuation to spaces) after apostrophes inside words are dropped ("don't" -> "dont", "б'є" -> "бє"),
then a few spelling folds (Polish "ł", Arabic/Urdu letter variants and harakat, Bengali nukta and
chandrabindu, zero-width joiners, non-Latin digits). The phrase syntax ("word", "stem*", "~text",
"a .. b") is in ``nlu/phrases/README.md``. All phrases of one table compile into one regex built as a
trie, once (``lru_cache``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from core.text import normalise

__all__ = ["compile_phrases", "merge", "norm"]


def merge(tables: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    """One phrase tuple from several tables, first occurrence kept (stable order, no duplicates)."""
    return tuple(dict.fromkeys(phrase for table in tables for phrase in table))


_GAP_WORDS = 5  # "a .. b": up to this many words between a and b
_WORD_GAP = rf"(?: \S+){{0,{_GAP_WORDS}}} "
_SUB_GAP = rf"\S*(?: \S+){{0,{_GAP_WORDS}}} \S*"
_WORD_END = r"(?!\w)"
_STEM_TAIL = r"\w*"
_APOSTROPHE = re.compile(r"(?<=\w)['’‘`ʼ](?=\w)")
# Clients on Latin keyboards type "i" for "і" inside Ukrainian words ("сьогоднi", "понедiлок").
_LATIN_I_IN_CYRILLIC = re.compile(r"(?<=[\u0400-\u04ff])i|i(?=[\u0400-\u04ff])")
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
def norm(text: str) -> str:
    """The form phrases and messages are compared in (see the module docstring)."""
    folded = normalise(_APOSTROPHE.sub("", text)).translate(_FOLD)
    return " ".join(_LATIN_I_IN_CYRILLIC.sub("і", folded).split())


def _atoms(phrase: str) -> tuple[bool, list[str]]:
    """(substring?, regex pieces) for one phrase; no pieces when the phrase is empty once normalised."""
    substring = phrase.startswith("~")
    segments = (phrase[1:] if substring else phrase).split(" .. ")
    atoms: list[str] = []
    for i, segment in enumerate(segments):
        body = norm(segment)
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
    # The longest phrase wins: a word's end ("notice" then not a letter) is tried after "notice to quit".
    alternatives.sort(key=lambda alternative: alternative.startswith("(?!"))
    if "" in node and alternatives:
        alternatives.append("")
    if len(alternatives) <= 1:
        return alternatives[0] if alternatives else ""
    return "(?:" + "|".join(alternatives) + ")"


@lru_cache(maxsize=64)
def compile_phrases(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for a phrase list: a trie of word-start phrases, and one of "~" substrings."""
    words: list[list[str]] = []
    substrings: list[list[str]] = []
    for phrase in phrases:
        substring, atoms = _atoms(phrase)
        if atoms:
            (substrings if substring else words).append(atoms)
    parts = ([r"(?<!\w)" + _trie(words)] if words else []) + ([_trie(substrings)] if substrings else [])
    return re.compile("|".join(parts) if parts else r"(?!)")
