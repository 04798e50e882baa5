"""Phrase tables, one data file per language (``nlu/phrases/<lang>.yml``), loaded and checked once.

Translators and native-speaker reviewers work on the YAML files, never on Python: commands,
yes/no answers, the keyword classifier's crisis, category and deadline phrases, and the words
the date finder needs beyond CLDR. Each file says whether a native speaker has signed it off
(``review``); see ``nlu/phrases/README.md``. Phrases are stored as written and compared after
:func:`core.text.normalise`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.categories import CATEGORY_IDS
from core.languages import LANGUAGE_CODES

__all__ = [
    "MENUS", "AnswerPhrases", "CommandPhrases", "ConversationPhrases", "CrisisPhrases", "DatePhrases",
    "DeadlineRulePhrases", "JourneyPhrases", "LanguagePhrases",
    "PhraseFileError", "Weekday", "all_phrases", "load_phrases", "read_yaml",
]

PHRASE_DIR = Path(__file__).parent
# libyaml parses the ten files in about a twentieth of the time the pure-Python parser takes.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _PlainLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """YAML without YAML 1.1's booleans: ``yes:``, ``no:``, ``on`` are words here, not True/False."""


_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(text: str) -> object:
    """A phrase or answer-table file's YAML, with ``yes``/``no`` read as words (raises ``yaml.YAMLError``)."""
    return yaml.load(text, Loader=_PlainLoader)  # noqa: S506 (a safe loader)


class PhraseFileError(ValueError):
    """A phrase file is missing, not YAML, or not the expected shape: the app refuses to start."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _non_empty(phrases: tuple[str, ...]) -> tuple[str, ...]:
    for phrase in phrases:
        if not phrase.strip():
            raise ValueError("empty phrase")
    return phrases


class CommandPhrases(_Strict):
    """Whole-message commands that work at any step."""

    help: tuple[str, ...]
    stop: tuple[str, ...]
    start: tuple[str, ...]
    restart: tuple[str, ...]
    language: tuple[str, ...]
    delete: tuple[str, ...]
    menu: tuple[str, ...]  # back to the bot from an adviser handoff (nlu.commands.is_menu)

    _check = field_validator("*")(_non_empty)


class AnswerPhrases(_Strict):
    """How a client says yes or no, and what makes an answer neither (see ``nlu.answers``)."""

    yes: tuple[str, ...]
    yes_alone: tuple[str, ...] = ()
    no: tuple[str, ...]
    no_alone: tuple[str, ...] = ()
    negations: tuple[str, ...] = Field(min_length=1)
    unsure: tuple[str, ...] = ()
    hedges: tuple[str, ...] = ()
    not_negations: tuple[str, ...] = ()

    _check = field_validator(
        "yes", "yes_alone", "no", "no_alone", "negations", "unsure", "hedges", "not_negations")(_non_empty)


class CrisisPhrases(_Strict):
    """A risk to life (``nlu.keywords``): said now, and passive suicidal thoughts; both flag a crisis.

    ``someone_at_home``: whole words that, beside a crisis phrase, make it domestic abuse too.
    """

    now: tuple[str, ...] = Field(min_length=1)
    passive: tuple[str, ...] = ()
    someone_at_home: tuple[str, ...] = ()

    _check = field_validator("now", "passive", "someone_at_home")(_non_empty)


Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "tomorrow"]


class DatePhrases(_Strict):
    """Words the date finder (``nlu.dates``) needs beyond CLDR's day and month names."""

    relative_days: tuple[str, ...] = ()  # "tomorrow", "jutro": a sign the message may hold a date
    units: tuple[str, ...] = ()  # lengths of time: "weeks", "tygodnie"
    within: tuple[str, ...] = ()  # what makes a length a day to act by: "in" (2 weeks), "za"
    weekdays: Mapping[str, Weekday] = Field(default_factory=dict)  # inflected weekday stem -> day, in order
    # Month names CLDR lacks, name -> month number: the Levantine and Maghrebi Arabic calendars ("كانون الثاني",
    # "جانفي"), Russian names in Ukrainian messages ("января").
    months: Mapping[str, int] = Field(default_factory=dict)
    # Month names that are everyday words too ("mai": "more"): without a day number, a month only right after a
    # limit cue ("pana in mai"), never a date found on its own ("nu mai am").
    word_months: tuple[str, ...] = ()

    _check = field_validator("relative_days", "units", "within", "word_months")(_non_empty)

    @field_validator("months")
    @classmethod
    def _month_numbers(cls, months: Mapping[str, int]) -> Mapping[str, int]:
        _non_empty(tuple(months))
        for name, number in months.items():
            if not 1 <= number <= 12:
                raise ValueError(f"month {name!r}: {number} is not a month number (1-12)")
        return months

    @field_validator("weekdays")
    @classmethod
    def _stems(cls, weekdays: Mapping[str, Weekday]) -> Mapping[str, Weekday]:
        _non_empty(tuple(weekdays))
        return weekdays


