"""Directory import and export in Frontdoor's HSDS 3.0-shaped JSON, plus HSDS CSV/JSON converters.

Imports are all-or-nothing: every problem is collected with its JSON path and
reported together before a row is written, so a network can fix its export in
one pass and never serves clients half a directory. Export is the exact inverse
of import (same keys, lists sorted by id), so a file survives a round trip.
"""

from __future__ import annotations

import csv
import difflib
import json
import math
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.numbers import list_currencies
from sqlalchemy import String, delete, select
from sqlalchemy.orm import Session, selectinload

from core.categories import CATEGORIES, CATEGORY_IDS
from core.db import Base
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

__all__ = [
    "CONTACT_METHODS", "DEMO_NOTICE", "EXTENT_TYPES", "DirectoryImportError", "ImportReport",
    "export_directory", "import_directory", "import_hsds_csv_folder", "import_hsds_service_list", "load_file",
]

HSDS_VERSION = "3.0"
PROFILE = "frontdoor"
# The notice is not stored: it describes the is_demo flag, so exports of demo data always carry this text.
DEMO_NOTICE = (
    "Demonstration data only: these organisations, services, people, phone numbers and addresses are "
    "fictional. Do not use them to seek advice or make referrals."
)
EXTENT_TYPES = ("local_authority", "postcode_district", "national")
CONTACT_METHODS = ("sms", "phone", "telegram", "email", "letter", "in_person")  # how a service can reach clients
SERVICE_STATUSES = ("active", "inactive", "defunct", "temporarily closed")
ADDRESS_TYPES = ("physical", "postal", "virtual")
PHONE_TYPES = ("text", "voice", "fax", "cell", "video", "pager", "textphone")
TRANSLATABLE = ("name", "alternate_name", "description", "eligibility_description", "fees_description",
                "application_process", "wait_time")
MAX_FILE_BYTES = 50_000_000
_CURRENCIES = frozenset(list_currencies())


