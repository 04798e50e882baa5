"""Does a message state a date the client must act by? (``is_deadline``, used by both classifiers.)

A date in a message is often not one: "I was born on 12/03/1985", "the tribunal was on 3 March", "my
appointment was yesterday", "I've waited 3 weeks". The rule reads the message clause by clause (split at
punctuation and at the language's ``clause_breaks``: "and", "but", "says", "now"), because whether a
date has already happened is said by the verbs of its own clause, not by the message as a whole: in
"he was shouting all night. the hearing is on 16/12" the "was" says nothing about the hearing.

Candidates in a clause (each a span of words):

- a date the date finder found, still to come and not today. A month alone ("in January"), a stray hit,
  or a day written without a year that fell in the last three months ("stopped on 28/11", said on 1/12)
  counts only beside a limit cue ("by 30 September"); "today"/"tonight" only beside a duty ("must pay
  today or ..."): they are mostly when a client writes ("I'm ending it tonight");
- a ``deadline`` phrase ("within 14 days", "din ke andar", "end of the month");
- a weekday name or stem, and a day of the month said alone (``day_numbers``: "the 15th", "dia 15");
- a length of time with a limit cue beside it ("two weeks to", "10 days left", "notice of 28 days");
- "tonight" (``tonight``: "heno", "caawa", "hoje a noite"), when something happens to the client, except in a
  message that speaks of a risk to life ("I'll end it tonight": the classifier's crisis, or the crisis phrases);
- a feast or payday (``occasions``) with a cue just before or after it or a duty near ("before Christmas",
  "до получки", "eid er agei"); not one counted ("4 payday loans");
- never a length or a month with a ``durations`` word beside it ("for 3 weeks", "ago", "after 5 weeks",
  "from March until October"). Years and hours are not ``units``: ages, distances and spans of work.

A candidate is dropped when a ``not_deadline`` or ``past`` word stands within four words of it in its
clause ("ago", "born", "every", "was", "missed"), or when a ``past`` word stands anywhere else in the
clause and no cue, ``obligations`` or ``future`` word ("must", "is", "will") stands beside the candidate.
A past word inside a cue ("gave me two weeks", "призначили на") or after a conditional ("اذا دفعت",
"agar ... nahi kiya", "senao param") is no veto. A ``topics`` phrase before a candidate in its clause makes it
a question, not a limit ("what happens if my visa runs out", "quantos dias tenho"). Also dropped: every
candidate of a clause with a ``run_out`` phrase ("the 30 days ran out"); a length, weekday or feast in a clause
reported (``reporting``: "said", "yiraahdeen") after a time gone by named before it ("last month they said 30
days"); a time after a ``suppositions`` word ("if") in a question with no duty. A ``given_recently`` word
("yesterday") beside a length is when it was given, no past; a ``counted_from`` word ("from") after a length is
where it counts from, no duration. The message states a deadline when any candidate is left. Every list is
data: ``deadline``, ``not_deadline`` and ``deadline_rule`` in ``nlu/phrases/<lang>.yml``, the language's own
with English's (clients mix it in). Measured by ``python -m nlu.deadline_eval``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from core.languages import LANGUAGE_CODES
from nlu.dates import calendar_words, month_names
from nlu.phrase_match import compile_phrases, merge, norm
from nlu.phrases import load_phrases
from nlu.result import FoundDate

__all__ = ["explain", "is_deadline"]

_NEAR_WORDS = 4  # a veto or a cue counts within this many words of a candidate
_DUTY_WORDS = 6  # "tonight" is a limit with a duty this close: "tonight they cut the gas if I don't pay"
_DURATION_WORDS = 2  # "for" / "ago" this close to a length of time makes it a duration
_REPORTING_WORDS = 3  # "said" this close to the end of what came before makes a clause what was said then
_NUMERIC_DAY_MONTH = re.compile(r"\d{1,2}\s*[/.\-]\s*\d{1,2}")
_ASKED = re.compile(r"[^.!\n۔।]*?[?؟]")  # the sentence a clause is in ends with a question mark
_RANGE_WORDS = 3  # a month name this close before another makes a span of months ("March to October")
_RECENT_PAST_DAYS = 92  # a year-less day number this recently gone is that day, not the same day next year
_YEAR = re.compile(r"\d{4}|\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2}")
# Clause ends: sentence punctuation (Arabic comma, Urdu full stop, Bengali danda too), a dash between
# spaces, a full stop not inside a number ("28.11" stays whole).
_CLAUSE_END = re.compile(r"[,;:!?\n،؛؟۔।]+(?!\d)|(?<!\d)\.+|\.+(?!\d)|\s[-–—]+\s")
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_CLOCK = re.compile(r"\d")  # a found "today" with a number in it holds a time of day
_A_YEAR = re.compile(r"(?<!\d)(?:19[89]\d|20[0-4]\d)(?!\d)")


@dataclass(frozen=True)
class _Tables:
    deadline: re.Pattern[str]
    not_deadline: re.Pattern[str]
    cues: re.Pattern[str]
    unit_cues: re.Pattern[str]  # the cues and the date finder's "within" words ("in" 2 weeks, "za", "через")
    obligations: re.Pattern[str]
    future: re.Pattern[str]
    past: re.Pattern[str]
    durations: re.Pattern[str]
    reporting: re.Pattern[str]  # "said", "yiraahdeen", "کہا": what follows was said then, and counts from then
    counted_from: re.Pattern[str]  # "from" after a length: where it is counted from ("14 days from today")
    run_out: re.Pattern[str]  # "ran out", "ja passou": in its clause, a limit that is over, cue or not
    given_recently: re.Pattern[str]  # "yesterday": said beside a length, when it was given; the length still runs
    conditionals: re.Pattern[str]
    suppositions: re.Pattern[str]  # "if", "suppose": in a question, a time after them is supposed, not set
    past_times: re.Pattern[str]  # "last time", "last year": before a time or just after it, it is gone by
    addresses: re.Pattern[str]  # "flat", "nr": a "2/4" just after them is a flat number
    topics: re.Pattern[str]  # a time after it in its clause is asked about: "question", "what happens if"
    breaks: re.Pattern[str]
    ends: re.Pattern[str]  # a clause ends after these: the finite verb of a verb-final language ("tha", "ছিল")
    units: re.Pattern[str]
    day_numbers: re.Pattern[str]
    days: re.Pattern[str]  # weekday names and stems ("friday", "piątku", "Jimcaha"): a day to come
    tomorrow: re.Pattern[str]  # the weekday stems that mean tomorrow ("fory"): no day that comes round again
    named_days: re.Pattern[str]  # those and the relative days ("tomorrow", "jutro"): a date without a number
    relative: re.Pattern[str]  # relative-day words ("aaj", "maanta"): read as "today" if the finder missed them
    months: re.Pattern[str]  # month names: a time only beside a cue ("by March", "before the end of December")
    occasions: re.Pattern[str]  # feasts and paydays: a limit beside a cue or a duty ("before Christmas", "by payday")
    tonight: re.Pattern[str]  # "tonight", "heno", "caawa": when something happens, unless a risk to life is told
    crisis: re.Pattern[str]  # a risk to life ("I'll end it tonight"): its "tonight" is no limit to act by
    recurring: re.Pattern[str]  # "every month": anywhere in a message, a day said alone is a regular one
    word_months: re.Pattern[str]  # month names that are everyday words too ("mai"): a month only just after a cue
    month_numbers: Mapping[str, int]  # folded month name -> its number: "by end of October" said in December is gone


def _day_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """``day_numbers`` phrases, written normalised, with ``#`` for a day of the month (1-31)."""
    parts = [_DAY.join(re.escape(_fold_piece(piece)) for piece in phrase.split("#")) for phrase in phrases
             if "#" in phrase]
    return re.compile(rf"(?<!\w)(?:{'|'.join(parts)})(?!\w)" if parts else r"(?!)")


