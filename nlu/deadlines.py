"""Does a message state a date the client must act by? (``is_deadline``, used by both classifiers.)

A date in a message is often not one: "I was born on 12/03/1985", "the tribunal was on 3 March", "my
appointment was yesterday", "I've waited 3 weeks". The rule reads the message clause by clause (split at
punctuation and at the language's ``clause_breaks``: "and", "but", "says", "now"), because whether a
date has already happened is said by the verbs of its own clause, not by the message as a whole: in
"he was shouting all night. the hearing is on 16/12" the "was" says nothing about the hearing.

Candidates in a clause (each a span of words):

- a date the date finder found, still to come. A date written without a year that fell in the last
  three months is taken as that past day, not rolled on to next year ("stopped on 28/11", said on 1/12);
- a ``deadline`` phrase ("within 14 days", "din ke andar", "end of the month");
- a day of the month said without its month (``day_numbers``: "on the 15th", "dia 15", "15-go");
- a length of time with a limit cue beside it ("two weeks to", "10 days left", "by the end of the
  month"), unless a ``durations`` word stands right beside it ("for 3 weeks", "since", "ago").

A candidate is dropped when a ``not_deadline`` or ``past`` word stands within four words of it in its
clause ("ago", "born", "was", "missed"), or when a ``past`` word stands anywhere else in the clause and
no limit cue or ``future`` word ("is", "must", "will") stands beside the candidate. The message states
a deadline when any candidate is left. Every list is data: ``deadline``, ``not_deadline`` and
``deadline_rule`` in ``nlu/phrases/<lang>.yml``, the language's own with English's (clients mix it in).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from core.languages import LANGUAGE_CODES
from nlu.dates import calendar_words
from nlu.phrase_match import compile_phrases, merge, norm
from nlu.phrases import load_phrases
from nlu.result import FoundDate

__all__ = ["is_deadline"]

_NEAR_WORDS = 4  # a veto or a cue counts within this many words of a candidate
_DURATION_WORDS = 2  # "for" / "ago" this close to a length of time makes it a duration
_RECENT_PAST_DAYS = 92  # a year-less day number this recently gone is that day, not the same day next year
_YEAR = re.compile(r"\d{4}|\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2}")
# Clause ends: sentence punctuation (Arabic comma, Urdu full stop, Bengali danda too), a dash between
# spaces, a full stop not inside a number ("28.11" stays whole).
_CLAUSE_END = re.compile(r"[,;:!?\n،؛؟۔।]+(?!\d)|(?<!\d)\.+|\.+(?!\d)|\s[-–—]+\s")
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"


@dataclass(frozen=True)
class _Tables:
    deadline: re.Pattern[str]
    not_deadline: re.Pattern[str]
    cues: re.Pattern[str]
    unit_cues: re.Pattern[str]  # the cues and the date finder's "within" words ("in" 2 weeks, "za", "через")
    future: re.Pattern[str]
    past: re.Pattern[str]
    durations: re.Pattern[str]
    breaks: re.Pattern[str]
    units: re.Pattern[str]
    day_numbers: re.Pattern[str]
    days: re.Pattern[str]  # weekday names and stems, and relative days ("tomorrow", "jutro"): a day to come
    months: re.Pattern[str]  # month names: a time only beside a cue ("by March", "before the end of December")


def _day_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """``day_numbers`` phrases, written normalised, with ``#`` for a day of the month (1-31)."""
    parts = [_DAY.join(re.escape(piece) for piece in phrase.split("#")) for phrase in phrases if "#" in phrase]
    return re.compile(rf"(?<!\w)(?:{'|'.join(parts)})(?!\w)" if parts else r"(?!)")


def _word_pattern(words: Iterable[str], stems: Iterable[str] = ()) -> re.Pattern[str]:
    """Whole ``words`` and words starting with one of ``stems``, in the folded form of :func:`norm`."""
    exact = sorted({norm(w) for w in words if norm(w)}, key=len, reverse=True)
    starts = sorted({norm(s) for s in stems if norm(s)}, key=len, reverse=True)
    parts = [rf"(?:{'|'.join(map(re.escape, exact))})(?!\w)"] if exact else []
    parts += [rf"(?:{'|'.join(map(re.escape, starts))})\w*"] if starts else []
    return re.compile(rf"(?<!\w)(?:{'|'.join(parts)})" if parts else r"(?!)")


@lru_cache(maxsize=16)
def _tables(language: str) -> _Tables:
    codes = (language,) if language == "en" else (language, "en")
    tables = [load_phrases(code) for code in codes]
    rules = [table.deadline_rule for table in tables]
    calendar = [calendar_words(code) for code in codes]
    units = merge(r.units for r in rules)
    unit_words = compile_phrases(units)
    # A weekday name that is also a length of time ("hafte": Saturday and weeks) is read as the length.
    day_words = [w for c in calendar for w in (*c[0], *c[2]) if not unit_words.fullmatch(norm(w))]
    day_stems = [s for c in calendar for s in c[3] if not unit_words.fullmatch(norm(s))]
    return _Tables(
        deadline=compile_phrases(merge(t.deadline for t in tables)),
        not_deadline=compile_phrases(merge(t.not_deadline for t in tables)),
        cues=compile_phrases(merge(r.cues for r in rules)),
        unit_cues=compile_phrases(merge([*(r.cues for r in rules), *(t.dates.within for t in tables)])),
        future=compile_phrases(merge(r.future for r in rules)),
        past=compile_phrases(merge(r.past for r in rules)),
        durations=compile_phrases(merge(r.durations for r in rules)),
        breaks=compile_phrases(merge(r.clause_breaks for r in rules)),
        units=unit_words,
        day_numbers=_day_pattern(merge(r.day_numbers for r in rules)),
        days=_word_pattern(day_words, day_stems),
        months=_word_pattern([w for c in calendar for w in c[1]]),
    )


