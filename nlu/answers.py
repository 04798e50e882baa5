"""Is this answer a yes, a no, or neither? Read per language, and never guessed.

A refusal read as consent is the worst mistake this system can make, so the rules lean
one way (phrases in ``nlu/phrases/<lang>.yml``, ``answers``):

1. A question back ("?") or a doubt ("maybe", "nie wiem", "پتا نہیں") or a condition
   ("yes but not them") is neither: the client is asked again.
2. Any negation of the conversation's language or of English ("not", "nahi", "না", "لا")
   means the answer is never a yes: it is a no, or neither when a yes word is there too
   ("جی نہیں" is no; "yes no" is neither).
3. A negation word of another supported language also blocks a yes, unless it is an
   ordinary word in the conversation's language (Polish "na pewno", Portuguese "no meu").
4. Otherwise a yes word or phrase makes a yes ("tak, wyślij", "ঠিক আছে পাঠান"); some words
   are a yes only as the whole message ("جی", "ji", "y", "fine").
5. A whole-message answer in another supported language counts too ("tak" in English).

Phrases match whole words, longest first, after :func:`core.text.normalise`,
Arabic spelling folds, emoji skin tones and stretched letters ("yesss", "noooo").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from core.languages import LANGUAGE_CODES
from core.text import fold_arabic, normalise
from nlu.phrases import all_phrases

__all__ = ["Answer", "answer_tokens", "is_bare_answer", "is_unsure", "read_answer"]

Answer = Literal["yes", "no"]
_Kind = Literal["yes", "no", "unsure", "hedge"]
_QUESTION = re.compile("[?؟¿\u037e]")  # Latin, Arabic, Spanish-style and Greek question marks
_EMOJI_MODIFIERS = re.compile("[\U0001f3fb-\U0001f3ff\ufe0f\u200d]")
_STRETCHED = re.compile(r"(.)\1{2,}")  # three or more of one letter
_DOUBLED = re.compile(r"(.)\1+")
_NEGATION_REACH = 3  # a negation up to three words before a yes word negates it ("nie, nie zgadzam się")
_MAX_TOKENS = 60  # longer messages are read too, but only their first words can be an answer


_LATIN_EXTRA = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ı": "i"})  # letters NFKD does not take apart


def _fold(text: str) -> str:
    return fold_arabic(normalise(_EMOJI_MODIFIERS.sub("", text))).translate(_LATIN_EXTRA)


def _split_emoji(text: str) -> str:
    """Emoji stand apart as words: "ok👍" -> "ok 👍"."""
    return "".join(f" {ch} " if ord(ch) >= 0x2190 and not ch.isalnum() else ch for ch in text)


@dataclass(frozen=True)
class _Tables:
    phrases: dict[tuple[str, ...], frozenset[_Kind]]  # scope phrases -> kinds
    longest: int
    yes_alone: frozenset[str]
    no_alone: frozenset[str]
    negations: frozenset[tuple[str, ...]]  # this language's and English's negations
    other_negations: frozenset[str]  # other languages' single-word negations that are not words here
    vocabulary: frozenset[str]


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(_split_emoji(_fold(text)).split())


@cache
def _whole_message_answers() -> dict[str, frozenset[Answer]]:
    """Every language's whole-message yes and no forms, for a client writing in another language."""
    found: dict[str, set[Answer]] = {}
    for phrases in all_phrases().values():
        a = phrases.answers
        for kind, forms in (("yes", (*a.yes, *a.yes_alone)), ("no", (*a.no, *a.no_alone))):
            for form in forms:
                found.setdefault(" ".join(_phrase(form)), set()).add(kind)  # type: ignore[arg-type]
    return {form: frozenset(kinds) for form, kinds in found.items()}


@cache
def _vocabulary() -> frozenset[str]:
    words: set[str] = set()
    for phrases in all_phrases().values():
        a = phrases.answers
        for form in (*a.yes, *a.yes_alone, *a.no, *a.no_alone, *a.negations, *a.unsure, *a.hedges):
            words.update(_phrase(form))
    return frozenset(words)


