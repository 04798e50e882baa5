"""Gettext catalogs and locale-aware formatting for the client's language.

Catalogs live in ``locales/<lang>/LC_MESSAGES/frontdoor.po`` and are compiled to
``.mo`` by ``make``; a missing catalog falls back to the English source text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.support import NullTranslations, Translations

__all__ = ["LOCALES_DIR", "DOMAIN", "Translator", "get_translator"]

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "frontdoor"


@dataclass(frozen=True)
class Translator:
    """Translations for one language, plus the formatting the client expects."""

    language: str
    catalog: NullTranslations

    def gettext(self, message: str) -> str:
        return self.catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.catalog.ngettext(singular, plural, n)

    def format_date(self, value: dt.date) -> str:
        """A date as a client reads it in a sentence: "Friday 15 January", "sexta-feira, 15 de janeiro".

        Weekday and month are written in full (an abbreviation such as "pt." or "Gwen" is
        easy to misread on a court date). The order and punctuation are a translatable
        CLDR pattern, so each language's reviewer owns it in the catalog; CLDR's own
        skeletons abbreviate the weekday in every language, and the month in Welsh.
        """
        # Translators: a date pattern (CLDR/Babel letters, not words): EEEE = weekday in full,
        # d = day of the month, MMMM = month in full; put text in 'single quotes', e.g. "EEEE, d 'de' MMMM".
        pattern = self.gettext("EEEE d MMMM")
        try:
            return format_date(value, pattern, locale=self.locale)
        except (ValueError, KeyError):
            return format_date(value, "EEEE d MMMM", locale=self.locale)

    def join(self, items: list[str], *, mutate: bool = False) -> str:
        """Items as a list in a sentence ("Housing, Debt and Work").

        Babel's Welsh pattern prints "a(c)"; Welsh writes "ac" before a vowel and "a"
        before a consonant, and "a" turns c, p, t into ch, ph, th (aspirate mutation).
        ``mutate`` only for Welsh words from the catalog: names and references keep their letters.
        """
        if self.language != "cy" or len(items) < 2:
            return format_list(items, locale=self.locale)
        *head, last = items
        return f"{', '.join(head)} {_welsh_and(last, mutate=mutate)}"

    @property
    def locale(self) -> Locale:
        """The CLDR locale; English is British English ("a, b and c", no serial comma)."""
        try:
            return Locale.parse("en_GB" if self.language == "en" else self.language)
        except (ValueError, TypeError):
            return Locale.parse("en")


_WELSH_VOWELS = frozenset("aeiouwyâêîôûŵŷáéíóúàèìòùäëïöü")
_WELSH_ASPIRATE = {"c": "ch", "p": "ph", "t": "th"}


def _welsh_and(word: str, *, mutate: bool) -> str:
    """``a``/``ac`` before ``word``, with the aspirate mutation ``a`` brings when ``mutate``."""
    if not word:
        return word
    first = word[0]
    if first.lower() in _WELSH_VOWELS:
        return f"ac {word}"
    digraph = word[:2].lower()
    mutated = _WELSH_ASPIRATE.get(first.lower())
    if mutate and mutated and digraph not in ("ch", "ph", "th"):
        mutated = mutated.capitalize() if first.isupper() else mutated
        return f"a {mutated}{word[1:]}"
    return f"a {word}"


@lru_cache(maxsize=32)
def get_translator(language: str) -> Translator:
    """The translator for ``language`` (English source strings when no catalog exists)."""
    catalog: NullTranslations = Translations.load(str(LOCALES_DIR), [language], DOMAIN)
    return Translator(language, catalog)
