"""Find the dates a client mentions inside a sentence ("court is next tuesday", "14/12").

``dateparser.parse`` wants the whole string to be a date, so we use
``dateparser.search.search_dates`` in the conversation's language, always
preferring the future (a client tells us about something still to come), and
keep only spans that really look like dates: ones with a day or month name, a
relative day word ("tomorrow"), or a numeric day/month. That throws away the
stray hits search_dates makes on ordinary words ("să", "may", "3 credit cards").

dateparser is slow to start on a message with no date in it, so it runs only
when a cheap trigger (a digit, or a day, month or relative-day word of the
language, taken from Babel's CLDR data) is present.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from babel import Locale
from dateparser.search import search_dates

from bot.keywords import normalise
from nlu.result import FoundDate

__all__ = ["find_dates"]

_SUPPORTED = ("en", "cy", "pl", "ro", "ur", "bn", "ar", "so", "pt", "uk")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{2,4}))?\b")
_MAX_SCAN = 600  # a date is rarely further into a message than this; keeps dateparser fast
# Relative-day words CLDR lacks in some languages, or that clients write without accents.
_EXTRA_TRIGGERS: dict[str, tuple[str, ...]] = {
    "en": ("tomorrow", "today", "tonight", "next week", "weekend", "tmrw", "tmr"),
    "pl": ("jutro", "pojutrze", "dzisiaj", "dzis", "przyszly tydzien"),
    "ro": ("maine", "poimaine", "azi", "astazi"),
    "pt": ("amanha", "hoje", "semana que vem", "proxima semana"),
    "cy": ("yfory", "heddiw", "wythnos nesaf"),
    "so": ("berri", "maanta", "toddobaadka soo socda"),
    "uk": ("завтра", "сьогодні", "післязавтра"),
    "ar": ("غدا", "غداً", "بكرة", "اليوم"),
    "ur": ("کل", "آج", "پرسوں"),
    "bn": ("আগামীকাল", "আজ", "পরশু"),
}


def _names(language: str, kind: str) -> set[str]:
    try:
        locale = Locale.parse(language)
    except (ValueError, TypeError):
        locale = Locale.parse("en")
    names = locale.days if kind == "days" else locale.months
    words: set[str] = set()
    for context in names.values():
        for width in ("wide", "abbreviated"):
            words.update(str(name) for name in context.get(width, {}).values())
    return {w for w in (normalise(word) for word in words) if len(w) >= 3}


@lru_cache(maxsize=16)
def _months(language: str) -> frozenset[str]:
    return frozenset(_names(language, "months"))


@lru_cache(maxsize=16)
def _triggers(language: str) -> frozenset[str]:
    """Day, month and relative-day words of ``language`` (normalised), from CLDR via Babel."""
    extra = {normalise(w) for w in _EXTRA_TRIGGERS.get(language, ())}
    return frozenset(_names(language, "days") | _months(language) | extra)


def _has_trigger(norm: str, language: str) -> bool:
    if any(ch.isdigit() for ch in norm):
        return True
    padded = f" {norm} "
    return any(f" {word}" in padded for word in _triggers(language) | _triggers("en"))


_ORDINAL_DAY = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)\b")
# Words for lengths of time, and the words that turn one into a day to act by ("in 2 weeks").
_UNITS = frozenset({
    "day", "days", "week", "weeks", "fortnight", "month", "months", "year", "years",  # en
    "dni", "dzien", "tydzien", "tygodnie", "tygodni", "miesiac", "miesiace", "miesiecy", "lat",  # pl
    "zi", "zile", "saptamana", "saptamani", "luna", "luni", "an", "ani",  # ro
    "dia", "dias", "semana", "semanas", "mes", "meses", "ano", "anos",  # pt
    "diwrnod", "wythnos", "wythnosau", "mis", "misoedd",  # cy
    "день", "дні", "днів", "тиждень", "тижні", "тижнів", "місяць", "місяці", "місяців",  # uk
})
_IN = frozenset({"in", "within", "za", "peste", "em", "daqui", "dentro", "mewn", "через"})


def _looks_like_a_date(span: str, language: str) -> bool:
    norm = normalise(span)
    if _NUMERIC_DATE.search(span) or _ORDINAL_DAY.search(norm):
        return True
    if norm in _months(language) | _months("en"):
        return False  # a month on its own ("may i ask", "by march") is not a date we can act on
    words = norm.split()
    if _UNITS.intersection(words):  # "in 2 weeks" is a day to act by; "for two months", "3 days ago" are not
        return words[0] in _IN
    triggers = _triggers(language) | _triggers("en")
    return any(w in triggers or any(len(t) >= 5 and w.startswith(t) for t in triggers) for w in words) or any(
        " " in t and t in norm for t in triggers)


def _numeric_dates(text: str, today: dt.date) -> list[FoundDate]:
    """Day/month(/year) written with digits, read day first as in the UK ("14/12" is 14 December)."""
    found: list[FoundDate] = []
    for match in _NUMERIC_DATE.finditer(text):
        day, month, year_text = int(match.group(1)), int(match.group(2)), match.group(3)
        year = today.year if year_text is None else int(year_text) + (2000 if len(year_text) == 2 else 0)
        try:
            value = dt.date(year, month, day)
        except ValueError:
            continue
        if year_text is None and value < today:
            value = value.replace(year=year + 1) if not (month == 2 and day == 29) else value
        found.append(FoundDate(value, match.group(0)))
    return found


def _next_month_same_day(day: dt.date, today: dt.date) -> dt.date:
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    try:
        return dt.date(year, month, day.day)
    except ValueError:
        return day


def find_dates(text: str, language: str | None, today: dt.date) -> tuple[FoundDate, ...]:
    """Every date mentioned in ``text``, in order, as calendar dates (never raises)."""
    text = text[:_MAX_SCAN]
    language = language if language in _SUPPORTED else "en"
    norm = normalise(text)
    if not norm or not _has_trigger(norm, language):
        return ()
    found = _numeric_dates(text, today)
    numeric_spans = [f.text for f in found]
    languages = [language] if language == "en" else [language, "en"]
    base = dt.datetime.combine(today, dt.time(12, 0))
    try:
        hits = search_dates(
            text, languages=languages,
            settings={"PREFER_DATES_FROM": "future", "RELATIVE_BASE": base, "DATE_ORDER": "DMY",
                      "RETURN_AS_TIMEZONE_AWARE": False},
        ) or []
    except Exception:  # dateparser has raised on odd input (overflow, regex errors): treat as no date
        hits = []
    for span, value in hits:
        if any(span in numeric or numeric in span for numeric in numeric_spans):
            continue
        if not _looks_like_a_date(span, language):
            continue
        day = value.date()
        if day < today and not (_months(language) | _months("en")).intersection(normalise(span).split()):
            day = _next_month_same_day(day, today)  # "on the 14th" said on the 24th means next month's
        found.append(FoundDate(day, span.strip()))
    order = {f.text: text.find(f.text) for f in found}
    unique = {(f.value, f.text): f for f in sorted(found, key=lambda f: order[f.text])}
    return tuple(unique.values())
