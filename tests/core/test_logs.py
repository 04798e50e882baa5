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
from core.logs import JsonFormatter, configure_logging

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


def test_a_command_run_in_process_sets_up_logging_on_the_captured_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    """What ``frontdoor.cli.main`` does in the CLI tests; pytest closes this stderr when the test ends."""
    configure_logging("INFO", stream=sys.stderr)
    logging.getLogger("frontdoor.test").info("seen here")
    assert '"event": "seen here"' in capsys.readouterr().err


def test_and_the_next_test_logs_without_a_closed_file_error(capsys: pytest.CaptureFixture[str]) -> None:
    """Runs after the one above (same file, so same worker): tests/conftest.py put logging back as it was."""
    assert not any(isinstance(handler.formatter, JsonFormatter) for handler in logging.getLogger().handlers)
    logging.getLogger("frontdoor.test").warning("a warning after the command")
    assert "Logging error" not in capsys.readouterr().err