def _fold_piece(piece: str) -> str:
    """A piece of a ``day_numbers`` phrase folded like a message, keeping the spaces at its ends."""
    folded = norm(piece)
    if not folded:
        return " " if piece.strip() == "" and piece else ""
    return (" " if piece[:1].isspace() else "") + folded + (" " if piece[-1:].isspace() else "")


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
    # Weekday names and stems only: "today", "tonight", "weekend" are not days to act by ("every weekend").
    day_words = [w for c in calendar for w in c[0]]
    day_stems = [s for c in calendar for s in c[3]]
    return _Tables(
        deadline=compile_phrases(merge(t.deadline for t in tables)),
        not_deadline=compile_phrases(merge(t.not_deadline for t in tables)),
        cues=compile_phrases(merge(r.cues for r in rules)),
        unit_cues=compile_phrases(merge([*(r.cues for r in rules), *(t.dates.within for t in tables)])),
        obligations=compile_phrases(merge(r.obligations for r in rules)),
        future=compile_phrases(merge(r.future for r in rules)),
        past=compile_phrases(merge(r.past for r in rules)),
        durations=compile_phrases(merge(r.durations for r in rules)),
        reporting=compile_phrases(merge(r.reporting for r in rules)),
        counted_from=compile_phrases(merge(r.counted_from for r in rules)),
        run_out=compile_phrases(merge(r.run_out for r in rules)),
        given_recently=compile_phrases(merge(r.given_recently for r in rules)),
        conditionals=compile_phrases(merge(r.conditionals for r in rules)),
        suppositions=compile_phrases(merge(r.suppositions for r in rules)),
        past_times=compile_phrases(merge(r.past_times for r in rules)),
        addresses=compile_phrases(merge(r.addresses for r in rules)),
        topics=compile_phrases(merge(r.topics for r in rules)),
        breaks=compile_phrases(merge(r.clause_breaks for r in rules)),
        ends=compile_phrases(merge(r.clause_ends for r in rules)),
        units=unit_words,
        day_numbers=_day_pattern(merge(r.day_numbers for r in rules)),
        days=_word_pattern(day_words, day_stems),
        tomorrow=_word_pattern((), [stem for t in tables for stem, day in t.dates.weekdays.items()
                                    if day == "tomorrow"]),
        named_days=_word_pattern([*day_words, *(w for c in calendar for w in c[2])], day_stems),
        relative=_word_pattern([w for c in calendar for w in c[2]]),
        months=_word_pattern([w for c in calendar for w in c[1]]),
        word_months=compile_phrases(merge(t.dates.word_months for t in tables)),
        occasions=compile_phrases(merge(r.occasions for r in rules)),
        tonight=compile_phrases(merge(r.tonight for r in rules)),
        crisis=compile_phrases(merge([*(t.crisis.now for t in tables), *(t.crisis.passive for t in tables)])),
        recurring=compile_phrases(merge(r.recurring for r in rules)),
        month_numbers={norm(name): number for code in reversed(codes) for name, number in month_names(code).items()},
    )


