"""Drafts, publishing and versions of directory records, without access rules (``staff.directory_admin`` adds them).

Publishing writes the record through the importer's upsert, so an edit reaches
exactly the tables an import would, and keeps the full record as a new version.
The first publish of a record keeps what was there before as version 1
("baseline"), so the state before any edit here can be restored. Matching reads
only the published tables: the caller refreshes the matcher's cache after commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.exporter import organization_document, service_document
from directory.history_models import KINDS, DirectoryDraft, DirectoryVersion
from directory.importer import import_directory
from directory.models import Service
from directory.problems import DirectoryImportError
from directory.schema import HSDS_VERSION, PROFILE

__all__ = [
    "VersionError", "draft_for", "drafts", "find_version", "publish_draft", "publish_record", "published_record",
    "revert_to", "save_draft", "versions",
]


class VersionError(ValueError):
    """A publish or revert that cannot be written (the record no longer fits the directory)."""


def published_record(session: Session, kind: str, record_id: str) -> dict[str, Any] | None:
    """The record as matching sees it now (its export form), or None if there is none."""
    if kind == "organization":
        return organization_document(session, record_id)
    if kind == "service":
        return service_document(session, record_id)
    return None


def draft_for(session: Session, kind: str, record_id: str) -> DirectoryDraft | None:
    return session.scalar(select(DirectoryDraft).where(DirectoryDraft.kind == kind,
                                                       DirectoryDraft.record_id == record_id))


def drafts(session: Session, organization_id: str | None) -> list[DirectoryDraft]:
    """Drafts awaiting review, oldest first: one organisation's, or (None) every one."""
    query = select(DirectoryDraft).order_by(DirectoryDraft.created_at, DirectoryDraft.id)
    if organization_id is not None:
        query = query.where(DirectoryDraft.organization_id == organization_id)
    return list(session.scalars(query))


def save_draft(session: Session, kind: str, record: dict[str, Any], *, organization_id: str, by: str,
               at: dt.datetime) -> DirectoryDraft:
    """Store (or replace) the one draft of this record; ``record`` has been checked by ``directory.schema``."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    draft = draft_for(session, kind, str(record["id"]))
    if draft is None:
        draft = DirectoryDraft(kind=kind, record_id=str(record["id"]), organization_id=organization_id,
                               record=record, created_by=by, created_at=at)
        session.add(draft)
    else:
        draft.record, draft.created_by, draft.created_at = record, by, at
    session.flush()
    return draft


def versions(session: Session, kind: str, record_id: str) -> list[DirectoryVersion]:
    """Every published version of a record, newest first."""
    return list(session.scalars(select(DirectoryVersion).where(
        DirectoryVersion.kind == kind, DirectoryVersion.record_id == record_id).order_by(
        DirectoryVersion.number.desc())))


def find_version(session: Session, kind: str, record_id: str, number: int) -> DirectoryVersion | None:
    return session.scalar(select(DirectoryVersion).where(
        DirectoryVersion.kind == kind, DirectoryVersion.record_id == record_id, DirectoryVersion.number == number))


def _document(kind: str, record: dict[str, Any]) -> dict[str, Any]:
    demo = bool(record.get("x_frontdoor", {}).get("is_demo")) if kind == "organization" else False
    return {"hsds_version": HSDS_VERSION, "profile": PROFILE, "demo": demo,
            "organizations": [record] if kind == "organization" else [],
            "services": [record] if kind == "service" else []}


def _next_number(session: Session, kind: str, record_id: str) -> int:
    latest = session.scalar(select(func.max(DirectoryVersion.number)).where(
        DirectoryVersion.kind == kind, DirectoryVersion.record_id == record_id))
    return (latest or 0) + 1


def publish_record(session: Session, kind: str, record: dict[str, Any], *, organization_id: str, by: str,
                   at: dt.datetime, action: str = "publish", drafted_by: str | None = None,
                   reverted_to: int | None = None) -> DirectoryVersion:
    """Write ``record`` into the published tables and keep it as the record's next version."""
    record_id = str(record["id"])
    number = _next_number(session, kind, record_id)
    if number == 1:
        before = published_record(session, kind, record_id)
        if before is not None:
            session.add(DirectoryVersion(kind=kind, record_id=record_id, organization_id=organization_id, number=1,
                                         record=before, action="baseline", published_at=at))
            number = 2
    try:
        import_directory(session, _document(kind, record), file=f"{kind} {record_id}")
    except DirectoryImportError as exc:
        raise VersionError("; ".join(p.message for p in exc.problems)) from exc
    version = DirectoryVersion(kind=kind, record_id=record_id, organization_id=organization_id, number=number,
                               record=record, action=action, reverted_to=reverted_to, drafted_by=drafted_by,
                               published_by=by, published_at=at)
    session.add(version)
    if kind == "service":  # an admin has just looked at every field: it counts as verified
        service = session.get(Service, record_id)
        if service is not None:
            service.last_verified_at, service.last_verified_by = at, by
    session.flush()
    return version


def publish_draft(session: Session, draft: DirectoryDraft, *, by: str, at: dt.datetime) -> DirectoryVersion:
    version = publish_record(session, draft.kind, draft.record, organization_id=draft.organization_id, by=by,
                             at=at, drafted_by=draft.created_by)
    session.delete(draft)
    session.flush()
    return version


def revert_to(session: Session, version: DirectoryVersion, *, by: str, at: dt.datetime) -> DirectoryVersion:
    """Publish an old version's record again, as a new version (history is never rewritten)."""
    return publish_record(session, version.kind, dict(version.record), organization_id=version.organization_id,
                          by=by, at=at, action="revert", reverted_to=version.number)
