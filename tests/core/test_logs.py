"""Logs carry ids and steps, never what the client told us.

A whole journey (with a crisis detour, a phone number, a name and a postcode)
runs with every logger at DEBUG; each record, rendered by the JSON formatter we
ship, must be free of the client's words and details.
"""

from __future__ import annotations

import logging
import sys

import pytest

from bot.service import ConversationService
from core.logs import JsonFormatter

SECRETS = ("Zebedee", "07700 900888", "07700900888", "LU2 7AB", "mouldy bathroom", "knife")
SCRIPT = [
    "hi", "1", "my landlord ignores the mouldy bathroom and wants me out", "yes", "1", "no", "no",
    "he came back with a knife", "yes", "LU2 7AB", "2", "my number is 07700 900888", "no", "no", "yes",
    "Zebedee",
]


def test_a_whole_journey_logs_no_personal_data(service: ConversationService,
                                               caplog: pytest.LogCaptureFixture) -> None:
    formatter = JsonFormatter()
    with caplog.at_level(logging.DEBUG):
        for text in SCRIPT:
            service.handle_sync("telegram", "4242", text)
    rendered = [formatter.format(record) for record in caplog.records]
    assert any('"event": "message handled"' in line for line in rendered), "the journey was not logged at all"
    leaks = [(secret, line[:120]) for line in rendered for secret in SECRETS if secret.lower() in line.lower()]
    assert leaks == []


def test_exceptions_are_logged_without_their_message() -> None:
    """An exception's text can quote the client ("invalid literal: 'my landlord...'"): only its type is kept."""
    try:
        int("my landlord Zebedee")
    except ValueError:
        record = logging.getLogger("t").makeRecord("t", logging.ERROR, __file__, 1, "parse failed", (),
                                                    exc_info=sys.exc_info())
    line = JsonFormatter().format(record)
    assert '"exception": "ValueError"' in line and "Zebedee" not in line
