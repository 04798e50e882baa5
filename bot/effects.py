"""What the engine asks the outside world to do; applied in one transaction with the state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "CreateReferral", "DeleteClientData", "Effect", "FlagUrgent", "OptOut", "OptIn",
    "RecordConsent", "RecordSignpost", "RecordUnmetNeed",
]


@dataclass(frozen=True)
class RecordConsent:
    consent_id: str
    organization_id: str
    granted: bool
    wording_version: str
    wording_text: str
    language: str
    at: dt.datetime


@dataclass(frozen=True)
class CreateReferral:
    referral_id: str
    reference: str
    consent_id: str
    organization_id: str
    service_id: str
    categories: tuple[str, ...]
    summary: str
    client_name: str | None
    language: str
    deadline: dt.date | None
    deadline_text: str | None
    urgent: bool
    crisis: bool
    communication_needs: dict[str, Any] = field(hash=False)
    routing: dict[str, Any] = field(hash=False)
    postcode: str | None = None
    area: str | None = None


@dataclass(frozen=True)
class RecordUnmetNeed:
    category: str
    area: str | None
    language: str
    reason: str  # no_service | no_capacity | unknown_area


@dataclass(frozen=True)
class RecordSignpost:
    category: str
    service_id: str
    reason: str  # wider_network | consent_refused | no_capacity
    area: str | None
    language: str


@dataclass(frozen=True)
class FlagUrgent:
    """A crisis after referrals were sent: mark this client's open referrals urgent."""

    reason: str = "crisis"


@dataclass(frozen=True)
class DeleteClientData:
    """Withdraw open referrals (partners are told), redact them, forget the conversation."""


@dataclass(frozen=True)
class OptOut:
    """The client sent STOP: send nothing more until START; advisers see the opt-out."""


@dataclass(frozen=True)
class OptIn:
    """The client sent START after STOP."""


Effect = (
    RecordConsent | CreateReferral | RecordUnmetNeed | RecordSignpost | FlagUrgent
    | DeleteClientData | OptOut | OptIn
)