class DirectoryImportError(Exception):
    """Every problem found in one import attempt; nothing was written."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        more = f"; and {len(self.errors) - 3} more" if len(self.errors) > 3 else ""
        super().__init__(f"{len(self.errors)} problem(s): " + "; ".join(self.errors[:3]) + more)


@dataclass
class ImportReport:
    organizations: int
    services: int
    locations: int
    warnings: list[str] = field(default_factory=list)


# --- field rules -------------------------------------------------------------------------------------

Check = Callable[[Any], "str | None"]


def _regex(pattern: str, what: str) -> Check:
    compiled = re.compile(pattern)
    return lambda value: None if compiled.fullmatch(value) else f"{value!r} is not {what}"


def _one_of(choices: tuple[str, ...]) -> Check:
    return lambda value: None if value in choices else f"{value!r} is not one of {', '.join(choices)}"


def _between(low: float, high: float) -> Check:
    return lambda value: None if low <= value <= high else f"must be between {low:g} and {high:g}, not {value}"


def _phone_number(value: str) -> str | None:
    digits = sum(ch.isdigit() for ch in value)
    ok = re.fullmatch(r"\+?[0-9 ()\-.]+", value) and 3 <= digits <= 15
    return None if ok else f"{value!r} is not a phone number"


def _currency(value: str) -> str | None:
    return None if value in _CURRENCIES else f"{value!r} is not an ISO 4217 currency code like 'GBP'"


_DAY = r"([+-]?[0-9]{1,2})?(MO|TU|WE|TH|FR|SA|SU)"
_EMAIL = _regex(r"[^@\s]+@[^@\s]+\.[^@\s]+", "an email address")
_URL = _regex(r"https?://[^\s/?#]+[^\s]*", "an http(s) address")
_LANGUAGE = _regex(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*", "a language code like 'en' or 'pt-BR'")
_TIME = _regex(r"([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?", "a time like '09:30'")
_BYDAY = _regex(rf"{_DAY}(,{_DAY})*", "a list of days like 'MO,TU'")
_TWO_LETTERS = _regex(r"[A-Z]{2}", "a two-letter country code like 'GB'")


def _country(value: str) -> str | None:
    return "'UK' is not an ISO 3166 country code; use 'GB'" if value == "UK" else _TWO_LETTERS(value)

_NETWORK = _regex(r"[a-z0-9][a-z0-9_-]*", "a lower-case network id like 'luton'")
_DISTRICT = _regex(r"[A-Za-z]{1,2}[0-9][0-9A-Za-z]?", "a postcode district like 'LU2'")


@dataclass(frozen=True)
class _Field:
    name: str
    kind: type = str  # str, int, float (any number) or bool
    required: bool = False
    default: Any = None  # used when absent; a non-None default also forbids null
    check: Check | None = None


@dataclass(frozen=True)
class _Spec:
    model: type[Base]
    fields: tuple[_Field, ...]
    children: tuple[str, ...] = ()  # other allowed keys, checked by the caller

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


_ID = _Field("id", required=True)
_PHONE = _Spec(Phone, (_ID, _Field("number", required=True, check=_phone_number),
                       _Field("type", check=_one_of(PHONE_TYPES)), _Field("description")))
_ADDRESS = _Spec(Address, (
    _ID, _Field("address_1", required=True), _Field("address_2"), _Field("city", required=True), _Field("region"),
    _Field("postal_code", required=True), _Field("country", default="GB", check=_country),
    _Field("address_type", default="physical", check=_one_of(ADDRESS_TYPES)),
))
_LOCATION = _Spec(Location, (
    _ID, _Field("name"), _Field("description"), _Field("latitude", float, check=_between(-90, 90)),
    _Field("longitude", float, check=_between(-180, 180)),
), ("addresses",))
_ORGANIZATION = _Spec(Organization, (
    _ID, _Field("name", required=True), _Field("alternate_name"), _Field("description", default=""),
    _Field("email", check=_EMAIL), _Field("website", check=_URL),
), ("phones", "locations", "x_frontdoor"))
_ORG_X = _Spec(Organization, (_Field("network", check=_NETWORK), _Field("is_demo", bool, default=False)))
_SERVICE = _Spec(Service, (
    _ID, _Field("organization_id", required=True), _Field("name", required=True), _Field("alternate_name"),
    _Field("description", default=""), _Field("url", check=_URL), _Field("email", check=_EMAIL),
    _Field("status", default="active", check=_one_of(SERVICE_STATUSES)), _Field("interpretation_services"),
    _Field("application_process"), _Field("fees_description"), _Field("wait_time"),
    _Field("eligibility_description"), _Field("minimum_age", int, check=_between(0, 130)),
    _Field("maximum_age", int, check=_between(0, 130)),
), ("phones", "schedules", "service_areas", "service_at_locations", "languages", "cost_options", "contacts",
    "categories", "x_frontdoor"))
_SERVICE_X = _Spec(Service, (
    _Field("accepts_referrals", bool, default=False), _Field("capacity_per_week", int, check=_between(0, 100_000)),
    _Field("response_days", int, check=_between(0, 365)),
), ("contact_methods", "translations"))
_SCHEDULE = _Spec(Schedule, (_ID, _Field("byday", check=_BYDAY), _Field("opens_at", check=_TIME),
                             _Field("closes_at", check=_TIME), _Field("description")))
_AREA = _Spec(ServiceArea, (_ID, _Field("name"), _Field("extent_type", required=True, check=_one_of(EXTENT_TYPES)),
                            _Field("extent", required=True)))
_AT_LOCATION = _Spec(ServiceAtLocation, (_ID, _Field("location_id", required=True)))
_LANGUAGE_SPEC = _Spec(ServiceLanguage, (_ID, _Field("code", required=True, check=_LANGUAGE), _Field("name"),
                                         _Field("note")))
_COST = _Spec(CostOption, (_ID, _Field("option"), _Field("amount", float, check=_between(0, 1e9)),
                           _Field("currency", check=_currency), _Field("amount_description")))
_CONTACT = _Spec(Contact, (_ID, _Field("name"), _Field("title"), _Field("email", check=_EMAIL)), ("phones",))
_SERVICE_LISTS = {"phones": _PHONE, "schedules": _SCHEDULE, "service_areas": _AREA,
                  "service_at_locations": _AT_LOCATION, "languages": _LANGUAGE_SPEC, "cost_options": _COST,
                  "contacts": _CONTACT}
_TOP_KEYS = ("hsds_version", "profile", "demo", "notice", "organizations", "services")


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    names = {str: "a string", int: "a number", float: "a number", list: "a list", dict: "an object"}
    return next((n for t, n in names.items() if isinstance(value, t)), type(value).__name__)


def _type_error(value: object, kind: type) -> str | None:
    if kind is str:
        ok = isinstance(value, str)
    elif kind is bool:
        ok = isinstance(value, bool)
    elif kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    wanted = {str: "a string", bool: "true or false", int: "a whole number"}.get(kind, "a number")
    return None if ok else f"must be {wanted}, not {_json_kind(value)}"


def _max_length(model: type[Base], name: str) -> int | None:
    column = model.__table__.c.get(name)
    return column.type.length if column is not None and isinstance(column.type, String) else None


def _at(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


# --- validation --------------------------------------------------------------------------------------


class _Checker:
    """Walks an import document, collecting every error and returning cleaned rows (defaults filled in)."""

    def __init__(self, taken: dict[str, set[str]]) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.first_use: dict[str, dict[str, str]] = {}
        self.taken = taken  # ids already in the database when not replacing

    def fail(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    def items(self, data: dict[str, Any], key: str, path: str, *, required: bool = False) -> Iterator[tuple[str, Any]]:
        where = _at(path, key)
        if key not in data:
            if required:
                self.fail(where, "is required")
            return
        value = data[key]
        if not isinstance(value, list):
            self.fail(where, f"must be a list, not {_json_kind(value)}")
            return
        yield from ((f"{where}[{i}]", item) for i, item in enumerate(value))

    def record(self, value: object, path: str, spec: _Spec, *, table: str | None = None) -> dict[str, Any] | None:
        """Check one object's own fields; None when it is not an object at all."""
        if not isinstance(value, dict):
            self.fail(path or "$", f"must be an object, not {_json_kind(value)}")
            return None
        allowed = spec.names + spec.children
        for key in value:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                self.fail(_at(path, str(key)), "unknown field" + (f" (did you mean {close[0]!r}?)" if close else ""))
        clean = {f.name: self.value(value, f, path, spec.model) for f in spec.fields}
        if isinstance(clean.get("id"), str):
            self.unique(table or spec.model.__tablename__, clean["id"], _at(path, "id"))
        return clean

    def value(self, data: dict[str, Any], rule: _Field, path: str, model: type[Base]) -> Any:
        where = _at(path, rule.name)
        value = data.get(rule.name)
        if value is None:
            if rule.required or (rule.name in data and rule.default is not None):
                self.fail(where, "is required" if rule.name not in data else "must not be null")
            return rule.default
        problem = _type_error(value, rule.kind)
        if problem is None and isinstance(value, str):
            limit = _max_length(model, rule.name)
            if rule.required and not value.strip():
                problem = "must not be empty"
            elif "\x00" in value:
                problem = "must not contain NUL characters"
            elif limit is not None and len(value) > limit:
                problem = f"is {len(value)} characters long; the most allowed is {limit}"
        if problem is None and rule.check is not None:
            problem = rule.check(value)
        if problem is not None:
            self.fail(where, problem)
        return value

    def unique(self, table: str, ident: str, path: str) -> None:
        if ident in self.taken.get(table, ()):
            self.fail(path, f"duplicate id {ident!r} (already in the directory)")
            return
        first = self.first_use.setdefault(table, {}).setdefault(ident, path)
        if first != path:
            self.fail(path, f"duplicate id {ident!r} (first used at {first.rsplit('.', 1)[0]})")

    def many_at(self, data: dict[str, Any], key: str, path: str, spec: _Spec,
                table: str | None = None) -> list[tuple[str, Any, dict[str, Any]]]:
        """(path, raw item, cleaned row) for each valid object in the list ``data[key]``."""
        rows = ((where, item, self.record(item, where, spec, table=table))
                for where, item in self.items(data, key, path))
        return [(where, item, row) for where, item, row in rows if row is not None]

    def many(self, data: dict[str, Any], key: str, path: str, spec: _Spec) -> list[dict[str, Any]]:
        return [row for _, _, row in self.many_at(data, key, path, spec)]

    def extension(self, data: dict[str, Any], path: str, spec: _Spec) -> dict[str, Any]:
        value = data.get("x_frontdoor", {})
        return self.record(value, _at(path, "x_frontdoor"), spec) or {}

    def organization(self, value: object, path: str) -> dict[str, Any] | None:
        clean = self.record(value, path, _ORGANIZATION)
        if clean is None or not isinstance(value, dict):
            return None
        clean["phones"] = self.many(value, "phones", path, _PHONE)
        clean["locations"] = []
        for where, item in self.items(value, "locations", path):
            location = self.record(item, where, _LOCATION)
            if location is None or not isinstance(item, dict):
                continue
            if (location["latitude"] is None) != (location["longitude"] is None):
                self.fail(where, "latitude and longitude must be given together")
            location["addresses"] = self.many(item, "addresses", where, _ADDRESS)
            clean["locations"].append(location)
        clean["x_frontdoor"] = self.extension(value, path, _ORG_X)
        return clean

    def service(self, value: object, path: str, orgs: set[str], locations: set[str]) -> dict[str, Any] | None:
        clean = self.record(value, path, _SERVICE)
        if clean is None or not isinstance(value, dict):
            return None
        if isinstance(clean["organization_id"], str) and clean["organization_id"] not in orgs:
            self.fail(_at(path, "organization_id"), f"no organization with id {clean['organization_id']!r}")
        low, high = clean["minimum_age"], clean["maximum_age"]
        if isinstance(low, int) and isinstance(high, int) and low > high:
            self.fail(_at(path, "maximum_age"), f"is below minimum_age ({high} < {low})")
        lists = {key: self.many_at(value, key, path, spec) for key, spec in _SERVICE_LISTS.items()}
        clean.update({key: [row for _, _, row in rows] for key, rows in lists.items()})
        for where, _, row in lists["service_areas"]:
            district = row["extent"] if row["extent_type"] == "postcode_district" else None
            if isinstance(district, str) and (problem := _DISTRICT(district)):
                self.fail(_at(where, "extent"), problem)
        for where, _, row in lists["service_at_locations"]:
            if isinstance(row["location_id"], str) and row["location_id"] not in locations:
                self.fail(_at(where, "location_id"), f"no location with id {row['location_id']!r}")
        for where, _, row in lists["cost_options"]:
            if isinstance(row["amount"], int | float) and row["amount"] > 0 and row["currency"] is None:
                self.fail(_at(where, "currency"), "is required when amount is above zero")
        for where, item, row in lists["contacts"]:
            row["phones"] = [phone for _, _, phone in self.many_at(item, "phones", where, _PHONE, "contact_phone")]
        clean["categories"] = self.categories(value, path)
        extra = value.get("x_frontdoor", {})
        clean["x_frontdoor"] = self.extension(value, path, _SERVICE_X)
        if isinstance(extra, dict):
            clean["x_frontdoor"]["contact_methods"] = self.contact_methods(extra, _at(path, "x_frontdoor"))
            clean["x_frontdoor"]["translations"] = self.translations(extra, _at(path, "x_frontdoor.translations"))
        if not clean["categories"]:
            self.warnings.append(f"{path}: no categories, so it will never be matched")
        if not clean["service_areas"]:
            self.warnings.append(f"{path}: no service areas, so it will never be matched")
        return clean

    def categories(self, value: dict[str, Any], path: str) -> list[str]:
        found: list[str] = []
        for where, item in self.items(value, "categories", path):
            if not isinstance(item, str):
                self.fail(where, f"must be a category id, not {_json_kind(item)}")
            elif item not in CATEGORY_IDS:
                close = difflib.get_close_matches(item, CATEGORY_IDS, n=1)
                self.fail(where, f"unknown category {item!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
            elif item in found:
                self.fail(where, f"category {item!r} is listed twice")
            else:
                found.append(item)
        return found

    def contact_methods(self, extra: dict[str, Any], path: str) -> list[str]:
        found: list[str] = []
        for where, item in self.items(extra, "contact_methods", path):
            if not isinstance(item, str) or item not in CONTACT_METHODS:
                self.fail(where, f"{item!r} is not one of {', '.join(CONTACT_METHODS)}")
            elif item in found:
                self.fail(where, f"{item!r} is listed twice")
            else:
                found.append(item)
        return found

    def translations(self, extra: dict[str, Any], path: str) -> dict[str, Any]:
        value = extra.get("translations", {})
        if not isinstance(value, dict):
            self.fail(path, f"must be an object, not {_json_kind(value)}")
            return {}
        for lang, texts in value.items():
            where = _at(path, str(lang))
            if not isinstance(lang, str) or _LANGUAGE(lang):
                self.fail(where, f"{lang!r} is not a language code like 'pl'")
            if not isinstance(texts, dict):
                self.fail(where, f"must be an object, not {_json_kind(texts)}")
                continue
            for key, text in texts.items():
                if key not in TRANSLATABLE:
                    self.fail(_at(where, str(key)), f"cannot be translated; use one of {', '.join(TRANSLATABLE)}")
                elif not isinstance(text, str) or not text.strip() or "\x00" in text:
                    self.fail(_at(where, key), "must be a non-empty string without NUL characters")
        return value

    def document(self, data: object) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        if not isinstance(data, dict):
            self.fail("$", f"must be an object, not {_json_kind(data)}")
            return [], []
        for key in data:
            if key not in _TOP_KEYS:
                self.fail(str(key), "unknown field")
        if data.get("hsds_version") != HSDS_VERSION:
            self.fail("hsds_version", f"must be {HSDS_VERSION!r}" + (", not missing" if "hsds_version" not in data
                                                                     else f", not {data['hsds_version']!r}"))
        if data.get("profile", PROFILE) != PROFILE:
            self.fail("profile", f"must be {PROFILE!r}, not {data['profile']!r}")
        demo, notice = data.get("demo"), data.get("notice")
        if "demo" in data and not isinstance(demo, bool):
            self.fail("demo", f"must be true or false, not {_json_kind(demo)}")
        if notice is not None and not isinstance(notice, str):
            self.fail("notice", f"must be a string, not {_json_kind(notice)}")
        orgs = [o for w, v in self.items(data, "organizations", "", required=True) if (o := self.organization(v, w))]
        org_ids = {o["id"] for o in orgs if isinstance(o["id"], str)} | self.taken.get("organization", set())
        location_ids = {loc["id"] for o in orgs for loc in o["locations"] if isinstance(loc["id"], str)}
        location_ids |= self.taken.get("location", set())
        services = [s for w, v in self.items(data, "services", "", required=True)
                    if (s := self.service(v, w, org_ids, location_ids))]
        if isinstance(demo, bool):
            self.demo_flag(demo, notice, orgs)
        return orgs, services

    def demo_flag(self, demo: bool, notice: object, orgs: list[dict[str, Any]]) -> None:
        flags = [o["x_frontdoor"].get("is_demo") for o in orgs]
        if demo and not (flags and all(flags)):
            self.fail("demo", "is true but some organizations (or all, when there are none) are not "
                              "x_frontdoor.is_demo")
        elif not demo and flags and all(flags):
            self.fail("demo", "is false but every organization is x_frontdoor.is_demo")
        elif isinstance(notice, str) and notice != (DEMO_NOTICE if demo else None):
            self.warnings.append("notice: is not stored; exports of demo data carry the standard demo notice")


# --- database ----------------------------------------------------------------------------------------

# Children before parents, so deleting works with foreign keys enforced and no ORM cascade.
_TABLES_IN_DELETE_ORDER: tuple[type[Base], ...] = (
    ServiceCategory, ServiceLanguage, ServiceArea, CostOption, Schedule, Phone, Contact, ServiceAtLocation,
    Service, Address, Location, Organization,
)


def _existing_ids(session: Session) -> dict[str, set[str]]:
    taken: dict[str, set[str]] = {}
    for model in _TABLES_IN_DELETE_ORDER:
        id_column = model.__table__.c.get("id")
        if id_column is not None:
            taken[model.__tablename__] = set(session.scalars(select(id_column)))
    return taken


def _columns(row: dict[str, Any], spec: _Spec) -> dict[str, Any]:
    return {name: row[name] for name in spec.names}


def _build_organization(row: dict[str, Any]) -> Organization:
    return Organization(
        **_columns(row, _ORGANIZATION), **_columns(row["x_frontdoor"], _ORG_X),
        phones=[Phone(**_columns(p, _PHONE)) for p in row["phones"]],
        locations=[
            Location(**_columns(loc, _LOCATION), addresses=[Address(**_columns(a, _ADDRESS)) for a in loc["addresses"]])
            for loc in row["locations"]
        ],
    )


def _build_service(row: dict[str, Any]) -> Service:
    extra = row["x_frontdoor"]
    lists: dict[str, Any] = {key: [spec.model(**_columns(item, spec)) for item in row[key]]
                             for key, spec in _SERVICE_LISTS.items()}
    for contact, source in zip(lists["contacts"], row["contacts"], strict=True):
        contact.phones = [_columns(p, _PHONE) for p in source["phones"]]
    return Service(
        **_columns(row, _SERVICE), **_columns(extra, _SERVICE_X), **lists,
        contact_methods=list(extra.get("contact_methods", [])), translations=dict(extra.get("translations", {})),
        categories=[ServiceCategory(category=c, position=i) for i, c in enumerate(row["categories"])],
    )


def import_directory(session: Session, data: object, *, replace: bool = True) -> ImportReport:
    """Validate ``data`` completely, then write it in the caller's transaction.

    Raises DirectoryImportError (listing every problem) before touching the
    database. With ``replace`` the existing directory is deleted first;
    otherwise every id must be new, and services may point at stored organisations.
    """
    checker = _Checker({} if replace else _existing_ids(session))
    orgs, services = checker.document(data)
    if checker.errors:
        raise DirectoryImportError(checker.errors)
    if replace:
        session.flush()
        for model in _TABLES_IN_DELETE_ORDER:
            session.execute(delete(model))
    session.add_all([_build_organization(o) for o in orgs])
    session.flush()  # locations before the services that sit at them (no ORM link orders these)
    session.add_all([_build_service(s) for s in services])
    session.flush()
    locations = sum(len(o["locations"]) for o in orgs)
    return ImportReport(len(orgs), len(services), locations, checker.warnings)


def _by_id(items: list[Any]) -> list[Any]:
    return sorted(items, key=lambda item: item.id)


def _fields(obj: object, spec: _Spec) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in spec.names}


