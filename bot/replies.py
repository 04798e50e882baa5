"""What the engine sends: text plus optional choices, and plain-text rendering."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Option", "Reply", "render_plain"]


@dataclass(frozen=True)
class Option:
    key: str  # what the client may type ("1")
    label: str  # already translated


@dataclass(frozen=True)
class Reply:
    text: str
    options: tuple[Option, ...] = ()


def render_plain(reply: Reply) -> str:
    """SMS and console form: the text, then one numbered choice per line."""
    if not reply.options:
        return reply.text
    lines = [reply.text] + [f"{option.key} {option.label}" for option in reply.options]
    return "\n".join(lines)
