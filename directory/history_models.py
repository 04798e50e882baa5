"""Tables of the directory's editing history: drafts awaiting review, and every published version.

The organisation and service tables stay the published directory that matching
and exports read; a draft is a proposed record (the HSDS-shaped JSON that
``directory.schema`` checks) kept beside them until it is published. Every
publish keeps the full record it wrote, so any version can be shown, compared
and restored.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, JSONType

__all__ = ["KINDS", "DirectoryDraft", "DirectoryVersion"]

KINDS = ("organization", "service")


class DirectoryDraft(Base):
    """One proposed record; saving again replaces it (one open draft per record)."""

    __tablename__ = "directory_draft"
    __table_args__ = (UniqueConstraint("kind", "record_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))  # organization | service
    record_id: Mapped[str] = mapped_column(String(100))
    organization_id: Mapped[str] = mapped_column(String(100), index=True)
    record: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_by: Mapped[str] = mapped_column(String(36))  # staff account id
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DirectoryVersion(Base):
    """A record as it was published: version 1 is the record as found before its first edit here."""

    __tablename__ = "directory_version"
    __table_args__ = (UniqueConstraint("kind", "record_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[str] = mapped_column(String(100), index=True)
    organization_id: Mapped[str] = mapped_column(String(100), index=True)
    number: Mapped[int] = mapped_column(Integer)
    record: Mapped[dict[str, Any]] = mapped_column(JSONType)
    action: Mapped[str] = mapped_column(String(20))  # baseline | publish | revert
    reverted_to: Mapped[int | None] = mapped_column(Integer)
    drafted_by: Mapped[str | None] = mapped_column(String(36))
    published_by: Mapped[str | None] = mapped_column(String(36))  # None for a baseline (imported data)
    published_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
