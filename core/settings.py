"""Settings from environment variables (``FRONTDOOR_<FIELD>``), with documented defaults.

pydantic-settings reads and types them: flags are real booleans (0/1/true/false),
choices are ``Literal``s, and secrets are ``SecretStr`` so they never print by
accident; a bad value is one line naming the variable. ``Settings(...)`` built in
code takes only what it is given; ``load_settings`` reads the environment.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict

from core.categories import N_

__all__ = ["ENV_PREFIX", "PROJECT_ROOT", "Settings", "SettingsError", "load_settings"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "FRONTDOOR_"
_SECRET_MARKERS = ("TOKEN", "SECRET", "PASSWORD", "AUTH", "KEY")

NluBackend = Literal["keywords", "rasa"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class SettingsError(ValueError):
    """A setting with a value that cannot be used; the message is one line naming the variable."""


class Settings(BaseSettings):
    """Effective settings; each field maps to ``FRONTDOOR_<FIELD>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_ignore_empty=True, frozen=True, extra="ignore")

    database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'frontdoor.db'}"
    host: str = "127.0.0.1"
    port: int = 8000
    idle_minutes: int = 240  # after this long silent, a returning client is asked to continue or restart
    default_language: str = "en"
    consent_wording_version: str = "2026-11-v1"
    log_level: LogLevel = "INFO"
    # Deployment facts shown to clients, always through a placeholder in a translated sentence.
    # The demo network's name is in the catalogs (each language writes the places its own way);
    # another deployment's name is shown as set, unless its catalogs translate it too.
    network_name: str = N_("Luton, Bristol and Suffolk")  # "the free advice line for <network_name>"
    complaints_contact: str = ""  # unset: HELP leaves out the complaints line rather than show a made-up address
    session_secret: SecretStr = SecretStr("")  # keys the hashes of staff sign-in addresses (throttling)
    telegram_bot_token: SecretStr = SecretStr("")
    telegram_webhook_secret: SecretStr = SecretStr("")
    twilio_account_sid: str = ""
    twilio_auth_token: SecretStr = SecretStr("")
    nlu_url: str = "http://127.0.0.1:5005"
    nlu_timeout_seconds: float = 1.5  # one parse call, from when it is sent (not while it waits for a slot)
    # Parse calls in flight per Rasa replica from one process; more wait (up to nlu_queue_seconds, then the
    # keyword fallback, counted) instead of queueing inside Rasa, where a busy model would look like a dead one.
    nlu_in_flight: int = Field(default=2, ge=1, le=64)
    nlu_queue_seconds: float = 10.0
    # NLU: "keywords" (the deterministic classifier) or "rasa" (the Rasa model at nlu_url, keywords as fallback)
    nlu_backend: NluBackend = "keywords"
    nlu_manage_server: bool = True  # with the rasa backend, start and supervise `rasa run` on nlu_url (loopback)
    # Rasa processes: nlu_url's port and the next ones (5005, 5006, ...), asked round robin; one that fails is
    # skipped for a few seconds. Each parses one message at a time, so more replicas answer more at once.
    nlu_replicas: int = Field(default=1, ge=1, le=16)
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
    # true: `frontdoor serve` also sends the outbox and retries stored inbound messages; false: `frontdoor worker` does
    outbox_in_app: bool = True
    outbox_batch: int = 50
    outbox_poll_seconds: float = 0.5
    outbox_lease_seconds: float = 60.0  # a claimed row whose worker died is retried after this
    outbox_max_attempts: int = 10  # then the row is dead-lettered for staff to see
    directory_stale_days: int = 180  # a service nobody has confirmed for this long is listed for its admins
    outbox_backoff_seconds: float = 2.0  # first retry delay; doubles per attempt, with jitter
    outbox_backoff_max_seconds: float = 900.0
    telegram_rate_per_second: float = 30.0  # Bot API: about 30 messages per second overall
    telegram_chat_rate_per_second: float = 1.0  # and about one per second in one chat
    twilio_rate_per_second: float = 10.0  # per sending number or messaging service
    # Inbound messages are stored before their turn runs; a turn that fails is retried from the stored row.
    inbound_inline_seconds: float = 10.0  # a webhook runs its message for up to this long, then answers anyway
    # At most this many turns run inside webhooks at once per web process; a delivery beyond them is stored
    # and answered 200 at once, and the background workers run it (a burst is taken in at insert speed).
    inbound_inline_turns: int = Field(default=32, ge=0)
    # Once a delivery found every inline slot taken, deliveries are only stored for this long, and for as long
    # as more than the inline turns arrive in such a window (then turns run inside webhooks again).
    inbound_burst_seconds: float = Field(default=2.0, ge=0)
    inbound_lease_seconds: float = 30.0  # a message claimed by a process that died is retried after this
    inbound_max_attempts: int = 10  # then it is dead (counted in /metrics as frontdoor_inbound_dead)
    inbound_backoff_seconds: float = 1.0  # first retry delay; doubles per attempt, with jitter
    # `frontdoor worker` processes run at this much lower CPU priority (nice), so on a shared machine the web
    # processes, which store and acknowledge providers' webhooks, are never starved by the backlog's turns.
    worker_nice: int = Field(default=5, ge=0, le=19)
    # Web worker processes of `frontdoor serve` (PostgreSQL only: SQLite stays one process)
    web_workers: int = 1
    # A directory (one per machine) where every process of `frontdoor serve`, `worker` and `telegram poll` keeps
    # its counters, so /metrics adds them all up; unset: /metrics shows the counters of the process it reaches.
    metrics_dir: str = ""
    # Partners' email ("you have a new referral"): smtp://host:port, smtp+starttls://..., smtps://user:pass@host:port.
    # Unset: no emails are queued. The notices are sent by the same process as the outbox (in-app or `worker`).
    smtp_url: SecretStr = SecretStr("")
    mail_from: str = "Frontdoor <frontdoor@localhost>"
    # The web edge
    max_request_bytes: int = 256 * 1024  # any request body beyond this is refused (413) before it is parsed
    api_docs: int = 0  # 1: serve /openapi.json and /docs (off: they list every route, staff ones included)
    # The web simulator writes to the database, so it is for local use: "" (auto) means on only when no
    # public base URL is set and the app listens on loopback; "1"/"true" forces it on, "0"/"false" off.
    simulator: str = ""
    simulator_messages_per_minute: float = 20.0  # per client address (IP), burst of 10
    hsds_requests_per_minute: float = 120.0  # the /hsds/ read API, per client address (IP), burst of 30

    @property
    def simulator_enabled(self) -> bool:
        choice = self.simulator.strip().lower()
        if choice in ("1", "true", "yes", "on"):
            return True
        if choice in ("0", "false", "no", "off"):
            return False
        return not self.public_base_url and self.host in ("127.0.0.1", "localhost", "::1")

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments first, then the environment ``load_settings`` was given (none: code-built settings)."""
        environ = _ENVIRON.get()
        if environ is None:
            return (init_settings,)
        return (init_settings, _MappingEnvSource(settings_cls, environ))

    def masked(self) -> dict[str, str]:
        """Settings as strings, with secrets and database passwords hidden."""
        shown: dict[str, str] = {}
        for field in type(self).model_fields:
            raw = getattr(self, field)
            value = raw.get_secret_value() if isinstance(raw, SecretStr) else str(raw)
            name = f"{ENV_PREFIX}{field.upper()}"
            if isinstance(raw, SecretStr) or any(m in name for m in _SECRET_MARKERS) or field.endswith("_sid"):
                value = "****" if value else "(unset)"
            elif field == "database_url":
                value = _mask_url_password(value)
            shown[name] = value
        return shown


_ENVIRON: ContextVar[Mapping[str, str] | None] = ContextVar("frontdoor_settings_environ", default=None)


class _MappingEnvSource(EnvSettingsSource):
    """pydantic-settings' environment source, reading a given mapping instead of ``os.environ``."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        self._environ = environ
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return {(key if self.case_sensitive else key.lower()): value for key, value in self._environ.items()
                if value or not self.env_ignore_empty}


