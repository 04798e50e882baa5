"""An admin's form fields -> a directory record, with one clear message per field that is wrong.

The pages post plain HTML forms (no JavaScript); this module reads them into
the HSDS-shaped record that ``directory.schema`` checks, starting from the
record being edited so fields the form does not show are kept. List fields
(opening hours, phones, contacts, costs, locations) are numbered rows; a row
keeps its id only if the record already had it, so a form cannot take over
another record's rows. Error keys are the form field names, so each message
can sit under its field.
"""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from core.categories import CATEGORY_IDS
from core.languages import LANGUAGE_CODES, get_language
from core.phones import normalise_phone
from directory.areas import is_postcode_area
from directory.schema import (
    CONTACT_METHODS,
    PHONE_TYPES,
    SERVICE_STATUSES,
    OrganizationRecord,
    ServiceRecord,
)

__all__ = [
    "DAY_NAMES", "MAX_ROWS", "ROW_FIELDS", "TRANSLATED", "FormResult", "FormValues", "organization_from_form",
    "service_from_form",
]

FormValues = Mapping[str, Sequence[str]]
MAX_ROWS = 30  # rows per list a form may send; more is not a directory entry but an attack
DAY_NAMES = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
TRANSLATED = ("name", "description")  # the client-facing fields translated on the form
ROW_FIELDS: dict[str, tuple[str, ...]] = {
    "schedules": ("days", "opens_at", "closes_at", "description"),
    "phones": ("number", "type", "description"),
    "contacts": ("name", "title", "email", "phone"),
    "cost_options": ("option", "amount", "amount_description"),
    "locations": ("name", "address_1", "address_2", "city", "postal_code"),
}
_DISTRICT = re.compile(r"[A-Z]{1,2}[0-9][0-9A-Z]?")
_TIME = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])(:[0-5][0-9])?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_URL = re.compile(r"https?://[^\s/?#.]+\.[^\s/?#]+[^\s]*")
_POSTCODE = re.compile(r"[A-Z]{1,2}[0-9][0-9A-Z]? ?[0-9][A-Z]{2}")


@dataclass
class FormResult:
    """The record as the form describes it, and a message per field that is wrong (empty: valid)."""

    record: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _one(form: FormValues, name: str, limit: int = 20_000) -> str:
    values = form.get(name) or [""]
    return str(values[0]).replace("\r\n", "\n").strip()[:limit]


def _many(form: FormValues, name: str) -> list[str]:
    return [str(v).strip() for v in (form.get(name) or []) if str(v).strip()][:100]


def _optional(value: str) -> str | None:
    return value or None


class _Reader:
    def __init__(self, form: FormValues, base: dict[str, Any]) -> None:
        self.form = form
        self.base = base
        self.errors: dict[str, str] = {}

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def required(self, name: str, label: str, limit: int = 300) -> str:
        value = _one(self.form, name, limit + 1)
        if not value:
            self.error(name, f"Enter {label}.")
        elif len(value) > limit:
            self.error(name, f"{label[0].upper()}{label[1:]} must be {limit} characters or fewer.")
        return value

    def text(self, name: str, label: str, limit: int = 20_000) -> str | None:
        value = _one(self.form, name, limit + 1)
        if len(value) > limit:
            self.error(name, f"{label} must be {limit} characters or fewer.")
        return _optional(value)

    def whole(self, name: str, label: str, low: int, high: int) -> int | str | None:
        value = _one(self.form, name, 20)
        if not value:
            return None
        if not value.isascii() or not value.isdigit() or not low <= int(value) <= high:
            self.error(name, f"{label} must be a whole number from {low} to {high}, like {min(high, 12)}.")
            return value  # shown back as typed
        return int(value)

    def email(self, name: str, label: str) -> str | None:
        value = _one(self.form, name, 301)
        if value and (len(value) > 300 or not _EMAIL.fullmatch(value)):
            self.error(name, f"{label} must be an email address, like advice@example.org.")
        return _optional(value)

    def url(self, name: str, label: str) -> str | None:
        value = _one(self.form, name, 501)
        if value and (len(value) > 500 or not _URL.fullmatch(value)):
            self.error(name, f"{label} must be a web address starting with https://, like https://example.org.")
        return _optional(value)

    def phone(self, name: str, label: str) -> str:
        value = _one(self.form, name, 41)
        if value and (len(value) > 40 or not re.fullmatch(r"\+?[0-9 ()\-.]+", value) or normalise_phone(value) is None):
            self.error(name, f"{label} must be a UK phone number, like 01632 960123, or start with + and the "
                             "country code.")
        return value

    def choice(self, name: str, allowed: Sequence[str], label: str) -> list[str]:
        chosen = _many(self.form, name)
        unknown = [c for c in chosen if c not in allowed]
        if unknown:
            self.error(name, f"{label}: {unknown[0]!r} is not one of the choices.")
        return list(dict.fromkeys(c for c in chosen if c in allowed))

    def rows(self, prefix: str, existing: list[dict[str, Any]], record_id: str) -> list[tuple[int, dict[str, str]]]:
        """Numbered rows with something filled in; ``id`` is kept only when ``existing`` had it."""
        known = {str(item.get("id")) for item in existing}
        indexes = sorted({int(m.group(1)) for key in self.form
                          if (m := re.fullmatch(rf"{prefix}-([0-9]{{1,3}})-[a-z_0-9]+", key))})
        if len(indexes) > MAX_ROWS:
            self.error(prefix, f"At most {MAX_ROWS} rows can be saved at once.")
            indexes = indexes[:MAX_ROWS]
        out = []
        for i in indexes:
            values = {name: _one(self.form, f"{prefix}-{i}-{name}") for name in ROW_FIELDS[prefix]}
            if not any(values.values()):
                continue
            given = _one(self.form, f"{prefix}-{i}-id", 100)
            values["id"] = given if given in known else f"{record_id}-{prefix.rstrip('s')}-{uuid.uuid4().hex[:8]}"
            out.append((i, values))
        return out


