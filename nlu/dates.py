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

The words CLDR lacks (relative days, units of time, inflected weekday stems) are data:
``dates`` in each language's ``nlu/phrases/<lang>.yml``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import lru_cache

from babel import Locale
from dateparser.search import search_dates

from core.languages import LANGUAGE_CODES
from core.text import normalise
from nlu.phrases import Weekday, all_phrases, load_phrases
from nlu.result import FoundDate

__all__ = ["calendar_words", "find_dates", "month_names"]

# Day/month(/year); not inside a longer run of numbers ("HO 12/03/4471-B", "Ref: 04/12/3391" are references).
_NUMERIC_DATE = re.compile(r"(?<![\d/])(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{2,4}))?(?![\d/])")
_ROUND_THE_CLOCK = re.compile(r"(?<![\d/.])24/7(?![\d/.])")  # "a carer 24/7" is all the time, not 24 July
_MAX_SCAN = 600  # a date is rarely further into a message than this; keeps dateparser fast


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
def calendar_words(language: str) -> tuple[frozenset[str], frozenset[str], frozenset[str], tuple[str, ...]]:
    """(day names, month names, relative-day words, weekday stems) of ``language`` alone, normalised."""
    phrases = load_phrases(language).dates
    return (_wide_names(language, "days"), _wide_names(language, "months") | _extra_months(language),
            frozenset(normalise(w) for w in phrases.relative_days), tuple(normalise(s) for s in phrases.weekdays))


@lru_cache(maxsize=16)
def month_names(language: str) -> Mapping[str, int]:
    """Normalised full month name -> month number, of ``language`` alone (CLDR's wide names and the phrase
    file's ``dates.months``): which month a name said without a day is."""
    names = {normalise(str(name)): number for context in Locale.parse(language).months.values()
             for number, name in context.get("wide", {}).items()}
    names.update((normalise(name), number) for name, number in load_phrases(language).dates.months.items())
    return names


def _extra_months(language: str) -> frozenset[str]:
    """The month names of ``dates.months`` in the phrase file (ones CLDR lacks), normalised."""
    return frozenset(normalise(name) for name in load_phrases(language).dates.months)


def _wide_names(language: str, kind: str) -> frozenset[str]:
    """Full day or month names only: abbreviations are words too ("sat", "ter", "mar")."""
    locale = Locale.parse(language)
    names = locale.days if kind == "days" else locale.months
    return frozenset(normalise(str(name)) for name in names["format"]["wide"].values())


@lru_cache(maxsize=16)
def _word_months(language: str) -> frozenset[str]:
    """Month names that are everyday words too ("mai", "may"), of ``language`` and of English, normalised."""
    return frozenset(normalise(w) for code in {language, "en"} for w in load_phrases(code).dates.word_months)


@lru_cache(maxsize=16)
def _months(language: str) -> frozenset[str]:
    """Month names of ``language`` and of English (clients mix them in), normalised."""
    return frozenset(_names(language, "months") | _names("en", "months") | _extra_months(language))


@lru_cache(maxsize=16)
def _triggers(language: str) -> frozenset[str]:
    """Day, month and relative-day words of ``language`` and of English (normalised), from CLDR via Babel."""
    words = (*load_phrases(language).dates.relative_days, *load_phrases("en").dates.relative_days)
    extra = {normalise(w) for w in words}
    return frozenset(_names(language, "days") | _names("en", "days") | _months(language) | extra)


@lru_cache(maxsize=16)
def _weekday_stems(language: str) -> tuple[tuple[str, int], ...]:
    """The language's weekday stems, normalised like the text they are looked for in."""
    stems = load_phrases(language).dates.weekdays.items()
    return tuple((normalise(stem), _WEEKDAY_NUMBERS[day]) for stem, day in stems)


def _has_trigger(norm: str, language: str) -> bool:
    if any(ch.isdigit() for ch in norm):
        return True
    padded = f" {norm} "
    if any(stem in norm for stem, _ in _weekday_stems(language)):
        return True
    return any(f" {word}" in padded for word in _triggers(language))