@dataclass(frozen=True)
class _Clause:
    text: str  # normalised
    lead: str  # what its piece of the sentence said before it, break words too
    asked: bool  # its sentence ends in a question mark


def _clauses(text: str, breaks: re.Pattern[str], ends: re.Pattern[str], whole: re.Pattern[str]) -> list[_Clause]:
    """The message's clauses, normalised, each with what its sentence said before it (its break words too:
    "bishii hore waxay yiraahdeen" before "30 maalmood gudahood bixi") and whether that sentence is a question.
    A clause-break word is left out of both clauses, a clause-end word ("court e gese | hearing 9 tarikh":
    Bengali and Urdu put the finite verb last) stays with its clause. A break inside a ``whole`` phrase ("the
    day after tomorrow") is none."""
    clauses: list[_Clause] = []
    for piece, rest in _pieces(text):
        asked = bool(_ASKED.match(rest))
        folded = norm(piece)
        kept = [m.span() for m in whole.finditer(folded)]
        start = 0
        for match in breaks.finditer(folded):
            if _overlaps(*match.span(), kept):
                continue
            clauses.extend(_Clause(clause, folded[:start + at].strip(), asked)
                           for clause, at in _ended(folded[start:match.start()], ends))
            start = match.end()
        clauses.extend(_Clause(clause, folded[:start + at].strip(), asked)
                       for clause, at in _ended(folded[start:], ends))
    return [clause for clause in clauses if clause.text]


def _pieces(text: str) -> Iterator[tuple[str, str]]:
    """The text between clause-end marks, each with all that follows it."""
    start = 0
    for match in _CLAUSE_END.finditer(text):
        yield text[start:match.start()], text[match.start():]
        start = match.end()
    yield text[start:], ""


def _ended(text: str, ends: re.Pattern[str]) -> list[tuple[str, int]]:
    """``text`` cut after each clause-end word (the whole word, whatever part of it the phrase matched) that
    another does not follow, each piece with where it starts: a verb group ("gaya tha", "ho gayi hai") ends
    its clause once."""
    pieces: list[tuple[str, int]] = []
    start = 0
    for match in ends.finditer(text):
        end = _word_end(text, match.end())
        if match.start() >= start and text[end:].strip() and not ends.match(text, end + 1):
            pieces.append((text[start:end].strip(), start))
            start = end
    pieces.append((text[start:].strip(), start))
    return pieces


def _kind(found: FoundDate, today: dt.date, days: re.Pattern[str]) -> str:
    """How a date the finder returned counts: ``"date"`` (a candidate), ``"cued"`` (a candidate only beside
    a limit cue: a month alone, "in January"), ``"today"`` (only beside a duty: "pay today or ...";
    "today" and "tonight" are mostly when a client writes) or ``"gone"``, which a year-less day of the last
    three months is too: "by 20 November" said on 1 December is the limit just missed, not next year's."""
    if found.value < today:
        return "gone"
    if found.value == today:
        # "TODAY 4pm", "today at 10": a time of day set today is something happening, not when they write.
        return "date" if _CLOCK.search(found.text) else "today"
    if not any(ch.isdigit() for ch in found.text):
        # A weekday or "tomorrow" is a day; a month alone, or a stray hit ("sie w": "sie" is August), needs a cue.
        return "date" if days.search(norm(found.text)) else "cued"
    if _YEAR.search(found.text):
        return "date"
    try:
        a_year_before = found.value.replace(year=found.value.year - 1)
    except ValueError:  # 29 February
        return "date"
    return "gone" if _lately(a_year_before, today) else "date"