def _keep_order(chosen: list[str], previous: Sequence[str]) -> list[str]:
    """Ticked values in the record's existing order (it carries meaning: the first category leads), new ones last."""
    kept = [value for value in previous if value in chosen]
    return kept + [value for value in chosen if value not in kept]


def _by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {str(item.get("id")): item for item in items}


def _days(text: str) -> str | None:
    """"Mon-Fri", "mon, wed, sat" or "MO,TU" -> "MO,TU,WE,TH,FR"; None if a day is not a day."""
    cleaned = re.sub(r"\s*[-–]\s*|\s+TO\s+", "-", text.strip().upper())
    picked: list[int] = []

    def day(token: str) -> int | None:
        hits = [i for i, name in enumerate(DAY_NAMES) if len(token) >= 2 and name.startswith(token)]
        return hits[0] if len(hits) == 1 else None

    for token in filter(None, re.split(r"[,\s/&]+|AND", cleaned)):
        first, _, last = token.partition("-")
        start, end = day(first), day(last) if last else day(first)
        if start is None or end is None or end < start:
            return None
        picked.extend(range(start, end + 1))
    ordered = sorted(set(picked))
    return ",".join(DAY_NAMES[i][:2] for i in ordered) if ordered else None


def _time(value: str) -> str | None:
    match = _TIME.fullmatch(value.replace(".", ":"))
    return f"{int(match.group(1)):02d}:{match.group(2)}" if match else None


def _pydantic(reader: _Reader, model: type[BaseModel], record: dict[str, Any], names: dict[str, str]) -> None:
    """Whatever the field checks above did not catch (lengths, cross-field rules), under its field."""
    if reader.errors:
        return
    try:
        model.model_validate(record)
    except ValidationError as exc:
        for problem in exc.errors():
            loc = [str(part) for part in problem["loc"]]
            key = next((names[part] for part in loc if part in names), "form")
            reader.error(key, f"{' '.join(loc).replace('_', ' ')}: {problem['msg']}")


