"""A readable field-by-field comparison of two versions of a directory record.

Records are flattened into labelled lines a reviewer can read ("Languages
spoken: English, Polish"); ids of child rows are left out, as nobody reviews
them, so re-saving a form that changed nothing shows no difference.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.languages import get_language

__all__ = ["Change", "diff_records", "readable"]


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


def _text(value: Any) -> str:
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _language(code: str) -> str:
    lang = get_language(code)
    return lang.english_name if lang else code


def _schedule(item: dict[str, Any]) -> str:
    hours = f"{item.get('opens_at') or '?'}–{item.get('closes_at') or '?'}" if item.get("opens_at") else ""
    return " ".join(p for p in (item.get("byday") or "", hours, f"({item['description']})"
                                if item.get("description") else "") if p)


def _phone(item: dict[str, Any]) -> str:
    return " ".join(p for p in (item.get("number") or "", f"({item['type']})" if item.get("type") else "") if p)


def _contact(item: dict[str, Any]) -> str:
    parts = [item.get("name"), item.get("title"), item.get("email"), *(p.get("number") for p in item.get("phones", []))]
    return ", ".join(str(p) for p in parts if p)


def _cost(item: dict[str, Any]) -> str:
    amount = item.get("amount")
    money = f"{amount:.2f} {item.get('currency') or ''}".strip() if amount else "free"
    return ", ".join(p for p in (item.get("option"), money, item.get("amount_description")) if p)


def _location(item: dict[str, Any]) -> str:
    addresses = "; ".join(", ".join(str(a[k]) for k in ("address_1", "address_2", "city", "postal_code") if a.get(k))
                          for a in item.get("addresses", []))
    return " — ".join(p for p in (item.get("name"), addresses) if p)


def _lines(items: list[dict[str, Any]], show: Callable[[dict[str, Any]], str]) -> str:
    return "\n".join(show(item) for item in items)


def _areas(record: dict[str, Any], kind: str) -> str:
    return ", ".join(a["extent"] for a in record.get("service_areas", []) if a.get("extent_type") == kind)


_SERVICE_SCALARS = (
    ("name", "Client-facing name"), ("alternate_name", "Other name"), ("description", "Short description"),
    ("status", "Status"), ("url", "Web address"), ("email", "Referral email"),
    ("interpretation_services", "Interpreter access"), ("eligibility_description", "Eligibility"),
    ("minimum_age", "Minimum age"), ("maximum_age", "Maximum age"), ("fees_description", "Costs"),
    ("application_process", "How to get help"), ("wait_time", "Waiting time"),
)
_EXTENSION = (("accepts_referrals", "Accepts referrals (not signpost-only)"), ("capacity_per_week", "Weekly capacity"),
              ("response_days", "Target days to first contact"))
_ORG_SCALARS = (("name", "Name"), ("alternate_name", "Other name"), ("description", "Description"),
                ("email", "Email"), ("website", "Website"))


def readable(kind: str, record: dict[str, Any] | None) -> dict[str, str]:
    """The record as labelled text values, in the order a reviewer reads them."""
    if record is None:
        return {}
    out: dict[str, str] = {}
    extension = record.get("x_frontdoor", {})
    if kind == "organization":
        for key, label in _ORG_SCALARS:
            out[label] = _text(record.get(key))
        out["Phones"] = _lines(record.get("phones", []), _phone)
        out["Locations"] = _lines(record.get("locations", []), _location)
        out["Status"] = _text(extension.get("status"))
        return out
    for key, label in _SERVICE_SCALARS:
        out[label] = _text(record.get(key))
    for key, label in _EXTENSION:
        out[label] = _text(extension.get(key))
    out["Contact methods"] = ", ".join(extension.get("contact_methods", []))
    out["Categories served"] = ", ".join(record.get("categories", []))
    out["Languages spoken"] = ", ".join(_language(lang["code"]) for lang in record.get("languages", []))
    out["Postcode districts"] = _areas(record, "postcode_district")
    out["Local authorities"] = _areas(record, "local_authority")
    out["National coverage"] = _areas(record, "national")
    out["Opening hours"] = _lines(record.get("schedules", []), _schedule)
    out["Phones"] = _lines(record.get("phones", []), _phone)
    out["Contacts"] = _lines(record.get("contacts", []), _contact)
    out["Cost options"] = _lines(record.get("cost_options", []), _cost)
    out["Locations"] = ", ".join(link["location_id"] for link in record.get("service_at_locations", []))
    for code, fields in sorted(extension.get("translations", {}).items()):
        for key, value in sorted(fields.items()):
            out[f"{_language(code)}: {key.replace('_', ' ')}"] = _text(value)
    return out


def diff_records(kind: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[Change]:
    """Every labelled field whose text differs, in reading order (new fields last)."""
    old, new = readable(kind, before), readable(kind, after)
    labels = list(old) + [label for label in new if label not in old]
    return [Change(label, old.get(label, ""), new.get(label, "")) for label in labels
            if old.get(label, "") != new.get(label, "")]