class DeadlineRulePhrases(_Strict):
    """The words the deadline rule (``nlu.deadlines``) reads a clause with, beyond ``deadline``/``not_deadline``."""

    cues: tuple[str, ...] = ()  # a limit next to a time: "by", "before", "until", "no later than", "left"
    obligations: tuple[str, ...] = ()  # a duty: "must", "or else"; with it even "today" is a limit
    future: tuple[str, ...] = ()  # still to come, next to a time: "is", "will", "next"
    past: tuple[str, ...] = ()  # already happened, anywhere in the clause: "went", "had", "paid", "already"
    durations: tuple[str, ...] = ()  # right beside a length of time it is one, not a limit: "for", "since"
    # Words that report what was said ("said", "told me", "yiraahdeen", "کہا"): with a time gone by named before
    # them, a length or weekday in what they report counted from then ("last month they said 30 days").
    reporting: tuple[str, ...] = ()
    # A limit that is over ("ran out", "expired", "ja passou"): anywhere in its clause, even beside a cue.
    run_out: tuple[str, ...] = ()
    # A day just gone ("yesterday", "امبارح"): beside a length it says when the length was given, not that it
    # is over ("yesterday they gave me 2 weeks to leave"), so it is no past word there.
    given_recently: tuple[str, ...] = ()
    # After a length these say where it counts from, so no duration there: "14 days from the letter", "١٤ يوم من".
    counted_from: tuple[str, ...] = ()
    conditionals: tuple[str, ...] = ()  # a past form after these is a condition: "if", "otherwise" ("اذا دفعت")
    # "if", "suppose" (not "otherwise", not "so that"): in a question, a time after them is supposed, not set.
    suppositions: tuple[str, ...] = ()
    clause_breaks: tuple[str, ...] = ()  # a new clause starts here: "and", "but", "says", "said", "now"
    topics: tuple[str, ...] = ()  # a time after these in its clause is asked about: "question", "what happens if"
    clause_ends: tuple[str, ...] = ()  # a clause ends after these (verb-final languages: "tha", "ছিল", "gese")
    past_times: tuple[str, ...] = ()  # before a time or just after it, it is gone by: "last time", "last year"
    addresses: tuple[str, ...] = ()  # "2/4" just after these is a flat or house number, not a date: "flat", "nr"
    units: tuple[str, ...] = ()  # lengths of time: "day*", "week*", "fortnight"
    day_numbers: tuple[str, ...] = ()  # a day of the month said without its month, "#" the day: "dia #", "# go"
    # Anywhere in a message these make a day said alone a regular one: "every month" ("UC comes on the 7th").
    recurring: tuple[str, ...] = ()
    occasions: tuple[str, ...] = ()  # feasts and paydays: beside a cue or a duty, a limit ("before Christmas")
    tonight: tuple[str, ...] = ()  # this evening: a time something happens, unless a risk to life is told with it

    _check = field_validator("*")(_non_empty)


class ConversationPhrases(_Strict):
    """Messages that are not answers to the question (see ``nlu.questions``)."""

    questions_back: tuple[str, ...] = Field(min_length=1)  # "what?", "why": the question is explained
    dont_know: tuple[str, ...] = Field(min_length=1)  # "no idea", "not that i know of": nothing known
    name_intros: tuple[str, ...] = ()  # "my name is", "it's": taken off the front of a name
    name_endings: tuple[str, ...] = ()  # "hai" in "mera naam Ali hai": taken off the end

    _check = field_validator("questions_back", "dont_know", "name_intros", "name_endings")(_non_empty)