def _schedules(reader: _Reader, record: dict[str, Any], sid: str) -> list[dict[str, Any]]:
    existing = _by_id(record.get("schedules", []))
    out = []
    for i, row in reader.rows("schedules", list(existing.values()), sid):
        byday = _days(row["days"]) if row["days"] else None
        if row["days"] and byday is None:
            reader.error(f"schedules-{i}-days", "Days must be day names, like Mon-Fri or Mon, Wed, Sat.")
        opens, closes = (_time(row["opens_at"]) if row["opens_at"] else None,
                         _time(row["closes_at"]) if row["closes_at"] else None)
        for key, value, parsed in (("opens_at", row["opens_at"], opens), ("closes_at", row["closes_at"], closes)):
            if value and parsed is None:
                reader.error(f"schedules-{i}-{key}", "Enter a time in 24-hour form, like 09:30 or 17:00.")
        if (opens is None) != (closes is None) and not reader.errors.get(f"schedules-{i}-opens_at"):
            reader.error(f"schedules-{i}-closes_at", "Enter both an opening and a closing time, or neither.")
        elif opens and closes and closes <= opens:
            reader.error(f"schedules-{i}-closes_at", "The closing time must be after the opening time.")
        if not byday and not row["description"] and f"schedules-{i}-days" not in reader.errors:
            reader.error(f"schedules-{i}-days", "Enter the days these hours apply to, like Mon-Fri.")
        item = {**existing.get(row["id"], {}), "id": row["id"], "byday": byday or row["days"] or None,
                "opens_at": opens or row["opens_at"] or None, "closes_at": closes or row["closes_at"] or None,
                "description": _optional(row["description"])}
        out.append({k: v for k, v in item.items() if v is not None})
    return out


def _phones(reader: _Reader, existing_items: list[dict[str, Any]], owner: str) -> list[dict[str, Any]]:
    existing = _by_id(existing_items)
    out = []
    for i, row in reader.rows("phones", existing_items, owner):
        number = reader.phone(f"phones-{i}-number", "Phone number")
        if not number:
            reader.error(f"phones-{i}-number", "Enter the phone number, or clear this row.")
        if row["type"] and row["type"] not in PHONE_TYPES:
            reader.error(f"phones-{i}-type", "Choose a kind of phone line from the list.")
        item = {**existing.get(row["id"], {}), "id": row["id"], "number": number, "type": _optional(row["type"]),
                "description": _optional(row["description"])}
        out.append({k: v for k, v in item.items() if v is not None})
    return out


def _contacts(reader: _Reader, record: dict[str, Any], sid: str) -> list[dict[str, Any]]:
    existing = _by_id(record.get("contacts", []))
    out = []
    for i, row in reader.rows("contacts", list(existing.values()), sid):
        email = reader.email(f"contacts-{i}-email", "Contact email")
        number = reader.phone(f"contacts-{i}-phone", "Contact phone")
        old = existing.get(row["id"], {})
        phones = list(old.get("phones", []))
        if number:
            first = dict(phones[0]) if phones else {"id": f"{row['id']}-phone"}
            phones = [{**first, "number": number}, *phones[1:]]
        else:
            phones = phones[1:]
        item = {**old, "id": row["id"], "name": _optional(row["name"]), "title": _optional(row["title"]),
                "email": email, "phones": phones}
        out.append({k: v for k, v in item.items() if v is not None})
    return out


def _costs(reader: _Reader, record: dict[str, Any], sid: str) -> list[dict[str, Any]]:
    existing = _by_id(record.get("cost_options", []))
    out = []
    for i, row in reader.rows("cost_options", list(existing.values()), sid):
        amount: float | str | None = None
        if row["amount"]:
            try:
                amount = float(row["amount"].lstrip("£"))
                if not 0 <= amount <= 1e6:
                    raise ValueError
            except ValueError:
                reader.error(f"cost_options-{i}-amount", "Enter the charge in pounds, like 25 or 12.50 (0 if free).")
                amount = row["amount"]
        old = existing.get(row["id"], {})
        item = {**old, "id": row["id"], "option": _optional(row["option"]), "amount": amount,
                "amount_description": _optional(row["amount_description"])}
        item["currency"] = "GBP" if isinstance(amount, float) and amount > 0 else old.get("currency")
        out.append({k: v for k, v in item.items() if v is not None})
    return out


