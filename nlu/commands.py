"""Commands a client may send at any step: help, stop, start, restart, language, delete.

A command counts only when it is the whole message ("stop"), never inside a sentence
("he won't stop calling me"). The words are data: ``commands`` in ``nlu/phrases/<lang>.yml``.
A command word of any supported language works in every conversation (STOP must always stop).
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from core.text import normalise
from nlu.phrases import all_phrases

__all__ = ["Command", "COMMAND_NAMES", "command_in"]

Command = Literal["help", "stop", "start", "restart", "language", "delete"]
COMMAND_NAMES: tuple[Command, ...] = ("help", "stop", "start", "restart", "language", "delete")


@cache
def _forms() -> dict[Command, frozenset[str]]:
    every = all_phrases().values()
    return {
        name: frozenset(normalise(form) for phrases in every for form in getattr(phrases.commands, name))
        for name in COMMAND_NAMES
    }


def command_in(text: str) -> Command | None:
    """The command a whole message is, if any."""
    norm = normalise(text)
    if norm.startswith("/"):
        norm = norm.split()[0].split("@")[0]  # Telegram: "/help@FrontdoorBot args"
    for command, forms in _forms().items():
        if norm in forms or f"/{norm}" in forms:
            return command
    return None