def _clauses(text: str, breaks: re.Pattern[str]) -> list[str]:
    """The message's clauses, normalised; a clause-break word is left out of both sides."""
    clauses: list[str] = []
    for piece in _CLAUSE_END.split(text):
        folded = norm(piece)
        start = 0
        for match in breaks.finditer(folded):
            clauses.append(folded[start:match.start()].strip())
            start = match.end()
        clauses.append(folded[start:].strip())
    return [clause for clause in clauses if clause]


def _still_to_come(found: FoundDate, today: dt.date) -> bool:
    if found.value < today:
        return False
    if _YEAR.search(found.text) or not any(ch.isdigit() for ch in found.text):
        return True  # a year was written, or no day was ("friday", "end of december")
    try:
        a_year_before = found.value.replace(year=found.value.year - 1)
    except ValueError:  # 29 February
        return True
    return (today - a_year_before).days > _RECENT_PAST_DAYS


def _words(clause: str, start: int, end: int) -> tuple[int, int]:
    """The word positions [first, last + 1) of the characters [start, end) of a clause."""
    return clause.count(" ", 0, start), clause.count(" ", 0, max(start, end - 1)) + 1


def _place(spans: list[str], clauses: list[str]) -> list[list[tuple[int, int]]]:
    """Per clause, the word positions of the dates the finder returned: where the whole span stands, else
    (the finder's text and the folded clause may differ: "п ятниці" / "пятниці") the first word holding
    the span's longest word. Each date is placed once, in the first clause that has it."""
    placed: list[list[tuple[int, int]]] = [[] for _ in clauses]
    for span in spans:
        where = next(((i, clause.find(span)) for i, clause in enumerate(clauses) if span and span in clause), None)
        if where is not None:
            index, at = where
            placed[index].append(_words(clauses[index], at, at + len(span)))
            continue
        longest = max(span.split(), key=len, default="")
        if len(longest) < 4:
            continue
        for index, clause in enumerate(clauses):
            hit = next((i for i, word in enumerate(clause.split()) if longest in word), None)
            if hit is not None:
                placed[index].append((hit, hit + 1))
                break
    return placed


def _near(words: list[str], first: int, last: int, span: int = _NEAR_WORDS) -> str:
    return " ".join(words[max(0, first - span):last + span])


def _overlaps(first: int, last: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(first < end and start < last for start, end in spans)


def _candidates(clause: str, words: list[str], dated: list[tuple[int, int]], past_dates: list[tuple[int, int]],
                tables: _Tables) -> list[tuple[int, int]]:
    found = list(dated)
    found.extend(_words(clause, *m.span()) for m in tables.deadline.finditer(clause))
    # A day said alone ("the 15th", "friday", "tomorrow") counts unless a date found there already decided.
    for pattern in (tables.day_numbers, tables.days):
        for match in pattern.finditer(clause):
            where = _words(clause, *match.span())
            if not _overlaps(*where, [*dated, *past_dates]):
                found.append(where)
    for match in tables.months.finditer(clause):
        first, last = _words(clause, *match.span())
        if not _overlaps(first, last, [*dated, *past_dates]) and tables.cues.search(_near(words, first, last)):
            found.append((first, last))
    for match in tables.units.finditer(clause):
        first, last = _words(clause, *match.span())
        if first and words[first - 1].isdigit():
            first -= 1
        if tables.durations.search(_near(words, first, last, _DURATION_WORDS)):
            continue  # "for 3 weeks", "3 weeks ago", "since", "dhore"
        if tables.unit_cues.search(_near(words, first, last)):
            found.append((first, last))
    return found


def _past_in(text: str, tables: _Tables) -> bool:
    """A past word in ``text`` that is not part of a cue ("mi-a dat o lună": "gave me a month" sets a limit)."""
    cue_spans = [m.span() for m in tables.cues.finditer(text)]
    return any(not any(s <= m.start() and m.end() <= e for s, e in cue_spans) for m in tables.past.finditer(text))


def _vetoed(words: list[str], first: int, last: int, clause: str, tables: _Tables) -> bool:
    near = _near(words, first, last)
    if tables.not_deadline.search(near) or _past_in(near, tables):
        return True
    if _past_in(clause, tables):
        return not (tables.cues.search(near) or tables.future.search(near))
    return False


def is_deadline(text: str, language: str | None, dates: Iterable[FoundDate], today: dt.date) -> bool:
    """True when ``text`` states something to act by, or a dated event still to come (rule above)."""
    tables = _tables(language if language in LANGUAGE_CODES else "en")
    dates = list(dates)
    to_come = [norm(found.text) for found in dates if _still_to_come(found, today)]
    gone = [norm(found.text) for found in dates if not _still_to_come(found, today)]
    clauses = _clauses(text[:5000], tables.breaks)
    for clause, dated, past_dates in zip(clauses, _place(to_come, clauses), _place(gone, clauses), strict=True):
        words = clause.split()
        for first, last in _candidates(clause, words, dated, past_dates, tables):
            if not _vetoed(words, first, last, clause, tables):
                return True
    return False
