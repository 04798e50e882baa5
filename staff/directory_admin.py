"""Directory editing by staff: who may edit, review and publish what, as audited verbs.

An org admin edits their own organisation and its services; every such edit is
a draft until a network admin publishes it. A network admin edits everything
and may publish their own drafts. Each ``do_*`` verb checks access, writes and
records a staff event in the caller's transaction, so a page cannot do one
without the others. Anything out of reach raises :class:`NotEditable`, which
the web layer answers with 404 so that another organisation's records are not
revealed. The caller refreshes the matcher's cache after a publish commits.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from directory.freshness import mark_verified
from directory.history_models import KINDS, DirectoryDraft, DirectoryVersion
from directory.models import Organization, Service
from directory.versions import find_version, publish_draft, revert_to, save_draft
from staff.audit import record_event
from staff.models import StaffAccount

__all__ = [
    "NotEditable", "can_edit_directory", "can_publish", "check_draft", "check_record", "directory_scope",
    "do_discard_draft", "do_mark_verified", "do_publish", "do_revert", "do_save_draft",
]


class NotEditable(LookupError):
    """Out of this account's reach (or does not exist): the caller answers 404."""


def can_edit_directory(account: StaffAccount) -> bool:
    return account.role == "network_admin" or (account.role == "org_admin" and account.organization_id is not None)


def can_publish(account: StaffAccount) -> bool:
    return account.role == "network_admin"


def directory_scope(account: StaffAccount) -> str | None:
    """The one organisation whose records this account edits, or None for every one; advisers none."""
    if not can_edit_directory(account):
        raise NotEditable("directory")
    return None if can_publish(account) else account.organization_id


def check_record(session: Session, account: StaffAccount, kind: str, record_id: str) -> Organization | Service:
    """The organisation or service, if this account may edit it; else NotEditable (unknown ids too)."""
    scope = directory_scope(account)
    if kind not in KINDS or len(record_id) > 100:
        raise NotEditable(record_id)
    row: Organization | Service | None = (session.get(Organization, record_id) if kind == "organization"
                                          else session.get(Service, record_id))
    if row is None:
        raise NotEditable(record_id)
    owner = row.id if isinstance(row, Organization) else row.organization_id
    if scope is not None and owner != scope:
        raise NotEditable(record_id)
    return row


def _owner(row: Organization | Service) -> str:
    return row.id if isinstance(row, Organization) else row.organization_id


def check_draft(session: Session, account: StaffAccount, draft_id: int) -> DirectoryDraft:
    scope = directory_scope(account)
    draft = session.get(DirectoryDraft, draft_id)
    if draft is None or (scope is not None and draft.organization_id != scope):
        raise NotEditable(str(draft_id))
    return draft


def do_save_draft(session: Session, account: StaffAccount, kind: str, record: dict[str, Any], *,
                  at: dt.datetime) -> DirectoryDraft:
    """Keep ``record`` (already checked by ``directory.forms``) as the record's draft."""
    row = check_record(session, account, kind, str(record.get("id", "")))
    if kind == "service" and record.get("organization_id") != _owner(row):
        raise NotEditable(row.id)  # a service never moves to another organisation through a form
    draft = save_draft(session, kind, record, organization_id=_owner(row), by=account.id, at=at)
    record_event(session, at=at, account_id=account.id, action="directory_draft_saved",
                 organization_id=_owner(row), kind=kind, record_id=row.id, draft_id=draft.id)
    return draft


def do_publish(session: Session, account: StaffAccount, draft_id: int, *, at: dt.datetime) -> DirectoryVersion:
    draft = check_draft(session, account, draft_id)
    if not can_publish(account):
        raise NotEditable(str(draft_id))
    version = publish_draft(session, draft, by=account.id, at=at)
    record_event(session, at=at, account_id=account.id, action="directory_published",
                 organization_id=version.organization_id, kind=version.kind, record_id=version.record_id,
                 version=version.number)
    return version


def do_discard_draft(session: Session, account: StaffAccount, draft_id: int, *, at: dt.datetime) -> None:
    """An org admin withdraws their organisation's draft; a network admin rejects any."""
    draft = check_draft(session, account, draft_id)
    record_event(session, at=at, account_id=account.id, action="directory_draft_discarded",
                 organization_id=draft.organization_id, kind=draft.kind, record_id=draft.record_id)
    session.delete(draft)
    session.flush()


def do_revert(session: Session, account: StaffAccount, kind: str, record_id: str, number: int, *,
              at: dt.datetime) -> DirectoryVersion | DirectoryDraft:
    """Bring back version ``number``: published at once by a network admin, a draft for an org admin."""
    row = check_record(session, account, kind, record_id)
    version = find_version(session, kind, row.id, number)
    if version is None:
        raise NotEditable(f"{record_id} v{number}")
    result: DirectoryVersion | DirectoryDraft
    if can_publish(account):
        result = revert_to(session, version, by=account.id, at=at)
    else:
        result = save_draft(session, kind, dict(version.record), organization_id=_owner(row), by=account.id, at=at)
    record_event(session, at=at, account_id=account.id, action="directory_reverted", organization_id=_owner(row),
                 kind=kind, record_id=row.id, reverted_to=number, published=can_publish(account))
    return result


def do_mark_verified(session: Session, account: StaffAccount, service_id: str, *, at: dt.datetime) -> Service:
    """"Still correct": the service's last-verified date becomes today; nothing else changes."""
    row = check_record(session, account, "service", service_id)
    assert isinstance(row, Service)
    mark_verified(session, row, by=account.id, at=at)
    record_event(session, at=at, account_id=account.id, action="directory_verified",
                 organization_id=row.organization_id, record_id=row.id)
    return row