def _lately(day: dt.date, today: dt.date) -> bool:
    """``day``, one gone by, is of the last three months: "30 Sept" said on 1 December is that day."""
    return (today - day).days <= _RECENT_PAST_DAYS


def _words(clause: str, start: int, end: int) -> tuple[int, int]:
    """The word positions [first, last + 1) of the characters [start, end) of a clause."""
    return clause.count(" ", 0, start), clause.count(" ", 0, max(start, end - 1)) + 1


def _place(spans: list[str], clauses: list[str]) -> list[list[tuple[int, int]]]:
    """Per clause, the word positions of the dates the finder returned: where the whole span stands, or its
    longest start that does ("12 jan and the"), else (the finder's text and the folded clause may differ:
    "п ятниці" / "пятниці") the first word holding the span's longest word. Each date is placed once, in the
    first clause that has it."""
    placed: list[list[tuple[int, int]]] = [[] for _ in clauses]
    for span in spans:
        where = next(((i, clause.find(span)) for i, clause in enumerate(clauses) if span and span in clause), None)
        kept = span
        while where is None and " " in kept and any(ch.isdigit() for ch in kept.rsplit(" ", 1)[0]):
            # "12 jan and the": the finder ran on past a clause break; the day number stays in what is placed
            kept = kept.rsplit(" ", 1)[0]
            where = next(((i, clause.find(kept)) for i, clause in enumerate(clauses) if kept in clause), None)
        if where is not None:
            index, at = where
            placed[index].append(_words(clauses[index], at, at + len(kept)))
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


def _candidates(clause: str, words: list[str], placed: dict[str, list[tuple[int, int]]],
                tables: _Tables, written: dt.date, crisis: bool) -> list[tuple[int, int]]:
    dated, cued, gone, today = placed["date"], placed["cued"], placed["gone"], placed["today"]
    found = [where for where in dated if not _a_length(words, *where, tables)]
    if not crisis:  # "caawa ayay iga saarayaan", "hoje a noite ele vem": tonight something happens to the client
        found += [_words(clause, *m.span()) for m in tables.tonight.finditer(clause)]
    found += [where for where in cued if tables.cues.search(_near(words, *where))
              and not _a_length(words, *where, tables, any_word=True) and not _a_range(words, where[0], tables)
              and not _names_a_month_gone(words, *where, tables, written)]
    # A relative-day word the date finder missed ("aaj hi pay karo", "maanta bixi") is read as "today": a
    # limit only beside a duty, which is the least it can be (it may be tomorrow).
    today = [*today, *(where for where in (_words(clause, *m.span()) for m in tables.relative.finditer(clause))
                       if not _overlaps(*where, [*dated, *cued, *gone, *today]))]
    found += [where for where in today if tables.obligations.search(_near(words, *where, _DUTY_WORDS))]
    gone = [*gone, *today]
    # A deadline word asked about as a topic ("a question about deadlines", "ce înseamnă termen") sets none;
    # nor does one dated only by a day gone by ("the deadline was 16 November", "اخر يوم كان ٣٠ اكتوبر").
    dated_by_a_day_gone = bool(placed["gone"]) and not dated and not cued
    said_limits = [_words(clause, *m.span()) for m in tables.deadline.finditer(clause)]
    if not dated_by_a_day_gone:
        # Nor one of a month just gone: "byl do konca pazdziernika", said in December.
        found.extend(where for where in said_limits
                     if not tables.topics.search(_near(words, *where))
                     and not _names_a_month_gone(words, where[1], where[1] + 2, tables, written, recent_only=True))
    # A day said alone ("the 15th", "friday") counts unless a date found there already decided.
    for match in tables.day_numbers.finditer(clause):
        where = _words(clause, *match.span())
        if _just_after(tables.addresses, words, where[0]):
            continue  # "guriga 21 ka": a house number
        if not _overlaps(*where, [*dated, *cued, *gone]) and not _of_a_month_gone(words, *where, tables, written):
            found.append(where)
    for match in tables.days.finditer(clause):
        # A weekday the finder returned as a bare word ("Llun" of "ddydd Llun") is a day, cue or not.
        where = _words(clause, *match.span())
        if where[0] and words[where[0] - 1].isdigit() and tables.units.match(words[where[1] - 1]):
            continue  # "3 ani si 2 luni": a number before a weekday that is a unit too makes it the unit
        if _overlaps(where[0], where[1] + 2, gone):
            continue  # "w piatek 20.11", "sunday 22nd": the weekday of a day gone by
        if not _overlaps(*where, [*dated, *gone]) and not _a_length(words, *where, tables):
            found.append(where)
    for match in tables.months.finditer(clause):
        first, last = _words(clause, *match.span())
        if tables.word_months.fullmatch(match.group(0)) and not _just_after_cue(words, first, tables):
            continue  # "mai mari" is "bigger"; "pana in mai" is "by May"
        number = tables.month_numbers.get(match.group(0))
        if _recent_month(number, written):
            continue  # "I had until the end of September" said on 1 December: gone, not next September
        if _month_gone_by(number, written) and not _just_after_cue(words, first, tables, gap=1):
            continue  # "у квітні мені дали тиждень": April, said in December without "by", was this year's
        if (not _overlaps(first, last, [*dated, *cued, *gone]) and tables.cues.search(_near(words, first, last))
                and not _outside_cues(tables.durations, _near(words, first, last, _DURATION_WORDS), tables)
                and not _a_range(words, first, tables)):
            # "by March", "قبل نهاية يناير"; not "since March", "from March until October". A duration word
            # inside a cue is the cue: "before" and "ago" are one word in Arabic ("قبل") and Somali ("ka hor").
            found.append((first, last))
    for match in tables.occasions.finditer(clause):
        # "before Christmas", "eid er agei", "до получки", "imediat dupa Anul Nou trebuie": a feast or payday
        # is a limit with a cue or a duty beside it, not when it is only mentioned ("we had Christmas at mum's").
        where = _words(clause, *match.span())
        counted = where[0] > 0 and words[where[0] - 1].isdigit()  # "4 payday loans"
        month = tables.month_numbers.get(words[where[0] - 1]) if where[0] else None
        if 1 <= _months_back(month, written) <= 9:
            continue  # "until october half term", said in December: that term's, gone by
        if not counted and not _overlaps(*where, [*dated, *cued, *gone]) and _limit_beside(words, *where, tables):
            found.append(where)
    for match in tables.units.finditer(clause):
        first, last = _words(clause, *match.span())
        if first and words[first - 1].isdigit():
            first -= 1
        elif first > 1 and words[first - 2].isdigit() and not tables.units.match(words[first - 1]):
            first -= 2  # "5 working days", "за 5 робочих днів": a word between the number and its unit
        elif dated_by_a_day_gone or _overlaps(first, last, said_limits):
            # A unit without a number there is that day ("اخر يوم ... كان ٣٠ اكتوبر"), not a length; inside a
            # deadline phrase ("اخر يوم", "last day") it is the phrase's, which was decided above.
            continue
        if not _a_length(words, first, last, tables) and tables.unit_cues.search(_near(words, first, last)):
            found.append((first, last))
    return found