_ORDINAL_DAY = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)\b")
# Words for lengths of time, and the words that turn one into a day to act by ("in 2 weeks"), of every language.
_UNITS = frozenset(word for phrases in all_phrases().values() for word in phrases.dates.units)
_IN = frozenset(word for phrases in all_phrases().values() for word in phrases.dates.within)


def _looks_like_a_date(span: str, language: str) -> bool:
    if _ROUND_THE_CLOCK.search(span):
        return False
    norm = normalise(span)
    if _NUMERIC_DATE.search(span) or _ORDINAL_DAY.search(norm):
        return True
    if norm in _months(language):
        return False  # a month on its own ("may i ask", "by march") is not a date we can act on
    words = norm.split()
    if _word_months(language).intersection(words):
        return False  # no day number: "nu mai am" is "I have no more", not May
    if _UNITS.intersection(words):  # "in 2 weeks" is a day to act by; "for two months", "3 days ago" are not
        return words[0] in _IN
    triggers = _triggers(language)
    return any(w in triggers or any(len(t) >= 5 and w.startswith(t) for t in triggers) for w in words) or any(
        " " in t and t in norm for t in triggers)


def _numeric_dates(text: str, today: dt.date) -> list[FoundDate]:
    """Day/month(/year) written with digits, read day first as in the UK ("14/12" is 14 December)."""
    found: list[FoundDate] = []
    for match in _NUMERIC_DATE.finditer(text):
        if _ROUND_THE_CLOCK.fullmatch(match.group(0)):
            continue
        day, month, year_text = int(match.group(1)), int(match.group(2)), match.group(3)
        year = today.year if year_text is None else int(year_text) + (2000 if len(year_text) == 2 else 0)
        if not 1900 <= year <= 2100:
            continue  # "12/03/4471": a reference number, not a year
        try:
            value = dt.date(year, month, day)
        except ValueError:
            continue
        if year_text is None and value < today:
            value = value.replace(year=year + 1) if not (month == 2 and day == 29) else value
        found.append(FoundDate(value, match.group(0)))
    return found


# Weekday stems dateparser misses when the word is inflected or romanised ("do piątku", "у середу",
# "Jimcaha", "jumma tak", "শুক্রবারের"): ``dates.weekdays`` in the phrase files. Monday is 0; -1 is a
# word that means tomorrow ("fory", colloquial Welsh).
_WEEKDAY_NUMBERS: dict[Weekday, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6, "tomorrow": -1,
}
_SUBSTRING_SCRIPTS = frozenset({"ur", "bn"})  # words joined with suffixes: match inside words too


def _weekday_dates(norm: str, language: str, today: dt.date) -> list[FoundDate]:
    """The next such weekday for each weekday word in ``norm`` (today's weekday means next week's)."""
    found: list[FoundDate] = []
    for stem, weekday in _weekday_stems(language):
        start = "" if language in _SUBSTRING_SCRIPTS else r"(?<!\w)"
        pattern = rf"{start}{re.escape(stem)}\w*"  # the whole word, for the adviser to read
        match = re.search(pattern, norm)
        if match is None:
            continue
        if weekday < 0:  # "fory" (tomorrow, colloquial Welsh)
            found.append(FoundDate(today + dt.timedelta(days=1), match.group(0)))
            continue
        ahead = (weekday - today.weekday()) % 7 or 7
        found.append(FoundDate(today + dt.timedelta(days=ahead), match.group(0)))
    return found[:1]


def _day_month_dates(norm: str, language: str, today: dt.date) -> list[FoundDate]:
    """"3 de dezembro", "14th january": a day number before a month name of the language (CLDR names)."""
    found: list[FoundDate] = []
    names = _month_numbers(language) if language == "en" else (*_month_numbers(language), *_month_numbers("en"))
    for number, month in names:  # English names too: clients mix them in ("nhar 23 february")
        pattern = rf"(?<!\d)(\d{{1,2}})(?:{_ORDINAL_ENDINGS})?\s+(?:de\s+|of\s+)?{re.escape(month)}"
        for match in re.finditer(pattern, norm):
            try:
                value = dt.date(today.year, number, int(match.group(1)))
            except ValueError:
                continue
            if value < today:
                value = value.replace(year=today.year + 1) if not (number == 2 and value.day == 29) else value
            if not any(f.value == value and match.start() < norm.find(f.text) + len(f.text) for f in found):
                found.append(FoundDate(value, match.group(0)))  # longest names come first: "dezembro" before "dez"
    return found