@contextmanager
def _reading(environ: Mapping[str, str]) -> Iterator[None]:
    token = _ENVIRON.set(environ)
    try:
        yield
    finally:
        _ENVIRON.reset(token)


def _mask_url_password(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, _, host = rest.rpartition("@")
    user, colon, _password = credentials.partition(":")
    return f"{scheme}://{user}{':****' if colon else ''}@{host}"


_EXPECTED = {
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "float_parsing": "a number",
    "bool_parsing": "true or false (1 or 0)",
    "string_type": "text",
}


def _describe(error: Mapping[str, Any]) -> str:
    """``FRONTDOOR_PORT must be an integer: 'abc'`` for one pydantic error."""
    field = str(error["loc"][0]) if error.get("loc") else "?"
    name = f"{ENV_PREFIX}{field.upper()}"
    kind = str(error.get("type", ""))
    if kind == "literal_error":
        choices = error.get("ctx", {}).get("expected", "")
        expected = f"one of {choices}"
    else:
        expected = _EXPECTED.get(kind, "valid")
    return f"{name} must be {expected}: {error.get('input')!r}"


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read settings from ``environ`` (default: the process environment); SettingsError on a bad value."""
    with _reading(os.environ if environ is None else environ):
        try:
            return Settings()
        except ValidationError as exc:
            raise SettingsError("; ".join(_describe(e) for e in exc.errors())) from None
