from __future__ import annotations

import pytest
from pydantic import SecretStr

from core.settings import Settings, SettingsError, load_settings
from frontdoor.cli import main


def test_defaults_use_sqlite_in_var() -> None:
    settings = load_settings({})
    assert settings.database_url.startswith("sqlite:///") and settings.database_url.endswith("var/frontdoor.db")
    assert settings.port == 8000
    assert settings.outbox_in_app is True and settings.nlu_manage_server is True


def test_environment_overrides_and_types() -> None:
    settings = load_settings({"FRONTDOOR_PORT": "9000", "FRONTDOOR_IDLE_MINUTES": "30", "FRONTDOOR_PORT_X": "1"})
    assert settings.port == 9000 and settings.idle_minutes == 30


def test_an_empty_variable_keeps_the_default() -> None:
    assert load_settings({"FRONTDOOR_PORT": "", "FRONTDOOR_NLU_BACKEND": ""}).nlu_backend == "keywords"


@pytest.mark.parametrize(("variable", "value", "message"), [
    ("FRONTDOOR_PORT", "abc", "FRONTDOOR_PORT must be an integer: 'abc'"),
    ("FRONTDOOR_PORT", "80.5", "FRONTDOOR_PORT must be an integer: '80.5'"),
    ("FRONTDOOR_NLU_TIMEOUT_SECONDS", "soon", "FRONTDOOR_NLU_TIMEOUT_SECONDS must be a number: 'soon'"),
    ("FRONTDOOR_OUTBOX_IN_APP", "maybe", "FRONTDOOR_OUTBOX_IN_APP must be true or false (1 or 0): 'maybe'"),
    ("FRONTDOOR_NLU_BACKEND", "spacy", "FRONTDOOR_NLU_BACKEND must be one of 'keywords' or 'rasa': 'spacy'"),
    ("FRONTDOOR_LOG_LEVEL", "loud",
     "FRONTDOOR_LOG_LEVEL must be one of 'DEBUG', 'INFO', 'WARNING', 'ERROR' or 'CRITICAL': 'LOUD'"),
])
def test_a_bad_value_is_one_line_naming_the_variable(variable: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({variable: value})
    assert str(caught.value) == message
    assert isinstance(caught.value, ValueError)


def test_the_cli_shows_a_bad_value_without_a_traceback(monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("FRONTDOOR_PORT", "abc")
    assert main(["config"]) == 2
    err = capsys.readouterr().err
    assert err == "frontdoor: FRONTDOOR_PORT must be an integer: 'abc'\n"


@pytest.mark.parametrize(("raw", "expected"), [
    ("0", False), ("1", True), ("false", False), ("true", True), ("False", False), ("TRUE", True),
    ("no", False), ("yes", True),
])
def test_flags_are_real_booleans(raw: str, expected: bool) -> None:
    settings = load_settings({"FRONTDOOR_OUTBOX_IN_APP": raw, "FRONTDOOR_NLU_MANAGE_SERVER": raw})
    assert settings.outbox_in_app is expected and settings.nlu_manage_server is expected


def test_choices_and_log_level_case() -> None:
    settings = load_settings({"FRONTDOOR_NLU_BACKEND": "rasa", "FRONTDOOR_LOG_LEVEL": "warning"})
    assert settings.nlu_backend == "rasa" and settings.log_level == "WARNING"


def test_settings_built_in_code_ignore_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRONTDOOR_PORT", "9999")
    assert Settings().port == 8000 and Settings(port=1).port == 1
    assert load_settings().port == 9999


def test_secrets_are_secret_strings_and_never_printed() -> None:
    settings = load_settings({
        "FRONTDOOR_TELEGRAM_BOT_TOKEN": "123:secret", "FRONTDOOR_TWILIO_AUTH_TOKEN": "tw-pass",
        "FRONTDOOR_TELEGRAM_WEBHOOK_SECRET": "hk-value", "FRONTDOOR_SESSION_SECRET": "sess",
    })
    for name in ("telegram_bot_token", "telegram_webhook_secret", "session_secret", "twilio_auth_token"):
        assert isinstance(getattr(settings, name), SecretStr)
    assert settings.twilio_auth_token.get_secret_value() == "tw-pass"
    for shown in (repr(settings), str(settings)):
        assert "123:secret" not in shown and "tw-pass" not in shown and "hk-value" not in shown
    assert not Settings().twilio_auth_token and settings.twilio_auth_token  # unset is falsy


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
    assert shown["FRONTDOOR_OUTBOX_IN_APP"] == "True"
