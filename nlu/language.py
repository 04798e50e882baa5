"""Which language a client wrote in: one of the ten we serve, "other", or None when unsure.

lingua looks at all the languages it knows, not just ours: restricted to our ten it
forces Spanish or Farsi onto Portuguese or Urdu, when the right answer is "other"
(an interpreter route). Urdu, Bengali and Arabic typed in Latin letters read to
lingua as noise or English, so :mod:`nlu.romanised` looks for their common words
first. Messages of one or two words are too short to judge
unless their script settles it (only Bengali and Ukrainian have one of their own
among the ten).

Model loading takes seconds, so :func:`default_detector` builds one detector per
process and :meth:`LanguageDetector.warm_up` can be run off the event loop at start.
"""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from lingua import Language, LanguageDetectorBuilder

from core.languages import LANGUAGE_CODES, LANGUAGES
from nlu.data_check import TrainingExample, read_examples
from nlu.romanised import romanised_language
from nlu.server import DATA_DIR

__all__ = ["SUPPORTED", "LanguageDetector", "LanguageGuess", "default_detector", "warm_up_texts"]

SUPPORTED: tuple[str, ...] = LANGUAGE_CODES
OTHER = "other"

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_UKRAINIAN_ONLY = frozenset("іїєґ")
# Ours written in Latin letters besides English: lingua is less sure of them, and that is no sign of romanisation.
_LATIN_SUPPORTED = frozenset(lang.code for lang in LANGUAGES if lang.script == "Latn" and lang.code != "en")
# English words clients of every language use for British things; ignored when judging a mixed message.
_LOANWORDS = frozenset("""
uc pip esa jsa dwp hmrc universal credit council tax landlord landlady bailiff bailiffs notice section holiday pay
sick zero hours home office visa court hearing school gp nhs deposit rent benefit benefits sanction overpayment
payslip agency contract boss manager shift job jobcentre work coach fit note tribunal appeal eviction repairs mould
damp boiler flat housing loan payday card bank account debt bills bill energy meter prepayment claim form letter
email message sms phone app online refund shop police social services worker care package assessment ehcp sen
exclusion teacher pension allowance carers maintenance cms solicitor lawyer legal aid advice reconsideration
mandatory permission extension review administrative warning permanently exclude waiting list adhd self employed
uniform overdraft credit klarna catalogue list private temporary accommodation homeless discrimination racist
""".split())  # noqa: SIM905 - word lists read best as text


@dataclass(frozen=True)
class LanguageGuess:
    """The detected language ("other" for an unsupported one) or None, and how sure."""

    language: str | None
    confidence: float


class LanguageDetector:
    """lingua over all its languages, mapped to our ten plus "other"."""

    def __init__(self, *, min_confidence: float = 0.05, min_words: int = 3, low_accuracy: bool = False) -> None:
        self._min_confidence = min_confidence
        self._min_words = min_words
        builder = LanguageDetectorBuilder.from_all_languages()
        if low_accuracy:
            builder = builder.with_low_accuracy_mode()
        self._detector = builder.build()
        self._codes = {lang: _our_code(lang) for lang in Language.all()}

    def warm_up(self) -> None:
        """Load the language models now (seconds), not on a client's first message.

        lingua loads a model when a text's letters first call for it, holding the GIL (0.3-0.7 s for
        Urdu's گ or ے), which stalls every coroutine of the process meanwhile: a call to Rasa then timed
        out connecting. Real messages of every language, with all their letters, load what they need.
        """
        for sample in warm_up_texts():
            self._detector.compute_language_confidence_values(sample)
            time.sleep(0.001)  # let the event loop in between the loads (each holds the GIL while it runs)

    def detect(self, text: str) -> LanguageGuess:
        """Best guess for ``text``; language None when the text is too short or too mixed to tell."""
        text = unicodedata.normalize("NFC", text[:1000])
        words = _WORD.findall(text)
        if not words:
            return LanguageGuess(None, 0.0)
        script = _script_guess(text)
        if script is not None:
            return script
        if len(words) < self._min_words:
            return LanguageGuess(None, 0.0)
        best, confidence = self._top(text)
        # lingua unsure and not a Latin-script language of ours: one telling word is enough
        weak = confidence < 0.2 and best not in _LATIN_SUPPORTED
        romanised = romanised_language(text, min_hits=1 if weak else 2)
        if romanised is not None and not (best in _LATIN_SUPPORTED and confidence >= 0.5):
            return LanguageGuess(romanised[0], round(min(1.0, 0.5 + romanised[1]), 3))
        if best in ("en", OTHER, None):
            # Clients mix in English words for British things ("UC", "council tax", "holiday pay"):
            # judge the message without them, and by its own script when it has one.
            rest = _without_english(text, words)
            if rest is not None and rest != text:
                best2, confidence2 = self._top(rest)
                if best2 in SUPPORTED and best2 != "en" and confidence2 >= 0.3:
                    best, confidence = best2, confidence2
        if confidence < self._min_confidence:
            return LanguageGuess(None, confidence)
        return LanguageGuess(best, confidence)

    def _top(self, text: str) -> tuple[str | None, float]:
        values = self._detector.compute_language_confidence_values(text)
        if not values:
            return None, 0.0
        # The single most likely language decides; the unsupported ones are not pooled,
        # or the many Latin-script languages together would outvote a clear English.
        return self._codes[values[0].language], round(values[0].value, 3)


def _our_code(language: Language) -> str:
    code = language.iso_code_639_1.name.lower()
    return code if code in SUPPORTED else OTHER


def _without_english(text: str, words: list[str]) -> str | None:
    """The message without its Latin-script words when it is mostly another script, else without loanwords."""
    foreign = [w for w in words if not w.isascii()]
    if len(foreign) >= 2 and len(foreign) >= 0.3 * len(words) and any(not _is_latin(w) for w in foreign):
        return " ".join(foreign)
    kept = [w for w in words if w.lower() not in _LOANWORDS]
    return " ".join(kept) if len(kept) >= 3 else None


def _is_latin(word: str) -> bool:
    return all(ch.isascii() or "LATIN" in unicodedata.name(ch, "") for ch in word)


def _script_guess(text: str) -> LanguageGuess | None:
    """A language the script alone tells: Bengali letters, or Cyrillic with letters only Ukrainian has."""
    letters = [ch for ch in text.lower() if ch.isalpha()]
    if not letters:
        return None
    if sum(1 for ch in letters if "\u0980" <= ch <= "\u09ff") >= 0.3 * len(letters):
        return LanguageGuess("bn", 0.95)
    if any(ch in _UKRAINIAN_ONLY for ch in letters):
        return LanguageGuess("uk", 0.9)
    return None


_SAMPLES = ("my landlord wants me out", "mój właściciel", "مالک مکان", "বাড়িওয়ালা", "орендодавець")


def warm_up_texts(per_intent: int = 3) -> list[str]:
    """The first ``per_intent`` training examples of every intent in each language's main training file."""
    texts: list[str] = []
    for code in SUPPORTED:
        path = DATA_DIR / f"nlu_{code}.yml"
        if not path.is_file():
            continue
        taken: Counter[str] = Counter()
        for example in read_examples(path):
            if isinstance(example, TrainingExample) and taken[example.intent] < per_intent:
                taken[example.intent] += 1
                texts.append(example.text)
    return texts or list(_SAMPLES)


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _build() -> LanguageDetector:
    return LanguageDetector()


def default_detector() -> LanguageDetector:
    """The process-wide detector (built once; building loads nothing heavy yet)."""
    with _lock:
        return _build()

