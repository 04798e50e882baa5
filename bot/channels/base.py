"""The channel interface: what a new channel (WhatsApp, say) implements, and nothing more.

Inbound, a channel's webhook turns a provider payload into an :class:`InboundEvent`
and hands it to :func:`bot.inbound.receive`. Outbound, a :class:`Composer` turns
engine replies into outbox drafts (in the turn's transaction) and a
:class:`Sender` delivers one outbox row and says what happened as a
:class:`SendResult`, so the worker's retry and opt-out rules are the same for
every provider.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from bot.outbox import Draft
from bot.replies import Reply

__all__ = ["Composer", "InboundEvent", "Outgoing", "SendResult", "Sender"]


@dataclass(frozen=True)
class InboundEvent:
    """One message from a client, already authenticated by the webhook."""

    channel: str
    address: str
    external_id: str  # provider's id for this delivery (MessageSid, update_id): duplicates are dropped
    text: str
    campaign: str | None = None  # Telegram deep-link payload (/start <campaign>)
    extra_drafts: tuple[Draft, ...] = ()  # provider housekeeping, e.g. answering a callback query
    profile_name: str | None = None  # Telegram: the sender's first name, offered at the name question
    language_code: str | None = None  # Telegram: the sender's app language, used when the text does not tell


@dataclass(frozen=True)
class Outgoing:
    """An outbox row as a sender sees it, detached from the database session."""

    id: int
    channel: str
    address: str
    kind: str
    body: str
    payload: dict[str, Any] = field(default_factory=dict)
    attempts: int = 0


@dataclass(frozen=True)
class SendResult:
    """What the provider said; ``retry`` may carry the delay the provider asked for (seconds)."""

    outcome: Literal["sent", "retry", "opted_out", "blocked", "failed"]
    provider_message_id: str | None = None
    retry_after: float | None = None
    error_code: str | None = None


class Composer(Protocol):
    channel: str

    def compose(self, replies: Sequence[Reply]) -> list[Draft]:
        """Provider messages for these replies, in order."""
        ...


class Sender(Protocol):
    channel: str

    async def send(self, message: Outgoing) -> SendResult:
        """Deliver one message; never raise for provider errors, classify them instead."""
        ...

    async def aclose(self) -> None: ...
