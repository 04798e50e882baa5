"""Referral, consent, audit and unmet-need tables.

A referral is only ever written together with the consent that allows it
(see :mod:`referrals.actions`); every status change writes an audit row.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

import directory.models  # noqa: F401  (the directory tables the foreign keys below point at)
from core.db import Base, JSONType

__all__ = ["AuditEvent", "Consent", "OrganizationSettings", "Referral", "ReferralMessage", "ReferralStatus", "Signpost",
           "UnmetNeed",
           "STATUSES"]


class ReferralStatus(StrEnum):
    """A referral's lifecycle (which may follow which: ``referrals.actions.TRANSITIONS``)."""

    NEW = "new"
    ACCEPTED = "accepted"
    CONTACTED = "contacted"
    DECLINED = "declined"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


STATUSES: tuple[ReferralStatus, ...] = tuple(ReferralStatus)


class Consent(Base):
    """A client's answer to a data-sharing question naming one organisation."""

    __tablename__ = "consent"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    client_channel: Mapped[str] = mapped_column(String(20))
    client_address: Mapped[str] = mapped_column(String(200), index=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"), index=True)
    granted: Mapped[bool] = mapped_column(Boolean)
    wording_version: Mapped[str] = mapped_column(String(40))
    wording_text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(10))
    channel: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Referral(Base):
    __tablename__ = "referral"
    # A match reads its candidates' referrals this week and last one (``referrals.queries.service_usage``).
    __table_args__ = (Index("ix_referral_service_created", "service_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    conversation_id: Mapped[str | None] = mapped_column(String(36), index=True)
    client_channel: Mapped[str] = mapped_column(String(20))
    client_address: Mapped[str] = mapped_column(String(200), index=True)
    client_name: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(10))
    categories: Mapped[list[str]] = mapped_column(JSONType, default=list)
    summary: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[dt.date | None] = mapped_column(Date, index=True)
    deadline_text: Mapped[str | None] = mapped_column(Text)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    crisis: Mapped[bool] = mapped_column(Boolean, default=False)
    communication_needs: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    routing: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    postcode: Mapped[str | None] = mapped_column(String(20))
    area: Mapped[str | None] = mapped_column(String(100))
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"), index=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="RESTRICT"))
    consent_id: Mapped[str] = mapped_column(ForeignKey("consent.id"))
    status: Mapped[str] = mapped_column(String(20), default=ReferralStatus.NEW.value, index=True)
    client_opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    # Written by the web simulator: never in a partner's queue, counts, capacity or export.
    simulated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # Service levels: when an adviser first reached the client (None: not yet; overdue after the target).
    first_contact_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Outcomes: one id from referrals/data/outcomes.yml, set once, when the referral is closed.
    outcome: Mapped[str | None] = mapped_column(String(40), index=True)
    outcome_note: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    consent: Mapped[Consent] = relationship()
    audit: Mapped[list[AuditEvent]] = relationship(
        back_populates="referral", cascade="all, delete-orphan", order_by="AuditEvent.seq"
    )


class AuditEvent(Base):
    """One change to a referral: who, when, what; never message text."""

    __tablename__ = "audit_event"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    referral_id: Mapped[str] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    detail: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)

    referral: Mapped[Referral] = relationship(back_populates="audit")


class ReferralMessage(Base):
    """One message of the thread between a referral's adviser and its client (both directions).

    The text is the client's personal data: it is shown only to the referral's organisation
    and redacted with the referral when the client asks us to delete their data.
    """

    __tablename__ = "referral_message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    referral_id: Mapped[str] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    direction: Mapped[str] = mapped_column(String(3))  # "out": adviser to client | "in": client to adviser
    author: Mapped[str] = mapped_column(String(100))  # staff:<account id> | client
    body: Mapped[str] = mapped_column(Text)
    segments: Mapped[int | None] = mapped_column(Integer)  # SMS segments of what the client received (out)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)  # a crisis message in the thread


class UnmetNeed(Base):
    """An issue we could not route: evidence for funders, no personal data."""

    __tablename__ = "unmet_need"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    category: Mapped[str] = mapped_column(String(40), index=True)
    area: Mapped[str | None] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(40))  # no_service | no_capacity | unknown_area | reroute_*
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Signpost(Base):
    """A service the client was pointed to without a referral (monitoring only)."""

    __tablename__ = "signpost"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    category: Mapped[str] = mapped_column(String(40))
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="RESTRICT"), index=True)
    reason: Mapped[str] = mapped_column(String(40))  # wider_network | consent_refused
    area: Mapped[str | None] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class OrganizationSettings(Base):
    """One partner's own service levels: how soon a new referral should hear from them, where to tell them."""

    __tablename__ = "organization_settings"

    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"),
                                                 primary_key=True)
    first_contact_hours: Mapped[int | None] = mapped_column(Integer)  # None: no target set
    referral_email: Mapped[str | None] = mapped_column(String(254))  # None: the directory's email
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str | None] = mapped_column(String(36))
