"""Settings from environment variables, with documented defaults.

Secrets (bot token, Twilio credentials, session keys) are read only from the
environment and are masked whenever settings are shown.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

__all__ = ["Settings", "load_settings", "PROJECT_ROOT"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
_SECRET_MARKERS = ("TOKEN", "SECRET", "PASSWORD", "AUTH", "KEY")


@dataclass(frozen=True)
class Settings:
    """Effective settings; each field maps to ``FRONTDOOR_<FIELD>`` in the environment."""

    database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'core.db'}"
    host: str = "127.0.0.1"
    port: int = 8000
    idle_minutes: int = 240  # after this long silent, a returning client is asked to continue or restart
    default_language: str = "en"
    consent_wording_version: str = "2026-11-v1"
    log_level: str = "INFO"
    session_secret: str = ""  # keys the hashes of staff sign-in addresses (throttling)
    telegram_bot_token: str = ""
    telegram_webhook_secret: str = ""
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    nlu_url: str = "http://127.0.0.1:5005"
    nlu_timeout_seconds: float = 1.5
    # NLU: "keywords" (the deterministic classifier) or "rasa" (the Rasa model at nlu_url, keywords as fallback)
    nlu_backend: str = "keywords"
    nlu_manage_server: int = 1  # 1: with the rasa backend, start and supervise `rasa run` on nlu_url (loopback)
    nlu_breaker_failures: int = 3  # Rasa failures in a row before calls stop for nlu_breaker_reset_seconds
    nlu_breaker_reset_seconds: float = 30.0
    nlu_crisis_threshold: float = 0.05  # model crisis probability that flags a crisis (keyword list: always)
    # Channels. public_base_url is what Twilio signs (the URL it calls, e.g. behind a proxy).
    public_base_url: str = ""
    twilio_from_number: str = ""
    twilio_messaging_service_sid: str = ""  # used instead of twilio_from_number when set
    twilio_api_base: str = "https://api.twilio.com"  # tests point this at a loopback fake
    telegram_api_base: str = "https://api.telegram.org"
    sms_max_segments: int = 3  # longer replies become several SMS, split at sentence ends
    # Outbox worker
    outbox_in_app: int = 1  # 1: `frontdoor serve` also sends; 0: run `frontdoor worker` separately
    outbox_batch: int = 50
    outbox_poll_seconds: float = 0.5
    outbox_lease_seconds: float = 60.0  # a claimed row whose worker died is retried after this
    outbox_max_attempts: int = 10  # then the row is dead-lettered for staff to see
    outbox_backoff_seconds: float = 2.0  # first retry delay; doubles per attempt, with jitter
    outbox_backoff_max_seconds: float = 900.0
    telegram_rate_per_second: float = 30.0  # Bot API: about 30 messages per second overall
    telegram_chat_rate_per_second: float = 1.0  # and about one per second in one chat
    twilio_rate_per_second: float = 10.0  # per sending number or messaging service

    def masked(self) -> dict[str, str]:
        """Settings as strings, with secrets and database passwords hidden."""
        shown: dict[str, str] = {}
        for f in fields(self):
            value = str(getattr(self, f.name))
            name = f"FRONTDOOR_{f.name.upper()}"
            if any(marker in name for marker in _SECRET_MARKERS) or f.name.endswith("_sid"):
                value = "****" if value else "(unset)"
            elif f.name == "database_url":
                value = _mask_url_password(value)
            shown[name] = value
        return shown


def _mask_url_password(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, _, host = rest.rpartition("@")
    user, colon, _password = credentials.partition(":")
    return f"{scheme}://{user}{':****' if colon else ''}@{host}"


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read settings from ``environ`` (default: the process environment)."""
    env = os.environ if environ is None else environ
    values: dict[str, object] = {}
    for f in fields(Settings):
        raw = env.get(f"FRONTDOOR_{f.name.upper()}")
        if raw is None or raw == "":
            continue
        kind = type(getattr(Settings, f.name))
        try:
            values[f.name] = kind(raw)
        except ValueError as exc:
            raise ValueError(f"FRONTDOOR_{f.name.upper()} must be a {kind.__name__}: {raw!r}") from exc
    return Settings(**values)  # type: ignore[arg-type]