@cache
def _tables(language: str) -> _Tables:
    every = all_phrases()
    own = every[language].answers
    english = every["en"].answers
    not_negations = {" ".join(_phrase(w)) for w in own.not_negations}
    table: dict[tuple[str, ...], set[_Kind]] = {}
    for answers in (own, english) if language != "en" else (own,):
        for kind, forms in (("yes", answers.yes), ("no", answers.no), ("unsure", answers.unsure),
                            ("hedge", answers.hedges)):
            for form in forms:
                table.setdefault(_phrase(form), set()).add(kind)  # type: ignore[arg-type]
    negations = {_phrase(w) for w in own.negations}
    negations |= {_phrase(w) for w in english.negations if " ".join(_phrase(w)) not in not_negations}
    own_words = {word for key in table for word in key if "yes" in table[key]}
    other: set[str] = set()
    for code, phrases in every.items():
        if code in (language, "en"):
            continue
        for word in phrases.answers.negations:
            key = _phrase(word)
            if len(key) == 1 and key[0] not in not_negations and key[0] not in own_words:
                other.add(key[0])
    scope = (own, english)
    return _Tables(
        phrases={key: frozenset(kinds) for key, kinds in table.items() if key},
        longest=max((len(key) for key in table), default=1),
        yes_alone=frozenset(" ".join(_phrase(f)) for a in scope for f in a.yes_alone),
        no_alone=frozenset(" ".join(_phrase(f)) for a in scope for f in a.no_alone),
        negations=frozenset(key for key in negations if key),
        other_negations=frozenset(other),
        vocabulary=_vocabulary(),
    )


def _canonical(word: str, vocabulary: frozenset[str]) -> str:
    """A stretched word back to its dictionary form ("yesss" -> "yes", "noo" -> "no") when there is one."""
    if word in vocabulary:
        return word
    for shorter in (_STRETCHED.sub(r"\1\1", word), _STRETCHED.sub(r"\1", word), _DOUBLED.sub(r"\1", word)):
        if shorter in vocabulary:
            return shorter
    return word


def answer_tokens(text: str, language: str = "en") -> list[str]:
    """The words an answer is read from, folded as the phrase tables are."""
    tables = _tables(language if language in LANGUAGE_CODES else "en")
    return [_canonical(w, tables.vocabulary) for w in _split_emoji(_fold(text)).split()[:_MAX_TOKENS]]


def _negated_at(tokens: list[str], tables: _Tables) -> set[int]:
    """Positions of the words that negate, in this language or English."""
    at: set[int] = set()
    for i in range(len(tokens)):
        for key in tables.negations:
            if tuple(tokens[i:i + len(key)]) == key:
                at.update(range(i, i + len(key)))
    return at


def _kinds_found(tokens: list[str], tables: _Tables, negated_at: set[int]) -> set[_Kind]:
    """Kinds of the phrases found, longest first; a yes phrase right after a negation counts as no."""
    kinds: set[_Kind] = set()
    i = 0
    while i < len(tokens):
        for size in range(min(tables.longest, len(tokens) - i), 0, -1):
            found = tables.phrases.get(tuple(tokens[i:i + size]))
            if found:
                if "yes" in found and negated_at & set(range(i - _NEGATION_REACH, i)):
                    found = (found - {"yes"}) | {"no"}
                kinds |= found
                i += size
                break
        else:
            i += 1
    return kinds


def read_answer(text: str, language: str | None = "en") -> Answer | None:
    """"yes", "no", or None when the answer is neither, both, unsure or a question back."""
    if _QUESTION.search(text):
        return None
    code = language if language in LANGUAGE_CODES else "en"
    tables = _tables(code)
    tokens = answer_tokens(text, code)
    if not tokens:
        return None
    whole = " ".join(tokens)
    negated_at = _negated_at(tokens, tables)
    kinds = _kinds_found(tokens, tables, negated_at)
    if kinds & {"unsure", "hedge"}:
        return None
    negated = bool(negated_at) or "no" in kinds or whole in tables.no_alone
    if negated:
        return None if "yes" in kinds or whole in tables.yes_alone else "no"
    blocked = any(token in tables.other_negations for token in tokens)
    if "yes" in kinds or whole in tables.yes_alone:
        return None if blocked else "yes"
    elsewhere = _whole_message_answers().get(whole, frozenset())
    if elsewhere == {"no"}:
        return "no"
    if elsewhere == {"yes"} and not blocked:
        return "yes"
    return None


def is_bare_answer(text: str, language: str | None = "en") -> bool:
    """True when ``text`` is a clear yes or no and nothing else: every word is an answer word.

    "tak", "yes please", "نہیں شکریہ" are; "yes but he hit me again" is not (it says more
    than yes, so a model may find something in it).
    """
    if read_answer(text, language) is None:
        return False
    code = language if language in LANGUAGE_CODES else "en"
    vocabulary = _tables(code).vocabulary
    return all(token in vocabulary for token in answer_tokens(text, code))


def is_unsure(text: str, language: str | None = "en") -> bool:
    """The whole message is a doubt ("maybe", "not sure", "hmm"): not an answer to anything."""
    code = language if language in LANGUAGE_CODES else "en"
    tables = _tables(code)
    found = tables.phrases.get(tuple(answer_tokens(text, code)), frozenset())
    return "unsure" in found
