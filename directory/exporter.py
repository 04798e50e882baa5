"""The directory as a document in Frontdoor's HSDS 3.0 profile (``--format hsds-json``).

Each organisation and service is an HSDS 3.0 object (tests validate them against
the official schemas); empty fields are left out, as HSDS types do not allow null.
The document is what ``import`` reads, lists sorted by id, so a file survives a
round trip unchanged and two exports of the same directory are byte-identical.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from directory.models import Location, Organization, Service
from directory.schema import (
    DEMO_NOTICE,
    HSDS_VERSION,
    PROFILE,
    AddressRecord,
    ContactRecord,
    CostOptionRecord,
    LanguageRecord,
    LocationRecord,
    OrganizationExtension,
    OrganizationRecord,
    PhoneRecord,
    ScheduleRecord,
    ServiceAreaRecord,
    ServiceAtLocationRecord,
    ServiceExtension,
    ServiceRecord,
)

__all__ = ["export_directory", "export_organization", "export_service", "organization_document", "service_document"]

_SERVICE_LISTS: dict[str, type[Any]] = {
    "phones": PhoneRecord, "schedules": ScheduleRecord, "service_areas": ServiceAreaRecord,
    "service_at_locations": ServiceAtLocationRecord, "languages": LanguageRecord, "cost_options": CostOptionRecord,
    "contacts": ContactRecord,
}


def _scalars(model: type[Any]) -> list[str]:
    """The record's own fields: those that are not lists of records or extensions."""
    nested = ("phones", "locations", "addresses", "x_frontdoor", "categories", *_SERVICE_LISTS)
    return [name for name in model.model_fields if name not in nested]


def _fields(obj: object, model: type[Any], **renamed: str) -> dict[str, Any]:
    out = {name: getattr(obj, renamed.get(name, name)) for name in _scalars(model)}
    return {key: value for key, value in out.items() if value is not None}


def _by_id(items: list[Any]) -> list[Any]:
    return sorted(items, key=lambda item: item.id)


def export_organization(org: Organization) -> dict[str, Any]:
    """One organisation as in the directory document (its phones and locations nested)."""
    return {
        **_fields(org, OrganizationRecord),
        "phones": [_fields(p, PhoneRecord) for p in _by_id(org.phones)],
        "locations": [
            {**_fields(loc, LocationRecord),
             "addresses": [{**_fields(a, AddressRecord, state_province="region"), "state_province": a.region or ""}
                           for a in _by_id(loc.addresses)]}
            for loc in _by_id(org.locations)
        ],
        "x_frontdoor": _fields(org, OrganizationExtension),
    }


def export_service(service: Service) -> dict[str, Any]:
    """One service as in the directory document (its lists nested; categories and x_frontdoor beside)."""
    out = _fields(service, ServiceRecord)
    for key, model in _SERVICE_LISTS.items():
        out[key] = [_fields(item, model) for item in _by_id(getattr(service, key))]
    for contact, source in zip(out["contacts"], _by_id(service.contacts), strict=True):
        phones = sorted(source.phones or [], key=lambda p: str(p.get("id")))
        contact["phones"] = [{k: v for k, v in p.items() if v is not None} for p in phones]
    out["categories"] = [c.category for c in sorted(service.categories, key=lambda c: c.position)]
    extra = _fields(service, ServiceExtension)
    extra["contact_methods"] = list(service.contact_methods or [])
    if service.translations:
        extra["translations"] = dict(service.translations)
    else:
        extra.pop("translations", None)
    out["x_frontdoor"] = extra
    return out


def export_directory(session: Session) -> dict[str, Any]:
    """The whole directory, inactive records included (an admin's backup must be complete)."""
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
    out["organizations"] = [export_organization(o) for o in _by_id(list(orgs))]
    out["services"] = [export_service(s) for s in _by_id(list(services))]
    return out


def organization_document(session: Session, organization_id: str) -> dict[str, Any] | None:
    """One organisation as it stands in the directory (its export record), or None."""
    org = session.get(Organization, organization_id)
    return export_organization(org) if org is not None else None


def service_document(session: Session, service_id: str) -> dict[str, Any] | None:
    """One service as it stands in the directory (its export record), or None."""
    service = session.get(Service, service_id)
    return export_service(service) if service is not None else None
