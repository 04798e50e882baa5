"""Read a client's answer to a menu: a number, several numbers, or the words of an option."""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.text import normalise

__all__ = ["pick_many", "pick_one"]

_NUMBER = re.compile(r"(?<![\d£$€.,/])(\d{1,2})(?![\d/.:]\d)")
# "1 3", "option 2", "1, 3 and 5" (with "and" in the supported languages)
_NUMBERS_ONLY = re.compile(r"(?:(?:option|number|no|nr|nº)?\s*\d{1,2}\s*(?:and|&|i|si|e|a|ac|и|і|و|oo)?\s*)+")


def pick_one(text: str, options: Sequence[tuple[str, Sequence[str]]]) -> str | None:
    """The value of the option the message picks, or None.

    ``options`` are ``(value, names)`` in menu order (option 1 first); a message
    picks one by its number ("2", "option 2", "2."), or by one of its names
    ("english", "Phone call"), matched on whole words.
    """
    picked = pick_many(text, options)
    return picked[0] if len(picked) == 1 else None


def pick_many(text: str, options: Sequence[tuple[str, Sequence[str]]]) -> list[str]:
    """Every option the message picks ("1 3", "1, 3 and 5", "text and phone"), in menu order."""
    norm = normalise(text)
    if not norm:
        return []
    chosen: set[int] = set()
    numbers = _NUMBER.findall(norm)
    only_numbers = re.fullmatch(_NUMBERS_ONLY, norm)
    if numbers and only_numbers:
        for number in numbers:
            index = int(number) - 1
            if 0 <= index < len(options):
                chosen.add(index)
        return [options[i][0] for i in sorted(chosen)]
    padded = f" {norm} "
    for index, (_value, names) in enumerate(options):
        for name in names:
            key = normalise(name)
            if key and f" {key} " in padded:
                chosen.add(index)
                break
    return [options[i][0] for i in sorted(chosen)]