def _limit_beside(words: list[str], first: int, last: int, tables: _Tables) -> bool:
    """A cue or "next" just before words [first, last) ("before | Christmas", "ate o proximo | payday"), a cue just
    after (postpositions: "eid er | agei", "tankhwah | tak") or a duty near: not "4 payday loans"."""
    before, after = " ".join(words[max(0, first - 3):first]), " ".join(words[last:last + 3])
    return bool(tables.cues.search(before) or tables.future.search(before) or tables.cues.search(after)
                or tables.future.search(after) or tables.obligations.search(_near(words, first, last)))


def _of_a_month_gone(words: list[str], first: int, last: int, tables: _Tables, written: dt.date) -> bool:
    """A day number the finder missed, with a month name just after it, is a day of the last three months
    ("ar y 29ain o Hydref" said on 1 December)."""
    day = next((int(n) for n in re.findall(r"\d+", " ".join(words[first:last]))), None)
    month = next((tables.month_numbers[m.group(0)] for m in tables.months.finditer(" ".join(words[last:last + 2]))
                  if m.group(0) in tables.month_numbers), None)
    if day is None or month is None:
        return False
    for year in (written.year, written.year - 1):
        try:
            value = dt.date(year, month, day)
        except ValueError:
            return False
        if value < written:
            return _lately(value, written)
    return False


def _a_month_gone_beside(words: list[str], first: int, last: int, tables: _Tables, today: dt.date) -> bool:
    """Before word ``first``, a month said alone that is two to nine months back, not after a cue, or in the six
    words after word ``last`` one of June to August (said in December; the summer is July): when a length was
    given ("в серпні дали 2 тижні", "deu-me 7 dias em agosto", "28 days to pay back in the summer"), not a
    limit ("by March")."""
    before = " ".join(words[:first])
    for match in tables.months.finditer(before):
        if tables.word_months.fullmatch(match.group(0)):
            continue  # "mai am 5 zile": "I still have 5 days"
        number = tables.month_numbers.get(match.group(0))
        at = before.count(" ", 0, match.start())
        if 2 <= _months_back(number, today) <= 9 and not _just_after_cue(words, at, tables):
            return True
    after = " ".join(words[last:last + _NEAR_WORDS + 2])
    for match in tables.months.finditer(after):  # "deu-me 7 dias para pagar em agosto": then, not next August
        at = last + after.count(" ", 0, match.start())
        if _month_gone_by(tables.month_numbers.get(match.group(0)), today) and not _just_after_cue(words, at, tables):
            return True
    return False