class JourneyPhrases(_Strict):
    """Words for every menu option and for what a client tells us unasked (``bot.facts``, ``bot.engine``).

    Each ``options`` menu maps an option's value to the phrases that pick it; ``weak`` ones pick it
    only when no other option's phrase is there ("landlord": council tenants have one too).
    """

    options: Mapping[str, Mapping[str, tuple[str, ...]]] = Field(default_factory=dict)  # menu -> value -> phrases
    weak: Mapping[str, Mapping[str, tuple[str, ...]]] = Field(default_factory=dict)
    interpreter_languages: Mapping[str, tuple[str, ...]] = Field(default_factory=dict)  # English name -> phrases
    time_before_number: tuple[str, ...] = ()  # "after" (5), "before" (6pm): a contact time when a number follows
    times: tuple[str, ...] = ()  # "mornings", "weekends": a contact time on its own
    month_end: tuple[str, ...] = ()  # "end of the month": the last day of this month
    name_in_sentence: tuple[str, ...] = ()  # "my name is": the name follows, inside a longer message
    consent_all: tuple[str, ...] = ()  # "yes to all", "both": every organisation named
    consent_fillers: tuple[str, ...] = ()  # "only", "just", "to": around the numbers of a subset ("1 only")
    masks: tuple[str, ...] = ()  # taken out before an option is read: "council tax" is no council tenancy
    common_words: tuple[str, ...] = ()  # small words that tell the language of a message in Latin letters

    _check = field_validator("time_before_number", "times", "month_end", "name_in_sentence", "consent_all",
                             "consent_fillers", "masks", "common_words")(_non_empty)

    @field_validator("options", "weak")
    @classmethod
    def _menus(cls, menus: Mapping[str, Mapping[str, tuple[str, ...]]]) -> Mapping[str, Mapping[str, tuple[str, ...]]]:
        for menu, values in menus.items():
            if menu not in MENUS:
                raise ValueError(f"unknown menu {menu!r} (one of {', '.join(MENUS)})")
            unknown = set(values) - set(MENUS[menu])
            if unknown:
                raise ValueError(f"unknown option {sorted(unknown)[0]!r} in menu {menu!r}")
            for phrases in values.values():
                _non_empty(phrases)
        return menus


# The menus whose options a client may answer in words, and each one's option values.
MENUS: dict[str, tuple[str, ...]] = {
    "tenure": ("private_rent", "social_rent", "owner", "no_home", "other"),
    "contact": ("sms", "phone", "telegram", "email"),
    "prefer": ("sms", "phone", "telegram", "email"),  # a contact wish said unasked ("text me", "call me after 5")
    "needs": ("interpreter", "bsl", "large_print", "easy_read", "audio", "braille", "support_person"),
    "resume": ("carry_on", "restart"),
    "language": ("other",),
}


class LanguagePhrases(_Strict):
    language: str
    review: Literal["drafted", "reviewed"]
    commands: CommandPhrases
    answers: AnswerPhrases
    crisis: CrisisPhrases
    categories: Mapping[str, tuple[str, ...]]  # category id (core.categories) -> phrases
    deadline: tuple[str, ...] = ()  # something to act by, even without a date: "within 14 days", "er moddhe"
    # Next to a date or a deadline phrase, these make it no deadline: "ago", "was", "born" (nlu.deadlines)
    not_deadline: tuple[str, ...] = ()
    deadline_rule: DeadlineRulePhrases = DeadlineRulePhrases()
    dates: DatePhrases = DatePhrases()

    @field_validator("categories")
    @classmethod
    def _categories(cls, categories: Mapping[str, tuple[str, ...]]) -> Mapping[str, tuple[str, ...]]:
        for category, phrases in categories.items():
            if category not in CATEGORY_IDS:
                raise ValueError(f"unknown category {category!r} (see core/categories.py)")
            if any(not phrase.strip() for phrase in phrases):
                raise ValueError(f"empty phrase in {category}")
        return categories

    conversation: ConversationPhrases
    journey: JourneyPhrases = JourneyPhrases()

    _check = field_validator("deadline", "not_deadline")(_non_empty)


def _read(path: Path) -> LanguagePhrases:
    try:
        raw = read_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PhraseFileError(f"{path.name}: cannot read phrase file: {exc}") from exc
    try:
        phrases = LanguagePhrases.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise PhraseFileError(f"{path.name}: {where}: {first['msg']}") from exc
    if phrases.language != path.stem:
        raise PhraseFileError(f"{path.name}: says language {phrases.language!r}, file name says {path.stem!r}")
    return phrases


@cache
def load_phrases(language: str) -> LanguagePhrases:
    """The phrases of one supported language (``PhraseFileError`` when its file is broken)."""
    if language not in LANGUAGE_CODES:
        raise PhraseFileError(f"no phrase file for unsupported language {language!r}")
    return _read(PHRASE_DIR / f"{language}.yml")


def all_phrases() -> dict[str, LanguagePhrases]:
    """Every supported language's phrases, in the order of ``core.languages.LANGUAGES``."""
    return {code: load_phrases(code) for code in LANGUAGE_CODES}