def _export_organization(org: Organization) -> dict[str, Any]:
    return {
        **_fields(org, _ORGANIZATION),
        "phones": [_fields(p, _PHONE) for p in _by_id(org.phones)],
        "locations": [
            {**_fields(loc, _LOCATION), "addresses": [_fields(a, _ADDRESS) for a in _by_id(loc.addresses)]}
            for loc in _by_id(org.locations)
        ],
        "x_frontdoor": _fields(org, _ORG_X),
    }


def _export_service(service: Service) -> dict[str, Any]:
    out = _fields(service, _SERVICE)
    for key, spec in _SERVICE_LISTS.items():
        out[key] = [_fields(item, spec) for item in _by_id(getattr(service, key))]
    for contact, source in zip(out["contacts"], _by_id(service.contacts), strict=True):
        phones = sorted(source.phones or [], key=lambda p: str(p.get("id")))
        contact["phones"] = [{name: p.get(name) for name in _PHONE.names} for p in phones]
    out["categories"] = [c.category for c in sorted(service.categories, key=lambda c: c.position)]
    extra = {**_fields(service, _SERVICE_X), "contact_methods": list(service.contact_methods or [])}
    if service.translations:
        extra["translations"] = dict(service.translations)
    out["x_frontdoor"] = extra
    return out


