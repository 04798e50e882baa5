from __future__ import annotations

import pytest

from core.settings import load_settings


def test_defaults_use_sqlite_in_var() -> None:
    settings = load_settings({})
    assert settings.database_url.startswith("sqlite:///") and settings.database_url.endswith("var/core.db")
    assert settings.port == 8000


def test_environment_overrides_and_types() -> None:
    settings = load_settings({"FRONTDOOR_PORT": "9000", "FRONTDOOR_IDLE_MINUTES": "30"})
    assert settings.port == 9000 and settings.idle_minutes == 30


def test_bad_number_names_the_variable() -> None:
    with pytest.raises(ValueError, match="FRONTDOOR_PORT must be a int"):
        load_settings({"FRONTDOOR_PORT": "eighty"})


def test_secrets_and_database_passwords_are_masked() -> None:
    shown = load_settings({
        "FRONTDOOR_TELEGRAM_BOT_TOKEN": "123:secret",
        "FRONTDOOR_TWILIO_AUTH_TOKEN": "abc",
        "FRONTDOOR_DATABASE_URL": "postgresql+psycopg://fd:hunter2@db.internal/fd",
    }).masked()
    text = "\n".join(f"{k}={v}" for k, v in shown.items())
    assert "secret" not in text and "abc" not in text and "hunter2" not in text
    assert shown["FRONTDOOR_TELEGRAM_BOT_TOKEN"] == "****"
    assert shown["FRONTDOOR_SESSION_SECRET"] == "(unset)"
    assert shown["FRONTDOOR_DATABASE_URL"] == "postgresql+psycopg://fd:****@db.internal/fd"