def _names_a_month_gone(words: list[str], first: int, last: int, tables: _Tables, today: dt.date,
                        recent_only: bool = False) -> bool:
    """A date found without a day number names one of the last three months ("by the end of October" said in
    December is the limit gone by, not next October's), or, unless ``recent_only``, one of the three before
    them without a cue just before it ("em agosto a camara deu me 28 dias")."""
    numbers = [tables.month_numbers.get(m.group(0)) for m in tables.months.finditer(" ".join(words[first:last]))]
    return any(_recent_month(number, today) for number in numbers) or (not recent_only and (
        any(_month_gone_by(number, today) for number in numbers) and not _just_after_cue(words, first, tables)))


def _month_gone_by(number: int | None, today: dt.date) -> bool:
    """``number`` is one of the three months before the last three (June to August, said in December): said
    without "by" just before it, this year's, gone by; months further back are as often next year's ("in March")."""
    return 2 <= _months_back(number, today) <= 6


def _recent_month(number: int | None, today: dt.date) -> bool:
    """``number`` is one of the three months before this one (the three months of ``_RECENT_PAST_DAYS``)."""
    return 1 <= _months_back(number, today) <= 3


def _months_back(number: int | None, today: dt.date) -> int:
    """How many months before this one month ``number`` is (0 for this month and for no month at all)."""
    return 0 if number is None else (today.month - number) % 12


def _just_after_cue(words: list[str], first: int, tables: _Tables, gap: int = 0) -> bool:
    """A cue ends just before word ``first``: "pana in | mai", "by | may"; with ``gap``, up to that many words
    may stand between ("by the | summer")."""
    return any(_just_after(tables.cues, words, at) for at in range(max(0, first - gap), first + 1))


def _just_after(pattern: re.Pattern[str], words: list[str], first: int) -> bool:
    """A phrase of ``pattern`` (of up to three words) ends just before word ``first``: "address is | 10/12"."""
    return any(pattern.fullmatch(" ".join(words[start:first])) for start in range(max(0, first - 3), first))


def _a_range(words: list[str], first: int, tables: _Tables) -> bool:
    """The end of a span of months ("March until October", "من مارس لغاية اكتوبر", "z marca do
    października"): another month name stands just before, so "until" says how long, not by when."""
    return bool(tables.months.search(" ".join(words[max(0, first - _RANGE_WORDS):first])))


def _a_length(words: list[str], first: int, last: int, tables: _Tables, any_word: bool = False) -> bool:
    """A length of time beside a duration word ("for 3 weeks", "3 weeks ago", "dhore"); also a weekday
    name that is a unit too ("hafte": Saturday and weeks; "luni": Monday and months); with ``any_word``,
    any time beside one ("from March until October")."""
    if not any_word and not tables.units.match(words[last - 1]):  # a stem unit ("tygod*") matches a word's start
        return False
    if first and words[first - 1].isdigit():
        first -= 1
    span = _NEAR_WORDS if any_word else _DURATION_WORDS
    if not any_word and first > 1 and tables.durations.fullmatch(words[first - 1]) and _just_after_cue(
            words, first - 1, tables):
        return False  # "notice de 4 saptamani", "termen de 14 zile": after a cue the word is its "of", no duration
    # Beside the length, not inside it: Romanian "28 de zile" is a length, "de 2 luni" a duration.
    # After it, a "from" says where the length counts from: "14 days from the letter", "١٤ يوم تطلع من".
    after = tables.counted_from.sub(" ", " ".join(words[last:last + span]))
    return bool(tables.durations.search(" ".join(words[max(0, first - span):first]))
                or tables.durations.search(after))


def _word_end(text: str, at: int) -> int:
    """Where the word running at ``at`` ends (a stem phrase's match stops where its stem does)."""
    end = text.find(" ", at)
    return len(text) if end < 0 else end


def _cue_spans(text: str, tables: _Tables) -> list[tuple[int, int]]:
    """Where the cues of ``text`` stand; a cue of several words ("adjourned to", "adiada para") takes the
    word before it too, its auxiliary ("was adjourned to", "foi adiada para")."""
    spans = []
    for m in tables.cues.finditer(text):
        start = m.start()
        if " " in m.group(0).strip() and start:
            start = text.rfind(" ", 0, start - 1) + 1
        spans.append((start, _word_end(text, m.end())))
    return spans


