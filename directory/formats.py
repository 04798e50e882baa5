"""HSDS 3.0 files from other systems -> Frontdoor's directory document (``directory.schema``).

Two sources: a tabular datapackage (a folder of CSVs, as the official examples)
and the nested JSON of the HSDS API (a service, organisation or service-at-location,
a list or a page of them). Only what Frontdoor uses is kept; anything dropped or
guessed becomes a warning, so an admin sees what the conversion did. Categories
come from taxonomy terms naming a Frontdoor category or an LSC LIST code.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from core.categories import CATEGORIES, CATEGORY_IDS
from directory.files import DEFAULT_LIMITS, Limits, read_csv, read_json
from directory.problems import DirectoryImportError, Problem, json_kind
from directory.schema import ADDRESS_TYPES, EXTENT_TYPES, HSDS_VERSION, PHONE_TYPES, PROFILE

__all__ = ["convert_csv_folder", "convert_hsds_json", "is_frontdoor_document", "load_source"]

_Row = dict[str, Any]  # one HSDS table row; "_at" says where it came from, for messages
_HSDS_TABLES = ("organizations", "services", "locations", "addresses", "phones", "service_areas", "languages",
                "schedules", "cost_options", "contacts", "service_at_location", "attributes", "taxonomy_terms")
_SINGULAR = {"addresses": "address", "service_at_location": "service_at_locations"}
_ORGANIZATION_FIELDS = ("id", "name", "alternate_name", "description", "email", "website")
_SERVICE_FIELDS = ("id", "organization_id", "name", "alternate_name", "description", "url", "email", "status",
                   "interpretation_services", "application_process", "fees_description", "wait_time",
                   "eligibility_description", "minimum_age", "maximum_age")
_ADDRESS_FIELDS = ("id", "address_1", "address_2", "city", "state_province", "postal_code", "country", "address_type")
_SERVICE_LISTS = ("phones", "schedules", "service_areas", "service_at_locations", "languages", "cost_options",
                  "contacts")


def _row_id(row: _Row) -> str | None:
    value = row.get("id")
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None


def _category_for_term(code: str | None, name: str | None) -> str | None:
    """Map a taxonomy term to a category: by id, label, or LSC LIST code (most specific prefix wins)."""
    for text in (code, name):
        key = (text or "").strip().lower().replace(" ", "_")
        if key in CATEGORY_IDS:
            return key
    label = (name or "").strip().lower()
    best: tuple[int, str] | None = None
    for category in CATEGORIES:
        if label and label == category.label.lower():
            return category.id
        for lsc in category.lsc_list_codes:
            prefix = re.sub(r"(-00)+$", "", lsc)
            upper = (code or "").strip().upper()
            if (upper == prefix or upper.startswith(prefix + "-")) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), category.id)
    return best[1] if best else None


class _Converter:
    """Builds the import format from HSDS rows; keeps what Frontdoor can use and warns about the rest."""

    def __init__(self, tables: dict[str, list[_Row]], warnings: list[str], source: str) -> None:
        self.tables = tables
        self.source = source
        self.warnings = warnings
        self.errors: list[Problem] = []

    def text(self, row: _Row, key: str) -> str | None:
        value = row.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, str | int | float)):
            problem = f"must be text, not {json_kind(value)}"
            self.errors.append(Problem(self.source, row["_at"], _row_id(row), key, problem))
            return None
        return (str(value).strip() or None) if value is not None else None

    def number(self, row: _Row, key: str, *, whole: bool = False) -> float | None:
        raw = self.text(row, key)
        if raw is None:
            return None
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or (whole and not value.is_integer()):
            self.errors.append(Problem(self.source, row["_at"], _row_id(row), key,
                                       f"{raw!r} is not a {'whole ' if whole else ''}number"))
            return None
        return int(value) if whole or value.is_integer() else value

    def convert(self) -> dict[str, Any]:
        orgs = [self.organization(row) for row in self.tables["organizations"]]
        org_by_id = {o["id"]: o for o in reversed(orgs)}
        services = [self.service(row, orgs) for row in self.tables["services"]]
        svc_by_id = {s["id"]: s for s in reversed(services)}
        at_locations = {self.text(r, "id"): r for r in self.tables["service_at_location"]}
        locations = self.locations(org_by_id, svc_by_id, orgs)
        contacts: dict[str | None, dict[str, Any]] = {}

        def owner(row: _Row, what: str) -> dict[str, Any] | None:
            service = svc_by_id.get(self.text(row, "service_id"))
            link = at_locations.get(self.text(row, "service_at_location_id"))
            if service is None and link is not None:
                service = svc_by_id.get(self.text(link, "service_id"))
            if service is None:
                self.warnings.append(f"{row['_at']}: {what} not linked to a known service; left out")
            return service

        for row in self.tables["service_at_location"]:
            service, location_id = svc_by_id.get(self.text(row, "service_id")), self.text(row, "location_id")
            if service is None or location_id not in locations:
                self.warnings.append(f"{row['_at']}: service or location not found; link left out")
            else:
                service["service_at_locations"].append({"id": self.text(row, "id"), "location_id": location_id})
        for row in self.tables["contacts"]:
            if (service := owner(row, "contact")) is not None:
                contact: dict[str, Any] = {key: self.text(row, key) for key in ("id", "name", "title", "email")}
                contact["phones"] = []
                service["contacts"].append(contact)
                contacts.setdefault(contact["id"], contact)
        for row in self.tables["phones"]:
            self.phone(row, svc_by_id, org_by_id, contacts)
        for row in self.tables["schedules"]:
            if (service := owner(row, "schedule")) is not None:
                byday = self.text(row, "byday")
                service["schedules"].append({
                    "id": self.text(row, "id"), "byday": byday.upper().replace(" ", "") if byday else None,
                    "opens_at": self.text(row, "opens_at"), "closes_at": self.text(row, "closes_at"),
                    "description": self.text(row, "description")})
        for row in self.tables["service_areas"]:
            if (service := owner(row, "service area")) is not None:
                self.area(row, service)
        for row in self.tables["languages"]:
            code = (self.text(row, "code") or "").lower()
            if code and (service := owner(row, "language")) is not None:
                service["languages"].append({"id": self.text(row, "id"), "code": code,
                                             "name": self.text(row, "name"), "note": self.text(row, "note")})
        for row in self.tables["cost_options"]:
            if (service := owner(row, "cost option")) is not None:
                self.cost(row, service)
        self.categories(svc_by_id)
        return {"hsds_version": HSDS_VERSION, "profile": PROFILE, "demo": False,
                "organizations": orgs, "services": services}

    def required_id(self, row: _Row) -> None:
        """An organisation or service row without an id is named by its file and row, not by its converted place."""
        if self.text(row, "id") is None:
            self.errors.append(Problem(self.source, row["_at"], None, "id", "is required"))

    def organization(self, row: _Row) -> dict[str, Any]:
        self.required_id(row)
        out: dict[str, Any] = {key: self.text(row, key) for key in _ORGANIZATION_FIELDS}
        out["description"] = out["description"] or ""
        return {**out, "phones": [], "locations": [], "x_frontdoor": {"network": None, "is_demo": False}}

    def service(self, row: _Row, orgs: list[dict[str, Any]]) -> dict[str, Any]:
        self.required_id(row)
        out: dict[str, Any] = {key: self.text(row, key) for key in _SERVICE_FIELDS}
        out["description"] = out["description"] or ""
        out["status"] = (out["status"] or "active").lower()
        out["minimum_age"] = self.number(row, "minimum_age", whole=True)
        out["maximum_age"] = self.number(row, "maximum_age", whole=True)
        if out["organization_id"] is None and len(orgs) == 1:
            out["organization_id"] = orgs[0]["id"]
            self.warnings.append(f"{row['_at']}: no organization_id; assigned to the only organization")
        out.update({key: [] for key in _SERVICE_LISTS})
        out["categories"] = []
        out["x_frontdoor"] = {"accepts_referrals": False, "capacity_per_week": None, "response_days": None,
                              "contact_methods": []}
        return out

    def locations(self, orgs: dict[str | None, dict[str, Any]], services: dict[str | None, dict[str, Any]],
                  org_list: list[dict[str, Any]]) -> set[str | None]:
        """Attach each location to its organisation, or else to the organisation of a service held there."""
        served_by = {self.text(r, "location_id"): services.get(self.text(r, "service_id"))
                     for r in reversed(self.tables["service_at_location"])}
        by_id: dict[str | None, dict[str, Any]] = {}
        for row in self.tables["locations"]:
            ident, org = self.text(row, "id"), orgs.get(self.text(row, "organization_id"))
            if org is None:
                service = served_by.get(ident)
                org = orgs.get(service["organization_id"]) if service else (org_list[0] if len(org_list) == 1 else None)
                if org is None:
                    self.warnings.append(f"{row['_at']}: organisation not found; location left out")
                    continue
                self.warnings.append(f"{row['_at']}: organisation not found; attached to {org['id']}")
            lat, lon = self.number(row, "latitude"), self.number(row, "longitude")
            if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
                if lat is not None or lon is not None:
                    self.warnings.append(f"{row['_at']}: latitude/longitude missing or out of range; left out")
                lat = lon = None
            location: dict[str, Any] = {key: self.text(row, key) for key in ("id", "name", "description")}
            kind = (self.text(row, "location_type") or "physical").lower()
            location.update(location_type=kind if kind in ADDRESS_TYPES else "physical", latitude=lat, longitude=lon,
                            addresses=[])
            org["locations"].append(location)
            by_id.setdefault(ident, location)
        for row in self.tables["addresses"]:
            self.address(row, by_id)
        return set(by_id)

    def address(self, row: _Row, locations: dict[str | None, dict[str, Any]]) -> None:
        location = locations.get(self.text(row, "location_id"))
        out = {key: self.text(row, key) for key in _ADDRESS_FIELDS}
        out["state_province"] = out["state_province"] or self.text(row, "region")
        out["country"] = (out["country"] or "GB").upper()
        out["address_type"] = (out["address_type"] or "physical").lower()
        if location is None or not (out["address_1"] and out["city"] and out["postal_code"]):
            self.warnings.append(f"{row['_at']}: no known location, or no street, city or postcode; left out")
        else:
            location["addresses"].append(out)

    def phone(self, row: _Row, services: dict[str | None, dict[str, Any]], orgs: dict[str | None, dict[str, Any]],
              contacts: dict[str | None, dict[str, Any]]) -> None:
        number = (self.text(row, "number") or "").strip("\"' ")
        kind = (self.text(row, "type") or "").lower() or None
        extension, description = self.text(row, "extension"), self.text(row, "description")
        if extension:
            description = f"Extension {extension}. {description or ''}".strip()
        out = {"id": self.text(row, "id"), "number": number, "type": kind if kind in PHONE_TYPES else None,
               "description": description}
        holders = ((services, "service_id", "phones"), (orgs, "organization_id", "phones"),
                   (contacts, "contact_id", "phones"))
        for table, key, field_name in holders:
            holder = table.get(self.text(row, key))
            if holder is not None:
                holder[field_name].append(out)
                return
        self.warnings.append(f"{row['_at']}: phone not linked to a known service, organisation or contact; left out")

    def area(self, row: _Row, service: dict[str, Any]) -> None:
        extent_type, extent = (self.text(row, "extent_type") or "").lower(), self.text(row, "extent")
        if extent_type not in EXTENT_TYPES or not extent:
            self.warnings.append(f"{row['_at']}: extent_type {extent_type!r} is not one of {', '.join(EXTENT_TYPES)}"
                                 " (or no extent); area left out")
            return
        service["service_areas"].append({"id": self.text(row, "id"), "name": self.text(row, "name"),
                                         "extent_type": extent_type, "extent": extent})

    def cost(self, row: _Row, service: dict[str, Any]) -> None:
        amount, currency = self.number(row, "amount"), (self.text(row, "currency") or "").upper() or None
        if amount and currency is None:
            currency = "GBP"
            self.warnings.append(f"{row['_at']}: no currency; assumed GBP")
        service["cost_options"].append({"id": self.text(row, "id"), "option": self.text(row, "option"),
                                        "amount": amount, "currency": currency,
                                        "amount_description": self.text(row, "amount_description")})

    def categories(self, services: dict[str | None, dict[str, Any]]) -> None:
        terms = {self.text(t, "id"): t for t in self.tables["taxonomy_terms"]}
        for row in self.tables["attributes"]:
            service = services.get(self.text(row, "link_id"))
            term = terms.get(self.text(row, "taxonomy_term_id"))
            if service is None or term is None or self.text(row, "link_entity") not in (None, "service"):
                continue
            category = _category_for_term(self.text(term, "code"), self.text(term, "name"))
            if category and category not in service["categories"]:
                service["categories"].append(category)


def _convert(tables: dict[str, list[_Row]], warnings: list[str], source: str) -> dict[str, Any]:
    converter = _Converter({name: tables.get(name, []) for name in _HSDS_TABLES}, warnings, source)
    out = converter.convert()
    if converter.errors:
        raise DirectoryImportError(converter.errors)
    return out


def _table_files(folder: Path) -> dict[str, Path]:
    """Table name -> CSV file: from ``datapackage.json`` when there is one, else from the file names."""
    found: dict[str, Path] = {}
    package = folder / "datapackage.json"
    if package.is_file():
        meta = read_json(package)
        resources = meta.get("resources") if isinstance(meta, dict) else None
        for resource in resources if isinstance(resources, list) else []:
            name, path = (resource.get("name"), resource.get("path")) if isinstance(resource, dict) else (None, None)
            if isinstance(name, str) and isinstance(path, str) and (folder / path).is_file():
                table = next((t for t in _HSDS_TABLES if name in (t, _SINGULAR.get(t), t.removesuffix("s"))), None)
                if table is not None:
                    found.setdefault(table, folder / path)
    for name in _HSDS_TABLES:
        singular = _SINGULAR.get(name, name.removesuffix("s"))
        file = next((f for f in (folder / f"{name}.csv", folder / f"{singular}.csv") if f.is_file()), None)
        if file is not None:
            found.setdefault(name, file)
    return found


def convert_csv_folder(path: str | os.PathLike[str], *, warnings: list[str] | None = None,
                       limits: Limits = DEFAULT_LIMITS) -> dict[str, Any]:
    """An HSDS 3.0 tabular datapackage (a folder of CSVs) as a Frontdoor directory document."""
    folder = Path(path)
    if not folder.is_dir():
        raise DirectoryImportError([Problem(str(folder), "", None, "", "not a folder of HSDS CSV files")])
    files = _table_files(folder)
    missing = [Problem(str(folder / f"{name}.csv"), "", None, "", "missing; an HSDS tabular export needs it")
               for name in ("organizations", "services") if name not in files]
    if missing:
        raise DirectoryImportError(missing)
    tables = {name: read_csv(file, limits) for name, file in files.items()}
    return _convert(tables, warnings if warnings is not None else [], str(folder))


class _Flattener:
    """Nested HSDS objects -> HSDS table rows, each object once (first occurrence wins)."""

    def __init__(self) -> None:
        self.tables: dict[str, list[_Row]] = {name: [] for name in _HSDS_TABLES}
        self.seen: set[tuple[str, str]] = set()

    def add(self, table: str, obj: object, at: str, **links: Any) -> dict[str, Any] | None:
        if not isinstance(obj, dict) or (table, str(obj.get("id"))) in self.seen:
            return None
        self.seen.add((table, str(obj.get("id"))))
        row = {k: v for k, v in obj.items() if not isinstance(v, dict | list)}
        row.update({k: v for k, v in links.items() if row.get(k) is None})
        self.tables[table].append({**row, "_at": at})
        return obj

    @staticmethod
    def nested(obj: dict[str, Any], key: str, at: str) -> Iterator[tuple[str, Any]]:
        value = obj.get(key)
        yield from ((f"{at}.{key}[{i}]", item) for i, item in enumerate(value if isinstance(value, list) else []))

    def location(self, obj: object, at: str, org_id: object = None) -> None:
        if (loc := self.add("locations", obj, at, organization_id=org_id)) is not None:
            for where, item in self.nested(loc, "addresses", at):
                self.add("addresses", item, where, location_id=loc.get("id"))

    def organization(self, org: object, at: str) -> None:
        if not isinstance(org, dict) or self.add("organizations", org, at) is None:
            return
        for where, phone in self.nested(org, "phones", at):
            self.add("phones", phone, where, organization_id=org.get("id"))
        for where, loc in self.nested(org, "locations", at):
            self.location(loc, where, org.get("id"))
        for where, service in self.nested(org, "services", at):
            self.service(service, where, org.get("id"))

    def service(self, item: object, at: str, org_id: object = None) -> None:
        org = item.get("organization") if isinstance(item, dict) else None
        if isinstance(org, dict):
            org_id = org.get("id")
        if (service := self.add("services", item, at, organization_id=org_id)) is None:
            return
        sid = service.get("id")
        self.organization(org, f"{at}.organization")
        for key in ("phones", "schedules", "service_areas", "languages", "cost_options", "contacts"):
            for where, child in self.nested(service, key, at):
                self.add(key, child, where, service_id=sid)
        for where, contact in self.nested(service, "contacts", at):
            for phone_at, phone in self.nested(contact, "phones", where) if isinstance(contact, dict) else ():
                self.add("phones", phone, phone_at, contact_id=contact.get("id"))
        for where, link in self.nested(service, "service_at_locations", at):
            self.service_at_location(link, where, sid)
        for where, attribute in self.nested(service, "attributes", at):
            term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
            term_id = term.get("id") if isinstance(term, dict) else None
            self.add("attributes", attribute, where, link_id=sid, taxonomy_term_id=term_id)
            self.add("taxonomy_terms", term, f"{where}.taxonomy_term")

    def service_at_location(self, link: object, at: str, sid: object = None) -> None:
        if not isinstance(link, dict):
            return
        service, place = link.get("service"), link.get("location")
        if isinstance(service, dict):
            sid = service.get("id")
            self.service(service, f"{at}.service")
        place_id = place.get("id") if isinstance(place, dict) else None
        self.add("service_at_location", link, at, service_id=sid, location_id=place_id)
        self.location(place, f"{at}.location", None)


_NOT_DIRECTORY_KEYS = frozenset({"id", "name", "description", "uri", "version", "code", "parent_id", "taxonomy",
                                 "taxonomy_id", "taxonomy_detail", "language", "term_uri", "profile", "openapi_url",
                                 "term", "taxonomy_terms"})


def _kind(item: dict[str, Any]) -> str:
    """What an HSDS API object is: service, organization, service_at_location, or something we cannot use."""
    if isinstance(item.get("service"), dict):
        return "service_at_location"
    if "status" in item or isinstance(item.get("organization"), dict):
        return "service"
    if "location_type" in item:
        return "location"
    if "name" in item and not set(item) <= _NOT_DIRECTORY_KEYS:
        return "organization"
    return "other"


def convert_hsds_json(data: object, *, warnings: list[str] | None = None, source: str = "") -> dict[str, Any]:
    """HSDS 3.0 API JSON (a service, organisation or service-at-location; a list or a page) as a document."""
    def fail(record: str, message: str) -> DirectoryImportError:
        return DirectoryImportError([Problem(source, record, None, "", message)])

    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        items, prefix = data["contents"], "contents"
    elif isinstance(data, list):
        items, prefix = data, "$"
    elif isinstance(data, dict):
        items, prefix = [data], "$"
    else:
        raise fail("$", f"must be an HSDS object, a list or a page of them, not {json_kind(data)}")
    bad = [Problem(source, f"{prefix}[{i}]", None, "", f"must be an object, not {json_kind(x)}")
           for i, x in enumerate(items) if not isinstance(x, dict)]
    if bad:
        raise DirectoryImportError(bad)
    flat = _Flattener()
    kinds = set()
    for i, item in enumerate(items):
        kind, at = _kind(item), f"{prefix}[{i}]" if prefix != "$" or len(items) > 1 else "$"
        kinds.add(kind)
        if kind == "service":
            flat.service(item, at)
        elif kind == "organization":
            flat.organization(item, at)
        elif kind == "service_at_location":
            flat.service_at_location(item, at)
    if not flat.tables["organizations"] and not flat.tables["services"]:
        what = ("a location with no organisation to attach it to" if kinds == {"location"}
                else "no organisations or services (taxonomies and metadata are not directory records)")
        raise fail("", f"holds {what}; nothing imported")
    return _convert(flat.tables, warnings if warnings is not None else [], source)


def is_frontdoor_document(data: object) -> bool:
    """Frontdoor's own format (what ``export`` writes): a top-level object with hsds_version and records."""
    return isinstance(data, dict) and "hsds_version" in data and ("organizations" in data or "services" in data)


def load_source(path: str | os.PathLike[str], *, limits: Limits = DEFAULT_LIMITS,
                warnings: list[str] | None = None) -> object:
    """A file or folder as a directory document: Frontdoor's JSON, HSDS API JSON or an HSDS CSV datapackage."""
    source = Path(path)
    if source.is_dir():
        return convert_csv_folder(source, warnings=warnings, limits=limits)
    data = read_json(source, limits)
    if is_frontdoor_document(data):
        return data
    if isinstance(data, dict) and "hsds_version" in data:
        return data  # Frontdoor's format with its record lists missing: validation says what is missing
    return convert_hsds_json(data, warnings=warnings, source=str(source))