def export_directory(session: Session) -> dict[str, Any]:
    """The whole directory in the import format; sorted in Python so SQLite and PostgreSQL agree."""
    orgs = session.scalars(select(Organization).options(
        selectinload(Organization.phones), selectinload(Organization.locations).selectinload(Location.addresses),
    )).all()
    services = session.scalars(select(Service).options(
        *(selectinload(getattr(Service, key)) for key in _SERVICE_LISTS), selectinload(Service.categories),
    )).all()
    demo = bool(orgs) and all(o.is_demo for o in orgs)
    out: dict[str, Any] = {"hsds_version": HSDS_VERSION, "profile": PROFILE, "demo": demo}
    if demo:
        out["notice"] = DEMO_NOTICE
    out["organizations"] = [_export_organization(o) for o in _by_id(list(orgs))]
    out["services"] = [_export_service(s) for s in _by_id(list(services))]
    return out


# --- files -------------------------------------------------------------------------------------------


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"the key {key!r} appears twice in one object")
        out[key] = value
    return out


def _no_constants(name: str) -> None:
    raise ValueError(f"{name} is not allowed in JSON")


def load_file(path: str | os.PathLike[str]) -> object:
    """Read a JSON file, turning every way it can be unreadable into a DirectoryImportError."""
    file = Path(path)
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            raise DirectoryImportError([f"{file}: larger than {MAX_FILE_BYTES // 1_000_000} MB"])
        raw = file.read_bytes()
    except OSError as exc:
        raise DirectoryImportError([f"{file}: cannot read the file ({exc.strerror or exc})"]) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DirectoryImportError([
            f"{file}: not UTF-8 text (byte {raw[exc.start]:#04x} at offset {exc.start}); save it as UTF-8"
        ]) from exc
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise DirectoryImportError([f"{file}: line {exc.lineno} column {exc.colno}: invalid JSON ({exc.msg})"]) from exc
    except ValueError as exc:
        raise DirectoryImportError([f"{file}: {exc}"]) from exc


