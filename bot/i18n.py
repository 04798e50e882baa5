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
from babel.dates import format_date, format_skeleton
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
        """A date as a client reads it in a sentence: "Wed 15 January", "sex., 15 de janeiro".

        English uses the UK order with the month in full; other languages take
        CLDR's own pattern for weekday, day and month (Babel's skeleton).
        """
        if self.language == "en":
            return format_date(value, "EEE d MMMM", locale=self.locale)
        return format_skeleton("MMMMEd", value, locale=self.locale)

    @property
    def locale(self) -> Locale:
        try:
            return Locale.parse(self.language)
        except (ValueError, TypeError):
            return Locale.parse("en")


@lru_cache(maxsize=32)
def get_translator(language: str) -> Translator:
    """The translator for ``language`` (English source strings when no catalog exists)."""
    catalog: NullTranslations = Translations.load(str(LOCALES_DIR), [language], DOMAIN)
    return Translator(language, catalog)