def _outside_cues(pattern: re.Pattern[str], text: str, tables: _Tables) -> bool:
    """A match of ``pattern`` in ``text`` that is not part of a cue."""
    spans = _cue_spans(text, tables)
    return any(not any(s <= m.start() and m.end() <= e for s, e in spans) for m in pattern.finditer(text))


def _past_in(text: str, tables: _Tables) -> bool:
    """A past word in ``text`` that is not part of a cue ("mi-a dat o lună": "gave me a month" sets a
    limit) and not after a conditional ("اذا دفعت", "agar ... nahi kiya": the past form of a condition)."""
    cue_spans = _cue_spans(text, tables)
    condition = tables.conditionals.search(text)
    return any(not any(s <= m.start() and m.end() <= e for s, e in cue_spans)
               and (condition is None or m.start() < condition.start())
               and not _after_a_duty(text, m.start(), tables) for m in tables.past.finditer(text))


def _after_a_duty(text: str, at: int, tables: _Tables) -> bool:
    """The word before ``at`` is a duty: the verb after it is what must be done, whatever its form ("لازم خلص")."""
    before = text[:at].split()
    return bool(before) and bool(tables.obligations.fullmatch(before[-1]))


def _vetoed(words: list[str], first: int, last: int, clause: str, tables: _Tables, today: dt.date) -> bool:
    if _said_again(words, first, last):
        return True  # "bukra bukra", "luna viitoare luna viitoare": a promise put off, not a day
    if tables.run_out.search(clause):
        return True  # "the 30 days to challenge it ran out", "o prazo de 30 dias ja passou": the limit is over
    if tables.topics.search(" ".join(words[:last])):
        return True  # "what happens if my visa runs out", "how many days do I have to appeal": asked, not set
    near = _near(words, first, last)
    told_before = " ".join(words[:last + _NEAR_WORDS])
    if tables.past_times.search(told_before) or _past_year(told_before, today, tables) or (
            _past_year(" ".join(words[:last + 2 * _NEAR_WORDS]), today, tables)
            and (tables.past.search(clause) or not tables.future.search(clause))):
        # "last time they gave me 2 weeks", "2 weeks last year", "2 weeks' notice in 2023"; further off in a clause
        # told in the past too ("roedd gen i 14 diwrnod i dalu'r CCJ nol yn 2023"), not "coming friday for 2023's".
        return True
    said = " ".join(words[first:last])
    a_length = tables.units.search(said) or tables.deadline.fullmatch(said)
    if a_length and _a_month_gone_beside(words, first, last, tables, today):
        return True  # "in August they gave me 2 weeks to pay", "june mashe ... 1 masher moddhe": it ran from then
    if "/" in said and _just_after(tables.addresses, words, first):
        return True  # "flat 2/4", "address is 10/12"
    if tables.units.search(said) and not tables.deadline.fullmatch(said):
        # "yesterday they gave me 2 weeks", "امبارح عطوني شهر notice": the day it was given, and it still runs.
        near, clause = tables.given_recently.sub(" ", near), tables.given_recently.sub(" ", clause)
    # A past form after an "if" further back is a condition's too: "لو ما دفعت القروش لحدي الجمعه".
    after_if = bool(tables.conditionals.search(" ".join(words[:max(0, first - _NEAR_WORDS)])))
    if _outside_cues(tables.not_deadline, near, tables) or (_past_in(near, tables) and not after_if):
        return True
    if _past_in(clause, tables):
        if tables.deadline.fullmatch(" ".join(words[first:last])):
            # A deadline word is its own cue: only another word beside it keeps it ("the deadline passed in October").
            near = " ".join([*words[max(0, first - _NEAR_WORDS):first], "|", *words[last:last + _NEAR_WORDS]])
        return not (tables.cues.search(near) or tables.obligations.search(near) or tables.future.search(near))
    return False


def _said_again(words: list[str], first: int, last: int) -> bool:
    """The words [first, last) stand twice in a row, or are one phrase said twice ("tomorrow tomorrow")."""
    length, said = last - first, words[first:last]
    half = length // 2
    return (words[last:last + length] == said or words[max(0, first - length):first] == said
            or (length % 2 == 0 and said[:half] == said[half:]))


def _past_year(text: str, today: dt.date, tables: _Tables) -> bool:
    """A year gone by named and none to come: it tells of then ("in 2024 they told me I had 28 days"); not one
    a span starts from ("proof I have lived here since 2021")."""
    years = [int(m.group(0)) for m in _A_YEAR.finditer(text)
             if not _just_after(tables.durations, text[:m.start()].split(), len(text[:m.start()].split()))]
    return bool(years) and max(years) < today.year


