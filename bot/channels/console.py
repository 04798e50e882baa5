"""A person at a terminal talks to the bot as a client would (``frontdoor chat``)."""

from __future__ import annotations

import sys
from typing import TextIO

from bot.replies import render_plain
from bot.service import ConversationService

__all__ = ["run_console"]

PROMPT = "you> "


def run_console(service: ConversationService, *, sender: str, channel: str = "sms",
                stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Read a line, print the bot's replies, until end of input or Ctrl-C."""
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    stdout.write("Frontdoor console. Type as a client would; Ctrl-D to leave.\n")
    while True:
        stdout.write(PROMPT)
        stdout.flush()
        line = stdin.readline()
        if not line:
            stdout.write("\n")
            return 0
        handled = service.handle_sync(channel, sender, line.rstrip("\n"))
        for reply in handled.replies:
            stdout.write("bot> " + render_plain(reply).replace("\n", "\n     ") + "\n")
