"""What the conversation's current step expects, and whether a message is exactly that.

The model is slow next to everything else in a turn and can only change the answer where
the engine reads what it found (categories, crisis, dates in free text). When a step asks
for a menu number, a yes/no, a postcode, a contact detail or a name and the message is
that and nothing more, the engine reads the message itself: the model is skipped. Anything
with more in it ("yes but he hit me again") still goes to the model, and the service runs
the crisis phrase lists on every message whatever this module says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot import prompts
from bot.state import State, Step
from core.categories import CATEGORIES
from core.languages import LANGUAGES
from core.text import normalise
from nlu.answers import is_bare_answer
from nlu.commands import command_in

__all__ = ["Expectation", "Kind", "expects", "is_exact_answer"]

Kind = Literal["menu", "menu_many", "yes_no", "date", "place", "contact", "name", "free_text"]


@dataclass(frozen=True)
class Expectation:
    """What the step reads from the next message."""

    kind: Kind
    language: str = "en"  # the conversation's language, for reading yes/no
    options: int = 0  # numbered options on the menu (a yes/no step also takes 1 and 2)
    no_too: bool = False  # a bare "no" is a full answer as well (no needs, no date, no name)
    method: str = ""  # for "contact": "email", "sms" or "phone"


_YES_NO_STEPS = (Step.CONFIRM_ISSUES, Step.DEADLINE_CONFIRM, Step.COURT_PAPERS, Step.SAFE_MESSAGE, Step.CONSENT,
                 Step.CRISIS_SAFE, Step.CONFIRM_DELETE)
_SEPARATORS = re.compile(r"[\s,;.&+/]+")
_UK_POSTCODE = re.compile(r"[A-Z]{1,2}[0-9][0-9A-Z]?(?:\s*[0-9][A-Z]{2})?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+?[\d ()-]{10,20}")
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*\.?")
_MAX_NAME_WORDS = 3


def expects(state: State, channel: str = "sms") -> Expectation:
    """What the step ``state`` is at reads from the next message (pure: state in, expectation out)."""
    step, language = state.step, state.language
    if step in (Step.START, Step.LANGUAGE):  # the language menu (a first message may also be a story)
        return Expectation("menu", language, len(LANGUAGES) + 1)
    if step == Step.CHOOSE_CATEGORIES:
        return Expectation("menu_many", language, len(CATEGORIES))
    if step == Step.TENURE:
        return Expectation("menu", language, len(prompts.TENURE_OPTIONS))
    if step == Step.CONTACT_METHOD:
        return Expectation("menu", language, len(prompts.contact_options(channel)))
    if step == Step.NEEDS:
        return Expectation("menu_many", language, len(prompts.NEEDS_OPTIONS), no_too=True)
    if step == Step.RESUME:
        return Expectation("yes_no", language, 2)
    if step in _YES_NO_STEPS:
        return Expectation("yes_no", language, 2)
    if step == Step.DEADLINE_ASK:
        return Expectation("date", language, no_too=True)
    if step == Step.POSTCODE:
        return Expectation("place", language)
    if step == Step.CONTACT_DETAIL:
        return Expectation("contact", language, method=state.contact_method or "")
    if step == Step.NAME:
        return Expectation("name", language, no_too=True)
    return Expectation("free_text", language)  # describe, done, other language, safe times


def is_exact_answer(expectation: Expectation, text: str) -> bool:
    """True when ``text`` is exactly what the step expects and nothing more, so no model can add to it.

    A command (HELP, STOP, LANGUAGE... in any supported language) is exact at every step.
    """
    text = text.strip()
    if not text:
        return False
    if command_in(text) is not None:
        return True
    kind = expectation.kind
    if expectation.no_too and is_bare_answer(text, expectation.language):
        return True
    if kind in ("menu", "menu_many"):
        return _menu_numbers(text, expectation.options, many=kind == "menu_many")
    if kind == "yes_no":
        return _menu_numbers(text, expectation.options, many=False) or is_bare_answer(text, expectation.language)
    if kind == "date":
        return not any(ch.isalpha() for ch in text) and any(ch.isdigit() for ch in text)  # "15/01", "15.01.2027"
    if kind == "place":
        return _UK_POSTCODE.fullmatch(text.upper()) is not None
    if kind == "contact":
        pattern = _EMAIL if expectation.method == "email" else _PHONE
        return pattern.fullmatch(text) is not None
    if kind == "name":
        words = text.split()
        return len(words) <= _MAX_NAME_WORDS and all(_NAME_WORD.fullmatch(w) for w in words)
    return False


def _menu_numbers(text: str, options: int, *, many: bool) -> bool:
    """Only option numbers, each on the menu ("2", "1 3", "1, 3"); one of them unless ``many``."""
    parts = [p for p in _SEPARATORS.split(normalise(text)) if p]
    if not parts or not all(p.isdigit() and len(p) <= 2 and 1 <= int(p) <= options for p in parts):
        return False
    return many or len(parts) == 1
