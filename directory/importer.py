"""Writing a checked directory document into the database: an upsert by id, never a delete-all.

Organisations and services are never deleted: referrals and consents point at
them (foreign keys since migration 0003). One missing from a new file stays as it
is, or is marked inactive when the admin asks (``deactivate_missing``). What an
organisation or service holds (phones, locations, areas...) is owned by it, so a
child the file no longer lists is removed. A row is written only when a value
changed, so importing the same file twice reports 0 changes the second time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from core.db import Base
from directory.general_queue import GENERAL_QUEUE_ID
from directory.generation import bump
from directory.models import (
    Address,
    Contact,
    CostOption,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCategory,
    ServiceLanguage,
)
from directory.problems import DirectoryImportError, Problem
from directory.schema import OrganizationRecord, ServiceRecord
from directory.validate import check_document

__all__ = ["ImportReport", "import_directory"]

_CHUNK = 500
# Above this many ids, read a whole table instead of looking the ids up (a big import, not one publish).
_WHOLE_TABLE = 2000


@dataclass
class ImportReport:
    organizations: int  # records imported from the file (valid ones)
    services: int
    locations: int
    created: Counter[str] = field(default_factory=Counter)  # per table
    updated: Counter[str] = field(default_factory=Counter)
    removed: Counter[str] = field(default_factory=Counter)  # children the file no longer lists
    deactivated: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)  # problems of records left out by a partial import

    @property
    def changes(self) -> int:
        return sum((self.created + self.updated + self.removed + self.deactivated).values())

    def summary(self) -> str:
        def part(name: str, counts: Counter[str]) -> str:
            detail = ", ".join(f"{n} {table}" for table, n in sorted(counts.items()) if n)
            return f"{name} {sum(counts.values())}" + (f" ({detail})" if detail else "")

        return "; ".join(part(name, counts) for name, counts in (
            ("created", self.created), ("updated", self.updated), ("removed", self.removed),
            ("deactivated", self.deactivated)))


# --- records -> rows -----------------------------------------------------------------------------------

_Rows = dict[type[Base], list[dict[str, Any]]]
_PARENT_FIRST: tuple[type[Base], ...] = (
    Organization, Location, Address, Service, Phone, Contact, Schedule, ServiceArea, ServiceLanguage, CostOption,
    ServiceAtLocation,
)
# The owner column(s) of each child table: a child of an imported owner that the file no longer lists is removed.
_OWNERS: dict[type[Base], tuple[tuple[str, type[Base]], ...]] = {
    Location: (("organization_id", Organization),), Address: (("location_id", Location),),
    Phone: (("organization_id", Organization), ("service_id", Service)), Contact: (("service_id", Service),),
    Schedule: (("service_id", Service),), ServiceArea: (("service_id", Service),),
    ServiceLanguage: (("service_id", Service),), CostOption: (("service_id", Service),),
    ServiceAtLocation: (("service_id", Service),),
}


def _plain(record: Any, *skip: str) -> dict[str, Any]:
    return record.model_dump(exclude=set(skip))  # type: ignore[no-any-return]


def _phone(phone: Any, organization_id: str | None = None, service_id: str | None = None) -> dict[str, Any]:
    return {**_plain(phone), "organization_id": organization_id, "service_id": service_id}


def _rows(orgs: list[OrganizationRecord], services: list[ServiceRecord]) -> tuple[_Rows, dict[str, list[str]]]:
    rows: _Rows = {model: [] for model in _PARENT_FIRST}
    for org in orgs:
        rows[Organization].append({**_plain(org, "phones", "locations", "x_frontdoor"), **_plain(org.x_frontdoor)})
        rows[Phone].extend(_phone(p, organization_id=org.id) for p in org.phones)
        for loc in org.locations:
            rows[Location].append({**_plain(loc, "addresses"), "organization_id": org.id})
            for address in loc.addresses:
                row = _plain(address, "state_province")
                rows[Address].append({**row, "region": address.state_province or None, "location_id": loc.id})
    categories: dict[str, list[str]] = {}
    lists: dict[type[Base], str] = {
        Schedule: "schedules", ServiceArea: "service_areas", ServiceLanguage: "languages",
        CostOption: "cost_options", ServiceAtLocation: "service_at_locations",
    }
    for service in services:
        own = _plain(service, "phones", "categories", "x_frontdoor", *lists.values(), "contacts")
        rows[Service].append({**own, **_plain(service.x_frontdoor)})
        rows[Phone].extend(_phone(p, service_id=service.id) for p in service.phones)
        for model, key in lists.items():
            rows[model].extend({**_plain(item), "service_id": service.id} for item in getattr(service, key))
        rows[Contact].extend({**_plain(c, "phones"), "phones": [_plain(p) for p in c.phones], "service_id": service.id}
                             for c in service.contacts)
        categories[service.id] = list(service.categories)
    return rows, categories


# --- writing -------------------------------------------------------------------------------------------


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    return (items[i:i + _CHUNK] for i in range(0, len(items), _CHUNK))


def _stored(session: Session, model: type[Base], rows: _Rows) -> dict[str, dict[str, Any]]:
    """The stored rows this import may touch: those with the file's ids, and the children of its owners.

    Only these are read, so publishing one service into a directory of 50,000 reads a few rows, not all.
    """
    table = model.__table__
    wanted: dict[Any, list[str]] = {table.c.id: [row["id"] for row in rows[model]]}
    for column, owner in _OWNERS.get(model, ()):
        wanted[table.c[column]] = [row["id"] for row in rows[owner]]
    if sum(map(len, wanted.values())) > _WHOLE_TABLE:  # a big import: one scan beats thousands of lookups
        return {row.id: dict(row._mapping) for row in session.execute(select(table))}
    out: dict[str, dict[str, Any]] = {}
    for column, ids in wanted.items():
        for chunk in _chunks(sorted(set(ids))):
            out.update((row.id, dict(row._mapping)) for row in session.execute(select(table).where(column.in_(chunk))))
    return out


def _remove_stale(session: Session, rows: _Rows, stored: dict[type[Base], dict[str, dict[str, Any]]],
                  report: ImportReport) -> None:
    """Children of imported owners that the file no longer lists; deepest first so foreign keys hold."""
    for model in reversed(_PARENT_FIRST):
        owners = _OWNERS.get(model)
        if owners is None:
            continue
        wanted = {row["id"] for row in rows[model]}
        owner_ids = {column: {row["id"] for row in rows[owner]} for column, owner in owners}
        stale = [ident for ident, row in stored[model].items() if ident not in wanted
                 and any(row[column] in ids for column, ids in owner_ids.items())]
        for chunk in _chunks(stale):
            session.execute(delete(model).where(model.id.in_(chunk)))  # type: ignore[attr-defined]
        report.removed[model.__tablename__] += len(stale)


def _upsert(session: Session, model: type[Base], rows: list[dict[str, Any]], stored: dict[str, dict[str, Any]],
            report: ImportReport) -> None:
    new = [row for row in rows if row["id"] not in stored]
    changed = [row for row in rows if row["id"] in stored
               and any(stored[row["id"]].get(key) != value for key, value in row.items())]
    for chunk in _chunks(new):
        session.execute(insert(model), chunk)
    for chunk in _chunks(changed):
        session.execute(update(model), chunk)
    report.created[model.__tablename__] += len(new)
    report.updated[model.__tablename__] += len(changed)


def _sync_categories(session: Session, categories: dict[str, list[str]], report: ImportReport) -> None:
    stored: dict[str, list[tuple[int, str]]] = {}
    query = select(ServiceCategory.service_id, ServiceCategory.position, ServiceCategory.category)
    queries = [query] if len(categories) > _WHOLE_TABLE else \
        [query.where(ServiceCategory.service_id.in_(chunk)) for chunk in _chunks(sorted(categories))]
    for one in queries:
        for row in session.execute(one):
            stored.setdefault(row.service_id, []).append((row.position, row.category))
    changed = [sid for sid, cats in categories.items() if [c for _, c in sorted(stored.get(sid, []))] != cats]
    for chunk in _chunks(changed):
        session.execute(delete(ServiceCategory).where(ServiceCategory.service_id.in_(chunk)))
    fresh = [{"service_id": sid, "category": c, "position": i}
             for sid in changed for i, c in enumerate(categories[sid])]
    for chunk in _chunks(fresh):
        session.execute(insert(ServiceCategory), chunk)
    report.created["service_category"] += sum(1 for sid in changed if sid not in stored)
    report.updated["service_category"] += sum(1 for sid in changed if sid in stored)


def _deactivate(session: Session, named_orgs: set[str], named_services: set[str], report: ImportReport) -> None:
    targets: tuple[tuple[type[Organization] | type[Service], set[str], tuple[str, ...]], ...] = (
        (Organization, named_orgs, ("inactive",)), (Service, named_services, ("inactive", "defunct")))
    for model, named, inactive in targets:
        ids = [ident for ident, status in session.execute(select(model.id, model.status))
               if ident not in named and status not in inactive and ident != GENERAL_QUEUE_ID]
        for chunk in _chunks(ids):
            session.execute(update(model).where(model.id.in_(chunk)).values(status="inactive"))
        report.deactivated[model.__tablename__] += len(ids)


def import_directory(session: Session, data: object, *, file: str = "", partial: bool = False,
                     deactivate_missing: bool = False) -> ImportReport:
    """Check ``data`` completely, then upsert it in the caller's transaction.

    Raises DirectoryImportError listing every problem before anything is written;
    with ``partial`` the valid records are written and the problems come back in
    ``report.skipped`` (a problem with the document itself still stops everything).
    """
    referenced_orgs, referenced_locations = _references(data)
    org_ids = _existing(session, Organization.id, referenced_orgs)
    stored_locations = {ident: owner for chunk in _chunks(sorted(referenced_locations)) for ident, owner in
                        session.execute(select(Location.id, Location.organization_id).where(Location.id.in_(chunk)))}
    named = {o["id"] for o in data.get("organizations", []) if isinstance(o, dict) and isinstance(o.get("id"), str)} \
        if isinstance(data, dict) and isinstance(data.get("organizations"), list) else set()
    # A stored location survives this import only if its organisation is not in the file.
    keep = {ident for ident, owner in stored_locations.items() if owner not in named}
    checked = check_document(data, file=file, known_organizations=org_ids, known_locations=keep)
    if checked.problems and (checked.fatal or not partial):
        raise DirectoryImportError(checked.problems)
    report = ImportReport(len(checked.organizations), len(checked.services),
                          sum(len(o.locations) for o in checked.organizations),
                          warnings=checked.warnings, skipped=checked.problems)
    rows, categories = _rows(checked.organizations, checked.services)
    session.flush()
    stored = {model: _stored(session, model, rows) for model in _PARENT_FIRST}
    _remove_stale(session, rows, stored, report)
    for model in _PARENT_FIRST:
        _upsert(session, model, rows[model], stored[model], report)
    _sync_categories(session, categories, report)
    if deactivate_missing:
        _deactivate(session, checked.named_organizations, checked.named_services, report)
    if report.changes:
        bump(session)  # every process's matcher sees this change when it commits
    session.expire_all()
    return report


def _references(data: object) -> tuple[set[str], set[str]]:
    """The organisation and location ids the document's services point at (whatever else is wrong with it)."""
    services = data.get("services") if isinstance(data, dict) else None
    orgs: set[str] = set()
    locations: set[str] = set()
    for item in services if isinstance(services, list) else ():
        if not isinstance(item, dict):
            continue
        if _could_be_id(item.get("organization_id")):
            orgs.add(item["organization_id"])
        links = item.get("service_at_locations")
        for link in links if isinstance(links, list) else ():
            if isinstance(link, dict) and _could_be_id(link.get("location_id")):
                locations.add(link["location_id"])
    return orgs, locations


def _could_be_id(value: object) -> bool:
    """Worth looking up: anything else is no stored id (and NUL in a query fails on PostgreSQL)."""
    return isinstance(value, str) and 0 < len(value) <= 100 and "\x00" not in value


def _existing(session: Session, column: Any, ids: set[str]) -> set[str]:
    if len(ids) > _WHOLE_TABLE:
        return {str(ident) for ident in session.scalars(select(column))} & ids
    return {str(ident) for chunk in _chunks(sorted(ids)) for ident in session.scalars(select(column).where(
        column.in_(chunk)))}