# Ordinal endings written on a day number: English, and Bengali ("৯ই ডিসেম্বর", "১লা", "২১শে").
_ORDINAL_ENDINGS = "st|nd|rd|th|ই|লা|রা|ঠা|শে"


@lru_cache(maxsize=16)
def _month_numbers(language: str) -> tuple[tuple[int, str], ...]:
    """(month number, normalised name) for every month name of the language (CLDR's and the phrase file's),
    longest names first. Two letters are enough here (Bengali "মে", May): the name is read only after a day
    number."""
    try:
        locale = Locale.parse(language)
    except (ValueError, TypeError):
        locale = Locale.parse("en")
    pairs: set[tuple[int, str]] = set()
    for context in locale.months.values():
        for width in ("wide", "abbreviated"):
            for number, name in context.get(width, {}).items():
                norm = normalise(str(name))
                if len(norm) >= 2:
                    pairs.add((int(number), norm))
    pairs.update((number, normalise(name)) for name, number in load_phrases(language).dates.months.items())
    pairs.update((number, name.translate(_BARE_ALEF)) for number, name in list(pairs))  # "اكتوبر" for "أكتوبر"
    return tuple(sorted(pairs, key=lambda pair: -len(pair[1])))


_BARE_ALEF = str.maketrans("أإآ", "ااا")  # clients often type an alef without its hamza or madda


_WRITTEN_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _next(month: int, day: int, today: dt.date) -> dt.date | None:
    """The first ``day`` of ``month`` from ``today`` on, or None if there is no such day."""
    for year in (today.year, today.year + 1):
        try:
            value = dt.date(year, month, day)
        except ValueError:
            continue
        if value >= today:
            return value
    return None


def _next_month_same_day(day: dt.date, today: dt.date) -> dt.date:
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    try:
        return dt.date(year, month, day.day)
    except ValueError:
        return day


def find_dates(text: str, language: str | None, today: dt.date) -> tuple[FoundDate, ...]:
    """Every date mentioned in ``text``, in order, as calendar dates (never raises)."""
    text = text[:_MAX_SCAN]
    language = language if language in LANGUAGE_CODES else "en"
    norm = normalise(text)
    if not norm or not _has_trigger(norm, language):
        return ()
    found = _numeric_dates(text, today)
    numeric_spans = [f.text for f in found]
    # Where the day/month reader read (or refused) digits: "w piatek 20.11" is 20 November, not Friday the 20th.
    numeric_places = [match.span() for match in _NUMERIC_DATE.finditer(text)]
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
        at = text.find(span)
        if at >= 0 and any(at < end and start < at + len(span) for start, end in numeric_places):
            continue
        if not _looks_like_a_date(span, language):
            continue
        if not any(ch.isalpha() for ch in span):
            continue  # digits the day/month reader refused ("11.50", "12.21"): a sum of money or a time, no date
        day = value.date()
        if day.year > today.year + 1 and not _WRITTEN_YEAR.search(span):
            # "9 dec at 10": dateparser read "10" as the year 2110; "mar 60 saac" (Somali "60 hours once") has no day.
            if day.day not in {int(number) for number in re.findall(r"\d+", span)}:
                continue
            day = _next(day.month, day.day, today)
            if day is None:
                continue
        if day < today and not _months(language).intersection(normalise(span).split()):
            day = _next_month_same_day(day, today)  # "on the 14th" said on the 24th means next month's
        found.append(FoundDate(day, span.strip()))
    if not found:
        found = _day_month_dates(norm, language, today) or _weekday_dates(norm, language, today)
    order = {f.text: max(text.find(f.text), norm.find(f.text)) for f in found}
    unique = {(f.value, f.text): f for f in sorted(found, key=lambda f: order[f.text])}
    return tuple(unique.values())
