"""Checking a whole directory document: each record against ``directory.schema``, then across records.

Records are checked one by one so every problem names its record, and so a
``--partial`` import can keep the good ones. Cross-record rules: ids unique per
table within the file, services point at organisations and locations that exist
(in the file or already in the directory), and the demo flag agrees with the records.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from directory.problems import Problem, json_kind, problems_from
from directory.schema import DEMO_NOTICE, HSDS_VERSION, PROFILE, OrganizationRecord, ServiceRecord

__all__ = ["Checked", "check_document"]

_TOP_KEYS = ("hsds_version", "profile", "demo", "notice", "organizations", "services")


@dataclass
class Checked:
    """The valid records of a document, and what was wrong with the rest."""

    organizations: list[OrganizationRecord] = field(default_factory=list)
    services: list[ServiceRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    fatal: bool = False  # a problem with the document itself: no record can be trusted
    # every id the file names at the top level, valid or not (never "missing" for --deactivate-missing)
    named_organizations: set[str] = field(default_factory=set)
    named_services: set[str] = field(default_factory=set)


def _record_id(item: object) -> str | None:
    value = item.get("id") if isinstance(item, dict) else None
    return value if isinstance(value, str) else None


def _child_ids(record: OrganizationRecord | ServiceRecord) -> Iterator[tuple[str, str, str]]:
    """(table, id, field) of a record and everything it holds."""
    if isinstance(record, OrganizationRecord):
        yield "organization", record.id, "id"
        for i, phone in enumerate(record.phones):
            yield "phone", phone.id, f"phones[{i}].id"
        for i, loc in enumerate(record.locations):
            yield "location", loc.id, f"locations[{i}].id"
            for j, address in enumerate(loc.addresses):
                yield "address", address.id, f"locations[{i}].addresses[{j}].id"
        return
    yield "service", record.id, "id"
    lists: dict[str, list[Any]] = {
        "phone": record.phones, "schedule": record.schedules, "service_area": record.service_areas,
        "service_at_location": record.service_at_locations, "language": record.languages,
        "cost_option": record.cost_options, "contact": record.contacts,
    }
    names = {"phone": "phones", "schedule": "schedules", "service_area": "service_areas", "language": "languages",
             "service_at_location": "service_at_locations", "cost_option": "cost_options", "contact": "contacts"}
    for table, items in lists.items():
        for i, item in enumerate(items):
            yield table, item.id, f"{names[table]}[{i}].id"
    for i, contact in enumerate(record.contacts):
        for j, phone in enumerate(contact.phones):
            yield "contact_phone", phone.id, f"contacts[{i}].phones[{j}].id"


class _Checker:
    def __init__(self, file: str, known_organizations: set[str], known_locations: set[str]) -> None:
        self.file = file
        self.known_organizations = known_organizations
        self.known_locations = known_locations
        self.out = Checked()
        self.first_use: dict[tuple[str, str], str] = {}

    def problem(self, record: str, record_id: str | None, where: str, message: str) -> None:
        self.out.problems.append(Problem(self.file, record, record_id, where, message))

    def document(self, data: object) -> list[tuple[str, list[Any]]]:
        """Check the top level; returns the record lists, or nothing when the document is unusable."""
        if not isinstance(data, dict):
            self.problem("", None, "$", f"must be an object, not {json_kind(data)}")
            return []
        for key in data:
            if key not in _TOP_KEYS:
                self.problem("", None, str(key), "unknown field")
        version = data.get("hsds_version")
        if version != HSDS_VERSION:
            self.problem("", None, "hsds_version", f"must be {HSDS_VERSION!r}, not "
                         + ("missing" if "hsds_version" not in data else repr(version)))
        if data.get("profile", PROFILE) != PROFILE:
            self.problem("", None, "profile", f"must be {PROFILE!r}, not {data['profile']!r}")
        if not isinstance(data.get("demo", False), bool):
            self.problem("", None, "demo", f"must be true or false, not {json_kind(data['demo'])}")
        if not isinstance(data.get("notice", ""), str):
            self.problem("", None, "notice", f"must be a string, not {json_kind(data['notice'])}")
        lists = []
        for key in ("organizations", "services"):
            value = data.get(key)
            if key not in data:
                self.problem("", None, key, "is required (it may be an empty list)")
            elif not isinstance(value, list):
                self.problem("", None, key, f"must be a list, not {json_kind(value)}")
            else:
                lists.append((key, value))
        if len(lists) == 2 and not lists[0][1] and not lists[1][1]:
            self.problem("", None, "", "has no organizations and no services; nothing imported "
                                       "(an import never empties the directory)")
        if self.out.problems:
            self.out.fatal = True
            return []
        return lists

    def record(self, model: type[BaseModel], item: object, where: str) -> Any:
        ident = _record_id(item)
        try:
            return model.model_validate(item)
        except ValidationError as exc:
            self.out.problems.extend(problems_from(exc, model, file=self.file, record=where, record_id=ident))
            return None

    def unique(self, record: OrganizationRecord | ServiceRecord, where: str) -> bool:
        fine = True
        for table, ident, at in _child_ids(record):
            first = self.first_use.setdefault((table, ident), f"{where}.{at}")
            if first != f"{where}.{at}":
                self.problem(where, record.id, at, f"duplicate id {ident!r} (first used at {first.rsplit('.', 1)[0]})")
                fine = False
        return fine

    def references(self, service: ServiceRecord, where: str, orgs: set[str], locations: set[str]) -> bool:
        fine = True
        if service.organization_id not in orgs:
            named = service.organization_id in self.out.named_organizations
            self.problem(where, service.id, "organization_id",
                         f"organization {service.organization_id!r} has problems, so this service cannot be imported"
                         if named else f"no organization with id {service.organization_id!r}")
            fine = False
        for i, link in enumerate(service.service_at_locations):
            if link.location_id not in locations:
                self.problem(where, service.id, f"service_at_locations[{i}].location_id",
                             f"no location with id {link.location_id!r}")
                fine = False
        return fine

    def demo_flag(self, data: dict[str, Any]) -> None:
        demo, notice = data.get("demo"), data.get("notice")
        if not isinstance(demo, bool) or len(self.out.organizations) < len(self.out.named_organizations):
            return
        flags = [o.x_frontdoor.is_demo for o in self.out.organizations]
        if demo and not (flags and all(flags)):
            self.problem("", None, "demo", "is true but some organizations (or all, when there are none) are not "
                                           "x_frontdoor.is_demo")
            self.out.fatal = True
        elif not demo and flags and all(flags):
            self.problem("", None, "demo", "is false but every organization is x_frontdoor.is_demo")
            self.out.fatal = True
        elif isinstance(notice, str) and notice != (DEMO_NOTICE if demo else None):
            self.out.warnings.append("notice: is not stored; exports of demo data carry the standard demo notice")

    def run(self, data: object) -> Checked:
        lists = dict(self.document(data))
        if not lists:
            return self.out
        out = self.out
        out.named_organizations = {i for item in lists["organizations"] if (i := _record_id(item))}
        out.named_services = {i for item in lists["services"] if (i := _record_id(item))}
        for n, item in enumerate(lists["organizations"]):
            where = f"organizations[{n}]"
            org = self.record(OrganizationRecord, item, where)
            if org is not None and self.unique(org, where):
                out.organizations.append(org)
        orgs = {o.id for o in out.organizations} | (self.known_organizations - out.named_organizations)
        locations = {loc.id for o in out.organizations for loc in o.locations} | self.known_locations
        for n, item in enumerate(lists["services"]):
            where = f"services[{n}]"
            service = self.record(ServiceRecord, item, where)
            if service is None or not self.unique(service, where):
                continue
            if self.references(service, where, orgs, locations):
                out.services.append(service)
                if not service.categories:
                    out.warnings.append(f"{where}: no categories, so it will never be matched")
                if not service.service_areas:
                    out.warnings.append(f"{where}: no service areas, so it will never be matched")
        assert isinstance(data, dict)
        self.demo_flag(data)
        return out


def check_document(data: object, *, file: str = "", known_organizations: set[str] | None = None,
                   known_locations: set[str] | None = None) -> Checked:
    """Every problem in ``data``; ``known_*`` are ids already in the directory that services may point at."""
    return _Checker(file, known_organizations or set(), known_locations or set()).run(data)