def _areas(reader: _Reader, record: dict[str, Any]) -> list[dict[str, Any]]:
    existing = {(a.get("extent_type"), str(a.get("extent")).upper()): a for a in record.get("service_areas", [])}
    sid = str(record["id"])
    wanted: list[tuple[str, str]] = []
    raw = _one(reader.form, "postcode_districts", 5000).upper()
    for token in filter(None, re.split(r"[\s,;]+", raw)):
        area = re.sub(r"[0-9].*", "", token)
        if not _DISTRICT.fullmatch(token):
            reader.error("postcode_districts",
                         f"“{token}” is not a UK postcode district. Enter the first part of each postcode, "
                         "like LU1 or BS3, separated by spaces.")
        elif not is_postcode_area(area):
            reader.error("postcode_districts", f"“{token}” is not a UK postcode district: there is no postcode "
                                               f"area “{area}”.")
        wanted.append(("postcode_district", token))
    for name, kind in (("local_authorities", "local_authority"), ("national", "national")):
        for line in _one(reader.form, name, 20_000).split("\n"):
            line = " ".join(line.split())
            if len(line) > 300:
                reader.error(name, "Each line must be 300 characters or fewer.")
            elif line:
                wanted.append((kind, line))
    out = []
    for kind, extent in dict.fromkeys(wanted):
        old = existing.get((kind, extent.upper()))
        if old is not None:
            out.append({**old, "extent": extent})
            continue
        slug = re.sub(r"[^a-z0-9]+", "-", extent.lower()).strip("-")[:40] or "area"
        item = {"id": f"{sid}-area-{slug}-{uuid.uuid4().hex[:6]}", "extent_type": kind, "extent": extent}
        if kind != "postcode_district":
            item["name"] = extent
        out.append(item)
    return out


def _languages(reader: _Reader, record: dict[str, Any]) -> list[dict[str, Any]]:
    codes = reader.choice("languages", LANGUAGE_CODES, "Languages")
    for token in filter(None, re.split(r"[\s,;]+", _one(reader.form, "languages_other", 300).lower())):
        if not re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{1,8})*", token):
            reader.error("languages_other", f"“{token}” is not a language code. Use two or three letters, like fr "
                                            "or tr.")
        else:
            codes.append(token)
    existing = {str(lang.get("code")): lang for lang in record.get("languages", [])}
    out = []
    for code in _keep_order(list(dict.fromkeys(codes)), list(existing)):
        lang = get_language(code)
        out.append(existing.get(code) or {"id": f"{record['id']}-lang-{code}", "code": code,
                                          **({"name": lang.english_name} if lang else {})})
    return out


def _translations(reader: _Reader, record: dict[str, Any]) -> dict[str, dict[str, str]]:
    current: dict[str, dict[str, str]] = copy.deepcopy(record.get("x_frontdoor", {}).get("translations", {}))
    for code in LANGUAGE_CODES[1:]:
        fields = dict(current.get(code, {}))
        for key in TRANSLATED:
            value = _one(reader.form, f"tr-{code}-{key}", 20_001)
            if len(value) > (300 if key == "name" else 20_000):
                reader.error(f"tr-{code}-{key}", "This translation is too long.")
            if value:
                fields[key] = value
            else:
                fields.pop(key, None)
        if fields:
            current[code] = fields
        else:
            current.pop(code, None)
    return current


_SERVICE_FIELDS = {
    "name": "name", "description": "description", "url": "url", "email": "email", "status": "status",
    "capacity_per_week": "capacity_per_week", "response_days": "response_days", "categories": "categories",
    "languages": "languages", "service_areas": "postcode_districts", "schedules": "schedules",
    "contacts": "contacts", "cost_options": "cost_options", "phones": "phones", "translations": "translations",
    "minimum_age": "minimum_age", "maximum_age": "maximum_age",
}