# --- HSDS 3.0 tabular (CSV) and nested JSON -> import format ------------------------------------------

_Row = dict[str, Any]  # one HSDS table row; "_at" says where it came from, for messages
_HSDS_TABLES = ("organizations", "services", "locations", "addresses", "phones", "service_areas", "languages",
                "schedules", "cost_options", "contacts", "service_at_location", "attributes", "taxonomy_terms")
_SINGULAR = {"addresses": "address", "service_at_location": "service_at_locations"}


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

    def __init__(self, tables: dict[str, list[_Row]], warnings: list[str]) -> None:
        self.tables = tables
        self.warnings = warnings
        self.errors: list[str] = []

    def text(self, row: _Row, key: str) -> str | None:
        value = row.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, str | int | float)):
            self.errors.append(f"{row['_at']}: {key}: must be text, not {_json_kind(value)}")
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
            self.errors.append(f"{row['_at']}: {key}: {raw!r} is not a {'whole ' if whole else ''}number")
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
                contact: dict[str, Any] = {key: self.text(row, key) for key in _CONTACT.names}
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

    def organization(self, row: _Row) -> dict[str, Any]:
        out: dict[str, Any] = {key: self.text(row, key) for key in _ORGANIZATION.names}
        out["description"] = out["description"] or ""
        return {**out, "phones": [], "locations": [], "x_frontdoor": {"network": None, "is_demo": False}}

    def service(self, row: _Row, orgs: list[dict[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {key: self.text(row, key) for key in _SERVICE.names}
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
            location.update(latitude=lat, longitude=lon, addresses=[])
            org["locations"].append(location)
            by_id.setdefault(ident, location)
        for row in self.tables["addresses"]:
            self.address(row, by_id)
        return set(by_id)

    def address(self, row: _Row, locations: dict[str | None, dict[str, Any]]) -> None:
        location = locations.get(self.text(row, "location_id"))
        out = {key: self.text(row, key) for key in _ADDRESS.names}
        out["region"] = out["region"] or self.text(row, "state_province")
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


def _convert(tables: dict[str, list[_Row]], warnings: list[str] | None) -> dict[str, Any]:
    converter = _Converter({name: tables.get(name, []) for name in _HSDS_TABLES}, [])
    out = converter.convert()
    if converter.errors:
        raise DirectoryImportError(converter.errors)
    if warnings is not None:
        warnings.extend(converter.warnings)
    return out


def _read_csv(file: Path, errors: list[str]) -> list[_Row]:
    try:
        with file.open(encoding="utf-8-sig", newline="") as handle:
            return [
                {**{key.strip(): value for key, value in row.items() if key}, "_at": f"{file.name} row {number}"}
                for number, row in enumerate(csv.DictReader(handle), start=2)
            ]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        errors.append(f"{file}: cannot read it as UTF-8 CSV ({exc})")
        return []


def import_hsds_csv_folder(path: str | os.PathLike[str], *, warnings: list[str] | None = None) -> dict[str, Any]:
    """Convert an HSDS 3.0 tabular export (a folder of CSVs) into the import format.

    Only what Frontdoor uses is kept; anything dropped or guessed is appended to
    ``warnings``. Categories come from attributes whose taxonomy terms name a
    Frontdoor category or LSC LIST code; other services get none (never matched).
    """
    folder = Path(path)
    errors: list[str] = []
    tables: dict[str, list[_Row]] = {}
    if not folder.is_dir():
        raise DirectoryImportError([f"{folder}: not a folder of HSDS CSV files"])
    for name in _HSDS_TABLES:
        singular = _SINGULAR.get(name, name.removesuffix("s"))
        file = next((f for f in (folder / f"{name}.csv", folder / f"{singular}.csv") if f.is_file()), None)
        if file is not None:
            tables[name] = _read_csv(file, errors)
        elif name in ("organizations", "services"):
            errors.append(f"{folder / (name + '.csv')}: missing; an HSDS tabular export needs it")
    if errors:
        raise DirectoryImportError(errors)
    return _convert(tables, warnings)


def _flatten_services(items: list[Any], prefix: str) -> dict[str, list[_Row]]:
    """Nested HSDS service objects -> HSDS table rows, each object once (first occurrence wins)."""
    tables: dict[str, list[_Row]] = {name: [] for name in _HSDS_TABLES}
    seen: set[tuple[str, str]] = set()

    def add(table: str, obj: object, at: str, **links: Any) -> dict[str, Any] | None:
        if not isinstance(obj, dict) or (table, str(obj.get("id"))) in seen:
            return None
        seen.add((table, str(obj.get("id"))))
        row = {k: v for k, v in obj.items() if not isinstance(v, dict | list)}
        row.update({k: v for k, v in links.items() if row.get(k) is None})
        tables[table].append({**row, "_at": at})
        return obj

    def nested(obj: dict[str, Any], key: str, at: str) -> Iterator[tuple[str, Any]]:
        value = obj.get(key)
        yield from ((f"{at}.{key}[{i}]", item) for i, item in enumerate(value if isinstance(value, list) else []))

    def location(obj: object, at: str, org_id: object = None) -> None:
        if (loc := add("locations", obj, at, organization_id=org_id)) is not None:
            for where, item in nested(loc, "addresses", at):
                add("addresses", item, where, location_id=loc.get("id"))

    for i, item in enumerate(items):
        at = f"{prefix}[{i}]"
        org = item.get("organization") if isinstance(item, dict) else None
        org_id = org.get("id") if isinstance(org, dict) else None
        if (service := add("services", item, at, organization_id=org_id)) is None:
            continue
        sid = service.get("id")
        if isinstance(org, dict) and add("organizations", org, f"{at}.organization"):
            for where, phone in nested(org, "phones", f"{at}.organization"):
                add("phones", phone, where, organization_id=org_id)
            for where, loc in nested(org, "locations", f"{at}.organization"):
                location(loc, where, org_id)
        for key in ("phones", "schedules", "service_areas", "languages", "cost_options", "contacts"):
            for where, child in nested(service, key, at):
                add(key, child, where, service_id=sid)
        for where, contact in nested(service, "contacts", at):
            for phone_at, phone in nested(contact, "phones", where) if isinstance(contact, dict) else ():
                add("phones", phone, phone_at, contact_id=contact.get("id"))
        for where, link in nested(service, "service_at_locations", at):
            place = link.get("location") if isinstance(link, dict) else None
            place_id = place.get("id") if isinstance(place, dict) else None
            add("service_at_location", link, where, service_id=sid, location_id=place_id)
            location(place, f"{where}.location", None)
        for where, attribute in nested(service, "attributes", at):
            term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
            term_id = term.get("id") if isinstance(term, dict) else None
            add("attributes", attribute, where, link_id=sid, taxonomy_term_id=term_id)
            add("taxonomy_terms", term, f"{where}.taxonomy_term")
    return tables


def import_hsds_service_list(data: object, *, warnings: list[str] | None = None) -> dict[str, Any]:
    """Convert HSDS 3.0 API JSON (a full service, a list of them, or a page) into the import format."""
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        items, prefix = data["contents"], "contents"
    elif isinstance(data, list):
        items, prefix = data, "$"
    elif isinstance(data, dict):
        items, prefix = [data], "$"
    else:
        raise DirectoryImportError([f"$: must be an HSDS service, a list or a page of them, not {_json_kind(data)}"])
    bad = [f"{prefix}[{i}]: must be an object, not {_json_kind(x)}" for i, x in enumerate(items)
           if not isinstance(x, dict)]
    if bad:
        raise DirectoryImportError(bad)
    return _convert(_flatten_services(items, prefix), warnings)
