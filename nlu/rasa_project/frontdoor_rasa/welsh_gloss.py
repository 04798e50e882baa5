"""A word-for-word English gloss of Welsh messages, for the sentence encoder only.

multilingual-e5-small knows little Welsh: without help the model scored Welsh far
below the other nine languages (nlu/README.md). A gloss such as "cyngor di
stopio'r tacsi ysgol i'r mab" -> "council has stop taxi school son" is crude
English, but e5 reads it, and the sentence vector then lands near the same
problem in the other languages. The character n-grams still see the original
Welsh; only the dense features use the gloss.

A message is glossed only when it looks Welsh (two or more distinct Welsh
function words), so Polish "mam" ("I have") never becomes "mother".
Welsh initial mutations are generated from the base forms of the lexicon
("tŷ" also matches "nhŷ", "dŷ", "thŷ"). Pure Python: runs in the Rasa venv and
in the app's tests.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .welsh_lexicon import LEXICON

__all__ = ["gloss", "looks_welsh"]

_TOKEN = re.compile(r"[\w'’-]+|[^\w\s]")
_CLITIC = re.compile(r"'(?:n|r|m|th|i)$")  # fi'n, mae'r, i'm: gloss the word before the clitic
# Frequent, distinctively Welsh words (none is a common word in the other supported languages).
_MARKERS = frozenset({
    "mae", "dwi", "ddim", "wedi", "efo", "gyda", "achos", "rwan", "rŵan", "nawr", "isio", "eisiau", "moyn", "nhw",
    "sy", "sydd", "oes", "ydy", "yw", "fy", "ffili", "methu", "sgen", "'da", "ges", "nes", "bod", "smo", "yn", "ac",
    "a'r", "i'r", "o'r", "y", "yr", "fi'n", "dw", "hi'n", "o'n", "ni'n", "nhw'n", "gan", "heb", "ond", "hefyd",
    "dydd", "'di", "di", "sa", "ydw", "dyw", "fe",
})
_MIN_MARKERS = 2
# (radical, mutated) initial consonants: soft, nasal and aspirate mutation.
_SOFT = (("ll", "l"), ("rh", "r"), ("c", "g"), ("p", "b"), ("t", "d"), ("g", ""), ("b", "f"), ("d", "dd"), ("m", "f"))
_NASAL = (("c", "ngh"), ("p", "mh"), ("t", "nh"), ("g", "ng"), ("b", "m"), ("d", "n"))
_ASPIRATE = (("c", "ch"), ("p", "ph"), ("t", "th"))
_NOT_RADICAL = ("ch", "th", "ph", "dd")  # these digraphs are letters of their own, not c/t/p/d to mutate


def _mutations(word: str) -> set[str]:
    if word.startswith(_NOT_RADICAL):
        return set()
    forms = set()
    for table in (_SOFT, _NASAL, _ASPIRATE):
        for radical, mutated in table:
            if word.startswith(radical):
                form = mutated + word[len(radical):]
                if len(form) >= 3:
                    forms.add(form)
                break
    return forms


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(phrase.lower().replace("’", "'").split())


@lru_cache(maxsize=1)
def _table() -> tuple[dict[tuple[str, ...], str], int]:
    table = {_key(head): english for head, english in LEXICON.items()}
    for head, english in LEXICON.items():
        first, *rest = _key(head)
        for form in _mutations(first):
            table.setdefault((form, *rest), english)  # a real headword wins over a mutated look-alike
    return table, max(len(key) for key in table)


def _tokens(text: str) -> list[str]:
    return [t.lower().replace("’", "'") for t in _TOKEN.findall(text)]


def looks_welsh(text: str) -> bool:
    return len(set(_tokens(text)) & _MARKERS) >= _MIN_MARKERS


def gloss(text: str) -> str | None:
    """The English gloss of a Welsh-looking ``text`` (longest phrase first), or None for any other text."""
    tokens = _tokens(text)
    if len(set(tokens) & _MARKERS) < _MIN_MARKERS:
        return None
    table, longest = _table()
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for size in range(min(longest, len(tokens) - i), 0, -1):
            english = table.get(tuple(tokens[i:i + size]))
            if english is not None:
                out.append(english)
                i += size
                break
        else:
            token = tokens[i]
            out.append(table.get((_CLITIC.sub("", token),), token))
            i += 1
    return " ".join(word for word in out if word)