def service_from_form(form: FormValues, base: dict[str, Any], organization_locations: Sequence[str]) -> FormResult:
    """The service ``base`` as edited on the form; its id and organisation never come from the form."""
    reader = _Reader(form, base)
    record = copy.deepcopy(base)
    sid = str(base["id"])
    record["name"] = reader.required("name", "the client-facing name")
    record["description"] = reader.text("description", "The short description") or ""
    status = _one(form, "status", 40) or "active"
    if status not in SERVICE_STATUSES:
        reader.error("status", "Choose a status from the list.")
    record["status"] = status
    record["url"] = reader.url("url", "The web address")
    record["email"] = reader.email("email", "The referral email")
    for key, label in (("interpretation_services", "Interpreter access"), ("eligibility_description", "Eligibility"),
                       ("fees_description", "Costs")):
        record[key] = reader.text(key, label)
    record["minimum_age"] = reader.whole("minimum_age", "Minimum age", 0, 130)
    record["maximum_age"] = reader.whole("maximum_age", "Maximum age", 0, 130)
    low, high = record["minimum_age"], record["maximum_age"]
    if isinstance(low, int) and isinstance(high, int) and low > high:
        reader.error("maximum_age", "The maximum age must not be below the minimum age.")
    record["categories"] = _keep_order(reader.choice("categories", CATEGORY_IDS, "Categories"),
                                       base.get("categories", []))
    record["languages"] = _languages(reader, record)
    record["service_areas"] = _areas(reader, record)
    record["schedules"] = _schedules(reader, record, sid)
    record["phones"] = _phones(reader, record.get("phones", []), sid)
    record["contacts"] = _contacts(reader, record, sid)
    record["cost_options"] = _costs(reader, record, sid)
    chosen = reader.choice("locations", list(organization_locations), "Locations")
    links = {str(link["location_id"]): link for link in record.get("service_at_locations", [])}
    record["service_at_locations"] = [links.get(loc) or {"id": f"{sid}-at-{loc}"[:100], "location_id": loc}
                                      for loc in chosen]
    extension = dict(record.get("x_frontdoor", {}))
    accepts = _one(form, "accepts_referrals", 10)
    if accepts not in ("yes", "no"):
        reader.error("accepts_referrals", "Choose whether this service accepts referrals or is signpost-only.")
    extension["accepts_referrals"] = accepts == "yes"
    extension["capacity_per_week"] = reader.whole("capacity_per_week", "Weekly capacity", 0, 100_000)
    extension["response_days"] = reader.whole("response_days", "Target days to first contact", 0, 365)
    extension["contact_methods"] = _keep_order(reader.choice("contact_methods", CONTACT_METHODS, "Contact methods"),
                                               extension.get("contact_methods", []))
    extension["translations"] = _translations(reader, record)
    if not extension["translations"]:
        extension.pop("translations")
    record["x_frontdoor"] = {k: v for k, v in extension.items() if v is not None}
    record = {k: v for k, v in record.items() if v is not None}
    if not record["categories"]:
        reader.error("categories", "Choose at least one category, or the service can never be matched.")
    if not record["service_areas"]:
        reader.error("postcode_districts", "Enter at least one postcode district, local authority or national "
                                           "area, or the service can never be matched.")
    _pydantic(reader, ServiceRecord, record, _SERVICE_FIELDS)
    return FormResult(record, reader.errors)


def _locations(reader: _Reader, record: dict[str, Any]) -> list[dict[str, Any]]:
    existing = _by_id(record.get("locations", []))
    out = []
    for i, row in reader.rows("locations", list(existing.values()), str(record["id"])):
        old = copy.deepcopy(existing.get(row["id"], {}))
        addresses = list(old.get("addresses", []))
        postcode = " ".join(row["postal_code"].upper().split())
        if not row["address_1"]:
            reader.error(f"locations-{i}-address_1", "Enter the first line of the address.")
        if not row["city"]:
            reader.error(f"locations-{i}-city", "Enter the town or city.")
        if not _POSTCODE.fullmatch(postcode) or not is_postcode_area(re.sub(r"[0-9].*", "", postcode)):
            reader.error(f"locations-{i}-postal_code", "Enter a full UK postcode, like LU1 2AB.")
        address = {**(addresses[0] if addresses else {"id": f"{row['id']}-address", "country": "GB",
                                                      "address_type": "physical"}),
                   "address_1": row["address_1"], "address_2": _optional(row["address_2"]), "city": row["city"],
                   "postal_code": postcode}
        item = {**old, "id": row["id"], "name": _optional(row["name"]),
                "addresses": [{k: v for k, v in address.items() if v is not None}, *addresses[1:]]}
        out.append({k: v for k, v in item.items() if v is not None})
    return out


def organization_from_form(form: FormValues, base: dict[str, Any]) -> FormResult:
    """The organisation ``base`` as edited on the form (its id, network and status never come from the form)."""
    reader = _Reader(form, base)
    record = copy.deepcopy(base)
    record["name"] = reader.required("name", "the organisation's name")
    record["alternate_name"] = reader.text("alternate_name", "Other name", 300)
    record["description"] = reader.text("description", "The description") or ""
    record["email"] = reader.email("email", "The email")
    record["website"] = reader.url("website", "The website")
    record["phones"] = _phones(reader, record.get("phones", []), str(base["id"]))
    record["locations"] = _locations(reader, record)
    record = {k: v for k, v in record.items() if v is not None}
    _pydantic(reader, OrganizationRecord, record,
              {"name": "name", "description": "description", "email": "email", "website": "website",
               "phones": "phones", "locations": "locations"})
    return FormResult(record, reader.errors)
