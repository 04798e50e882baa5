"""Commands a client may send at any step: help, stop, start, restart, language, delete, menu.

A command counts only when it is the whole message ("stop"), never inside a sentence
("he won't stop calling me"). The words are data: ``commands`` in ``nlu/phrases/<lang>.yml``.
A command word of any supported language works in every conversation (STOP must always stop).

MENU takes a client talking to an adviser back to the bot (``bot.handoff`` asks
:func:`is_menu`); anywhere else it means what it always meant, HELP, so the
engine sees it as ``"help"``.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from core.text import normalise
from nlu.phrases import all_phrases

__all__ = ["Command", "COMMAND_NAMES", "command_in", "is_menu"]

Command = Literal["help", "stop", "start", "restart", "language", "delete"]
COMMAND_NAMES: tuple[Command, ...] = ("help", "stop", "start", "restart", "language", "delete")


@cache
def _forms() -> dict[Command, frozenset[str]]:
    every = all_phrases().values()
    forms = {
        name: frozenset(normalise(form) for phrases in every for form in getattr(phrases.commands, name))
        for name in COMMAND_NAMES
    }
    forms["help"] = forms["help"] | _menu_forms()
    return forms


@cache
def _menu_forms() -> frozenset[str]:
    return frozenset(normalise(form) for phrases in all_phrases().values() for form in phrases.commands.menu)


def _normalised(text: str) -> str:
    norm = normalise(text)
    if norm.startswith("/"):
        norm = norm.split()[0].split("@")[0]  # Telegram: "/help@FrontdoorBot args"
    return norm


def is_menu(text: str) -> bool:
    """The whole message is MENU (in any supported language)."""
    norm = _normalised(text)
    forms = _menu_forms()
    return norm in forms or f"/{norm}" in forms


def command_in(text: str) -> Command | None:
    """The command a whole message is, if any."""
    norm = _normalised(text)
    for command, forms in _forms().items():
        if norm in forms or f"/{norm}" in forms:
            return command
    return None