def _decisions(text: str, language: str | None, dates: Iterable[FoundDate],
               today: dt.date, crisis: bool | None = None) -> Iterator[tuple[str, str, bool]]:
    """(clause, candidate, kept?) for every candidate of the message, in order."""
    tables = _tables(language if language in LANGUAGE_CODES else "en")
    by_kind: dict[str, list[str]] = {"date": [], "cued": [], "gone": [], "today": []}
    for found in dates:
        by_kind[_kind(found, today, tables.named_days)].append(norm(found.text))
    read = _clauses(text[:5000], tables.breaks, tables.ends, tables.deadline)
    clauses = [clause.text for clause in read]
    placed = {kind: _place(spans, clauses) for kind, spans in by_kind.items()}
    regular = any(tables.recurring.search(clause) for clause in clauses)
    if crisis is None:  # the classifiers pass their own decision; otherwise the language's crisis phrases say
        crisis = bool(tables.crisis.search(norm(text[:5000])))
    for index, piece in enumerate(read):
        clause, words = piece.text, piece.text.split()
        here = {kind: places[index] for kind, places in placed.items()}
        told_then = _reported_from_the_past(piece.lead, tables, today)
        for first, last in _candidates(clause, words, here, tables, today, crisis):
            said = " ".join(words[first:last])
            # "UC comes on the 7th of every month and rent is due on the 1st": both days come round again.
            regular_day = regular and _a_day_alone(" ".join(words[max(0, first - 1):last]), tables)
            counted_then = told_then and _counts_from_when_said(said, tables)
            supposed = piece.asked and _supposed(words, first, tables)
            yield clause, said, not (regular_day or counted_then or supposed
                                     or _vetoed(words, first, last, clause, tables, today))


def _supposed(words: list[str], first: int, tables: _Tables) -> bool:
    """In a question, a time after "if" with no duty is supposed, not set: "daca pleaca sotul luna viitoare,
    pot ramane?", "os ma nhw'n rhoi notis wsnos nesa, faint o amser sgen i?"; not "if I don't pay by Friday"."""
    before = " ".join(words[:first])
    return bool(tables.suppositions.search(before)) and not tables.obligations.search(" ".join(words))


def _reported_from_the_past(lead: str, tables: _Tables, today: dt.date) -> bool:
    """What a clause says was reported ("said", "yiraahdeen", "کہا تھا" ends what came before it) at a time
    gone by named there: "bishii hore HMRC waxay yiraahdeen | 30 maalmood gudahood bixi" (last month they
    said: pay within 30 days), "ستمبر میں کہا تھا | 7 دن میں پیسے دو", "قبل كده قالوا | قدامك 7 ايام"."""
    words = lead.split()
    if not tables.reporting.search(" ".join(words[-_REPORTING_WORDS:])):
        return False
    return bool(tables.past_times.search(lead) or _past_year(lead, today, tables)
                or _a_month_gone_beside(words, len(words), len(words), tables, today))


def _counts_from_when_said(said: str, tables: _Tables) -> bool:
    """A length, a weekday or a feast ("7 days", "Friday", "before Christmas") counts from when it was said;
    a calendar date ("by 21 December", "12/01") does not."""
    return not (tables.months.search(said) or _NUMERIC_DAY_MONTH.search(said))


def _a_day_alone(said: str, tables: _Tables) -> bool:
    """A day of the month or a weekday with no month, year or length to it: "1го", "pe 20", "friday"."""
    if tables.months.search(said) or "/" in said:
        return False
    if not any(ch.isdigit() for ch in said):
        # "dydd Llun": "dydd" (day) is a unit, the weekday still a day; "fory" (tomorrow) is no weekday.
        return bool(tables.days.search(said)) and not tables.tomorrow.search(said)
    return not tables.units.search(said) or bool(tables.day_numbers.search(said))  # "dia 1": "dia" is a unit too


def is_deadline(text: str, language: str | None, dates: Iterable[FoundDate], today: dt.date,
                *, crisis: bool | None = None) -> bool:
    """True when ``text`` states something to act by, or a dated event still to come (rule above). ``crisis``:
    whether the classifier found a risk to life in it (then its "tonight" is none: "I'll end it tonight"); when
    not given, the language's crisis phrases decide."""
    return any(kept for _, _, kept in _decisions(text, language, dates, today, crisis))


def explain(text: str, language: str | None, dates: Iterable[FoundDate], today: dt.date,
            *, crisis: bool | None = None) -> list[str]:
    """One line per candidate, "kept" or "vetoed", with its clause: for reading the rule's mistakes."""
    return [f"{'kept' if kept else 'vetoed'} {candidate!r} in {clause!r}"
            for clause, candidate, kept in _decisions(text, language, dates, today, crisis)]
