"""What the directory admin pages show: a record's form values, and the lists on the directory page.

The forms are plain HTML; this turns a record (published, a draft, or what was
just posted with its mistakes) back into the values of its fields.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.categories import CATEGORIES
from core.languages import LANGUAGE_CODES, LANGUAGES
from directory.forms import DAY_NAMES, ROW_FIELDS, TRANSLATED
from directory.models import Location, Organization, Service
from directory.schema import CONTACT_METHODS, PHONE_TYPES, SERVICE_STATUSES
from staff.models import StaffAccount

__all__ = ["ServiceRow", "account_names", "choices", "organization_locations", "organization_values", "scope_services",
           "service_values"]

BLANK_ROWS = 2  # empty rows under the filled ones, so a row can be added without JavaScript


def _days(byday: str | None) -> str:
    if not byday:
        return ""
    codes = byday.split(",")
    names = {name[:2]: name[:3].title() for name in DAY_NAMES}
    if all(code in names for code in codes):
        return ", ".join(names[code] for code in codes)
    return byday  # as typed, when it was not understood


def _rows(prefix: str, items: list[dict[str, Any]]) -> list[dict[str, str]]:
    out = [{key: "" if item.get(key) is None else str(item.get(key)) for key in ("id", *ROW_FIELDS[prefix])}
           for item in items]
    return out + [dict.fromkeys(("id", *ROW_FIELDS[prefix]), "") for _ in range(BLANK_ROWS)]


def _areas(record: dict[str, Any], kind: str, sep: str) -> str:
    return sep.join(str(a["extent"]) for a in record.get("service_areas", []) if a.get("extent_type") == kind)


def service_values(record: dict[str, Any]) -> dict[str, Any]:
    extension = record.get("x_frontdoor", {})
    codes = [str(lang.get("code")) for lang in record.get("languages", [])]
    schedules = [{**s, "days": _days(s.get("byday"))} for s in record.get("schedules", [])]
    contacts = [{**c, "phone": (c.get("phones") or [{}])[0].get("number", "")} for c in record.get("contacts", [])]
    accepts = extension.get("accepts_referrals")
    return {
        "name": record.get("name", ""), "description": record.get("description", ""),
        "status": record.get("status", "active"), "url": record.get("url", ""), "email": record.get("email", ""),
        "interpretation_services": record.get("interpretation_services", ""),
        "eligibility_description": record.get("eligibility_description", ""),
        "fees_description": record.get("fees_description", ""),
        "minimum_age": record.get("minimum_age", ""), "maximum_age": record.get("maximum_age", ""),
        "accepts_referrals": "" if accepts is None else ("yes" if accepts else "no"),
        "capacity_per_week": extension.get("capacity_per_week", ""),
        "response_days": extension.get("response_days", ""),
        "contact_methods": set(extension.get("contact_methods", [])),
        "categories": set(record.get("categories", [])),
        "languages": {c for c in codes if c in LANGUAGE_CODES},
        "languages_other": " ".join(c for c in codes if c not in LANGUAGE_CODES),
        "postcode_districts": _areas(record, "postcode_district", " "),
        "local_authorities": _areas(record, "local_authority", "\n"),
        "national": _areas(record, "national", "\n"),
        "locations": {str(link.get("location_id")) for link in record.get("service_at_locations", [])},
        "schedules": _rows("schedules", schedules), "phones": _rows("phones", record.get("phones", [])),
        "contacts": _rows("contacts", contacts), "cost_options": _rows("cost_options", record.get("cost_options", [])),
        "translations": {code: {key: extension.get("translations", {}).get(code, {}).get(key, "")
                                for key in TRANSLATED} for code in LANGUAGE_CODES[1:]},
    }


def organization_values(record: dict[str, Any]) -> dict[str, Any]:
    locations = []
    for loc in record.get("locations", []):
        address = (loc.get("addresses") or [{}])[0]
        locations.append({"id": loc.get("id"), "name": loc.get("name"),
                          **{key: address.get(key) for key in ("address_1", "address_2", "city", "postal_code")}})
    return {key: record.get(key) or "" for key in ("name", "alternate_name", "description", "email", "website")} | {
        "phones": _rows("phones", record.get("phones", [])), "locations": _rows("locations", locations)}


def choices() -> dict[str, Any]:
    """The fixed choices of the service form."""
    return {"languages": [(lang.code, lang.english_name) for lang in LANGUAGES],
            "translate_to": [(lang.code, lang.english_name, lang.own_name, "rtl" if lang.rtl else "ltr")
                             for lang in LANGUAGES[1:]],
            "categories": [(c.id, c.label) for c in CATEGORIES],
            "contact_methods": [(m, m.replace("_", " ")) for m in CONTACT_METHODS],
            "statuses": SERVICE_STATUSES, "phone_types": PHONE_TYPES}


def organization_locations(session: Session, organization_id: str) -> list[tuple[str, str]]:
    """(id, name) of the organisation's locations, for the service form's checkboxes."""
    return [(ident, name or ident) for ident, name in session.execute(
        select(Location.id, Location.name).where(Location.organization_id == organization_id).order_by(Location.id))]


@dataclass(frozen=True)
class ServiceRow:
    id: str
    name: str
    status: str
    organization_id: str
    organization_name: str
    last_verified_at: dt.datetime | None


def scope_services(session: Session, organization_id: str | None) -> list[ServiceRow]:
    query = (select(Service.id, Service.name, Service.status, Organization.id, Organization.name,
                    Service.last_verified_at).join(Service.organization).order_by(Organization.name, Service.name))
    if organization_id is not None:
        query = query.where(Organization.id == organization_id)
    return [ServiceRow(*row) for row in session.execute(query)]


def account_names(session: Session, ids: set[str | None]) -> dict[str, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return dict(session.execute(select(StaffAccount.id, StaffAccount.name).where(StaffAccount.id.in_(wanted))).all())
