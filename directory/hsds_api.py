"""The published directory as the Open Referral HSDS 3.0 API (read-only): queries and serialisation.

Only directory tables are read here (organisations, services and what hangs off them), never
referrals, consents or conversations: nothing about a client can reach this API. Lists are
paged the way the HSDS 3.0 OpenAPI document says (``total_items``, ``total_pages``,
``page_number``, ``size``, ``first_page``, ``last_page``, ``empty``, then ``contents``).
Organisations deactivated by an import (kept for old referrals) and their services are left out.
Frontdoor's categories are published as one taxonomy whose term ids are the category ids.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, or_, select
from sqlalchemy.orm import Session, selectinload

from core.categories import CATEGORIES, CATEGORY_IDS, Category
from directory.areas import Place, nations_of_extent, resolve_place
from directory.exporter import export_organization, export_service
from directory.general_queue import GENERAL_QUEUE_ID
from directory.models import (
    Location,
    Organization,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCategory,
    ServiceLanguage,
)
from directory.schema import HSDS_VERSION

__all__ = [
    "DEFAULT_PER_PAGE", "MAX_PER_PAGE", "OPENAPI_URL", "TAXONOMY_ID", "BadQuery", "Paging", "ServiceFilters",
    "api_meta", "get_organization", "get_service", "get_taxonomy", "get_taxonomy_term", "list_organizations",
    "list_service_at_locations", "list_services", "list_taxonomies", "list_taxonomy_terms",
]

OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
TAXONOMY_ID = "frontdoor-categories"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
_SERVICE_SCALARS = ("id", "organization_id", "name", "alternate_name", "description", "url", "email", "status",
                    "interpretation_services", "application_process", "fees_description", "wait_time",
                    "eligibility_description", "minimum_age", "maximum_age")
_ORGANIZATION_SCALARS = ("id", "name", "alternate_name", "description", "email", "website")


class BadQuery(ValueError):
    """A query parameter the API cannot use; the message says which and why (HTTP 400)."""


@dataclass(frozen=True)
class Paging:
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @classmethod
    def parse(cls, page: str | None, per_page: str | None) -> Paging:
        return cls(_positive("page", page, 1), min(_positive("per_page", per_page, DEFAULT_PER_PAGE), MAX_PER_PAGE))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def _positive(name: str, raw: str | None, default: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadQuery(f"{name} must be a whole number, not {raw[:40]!r}") from None
    if value < 1:
        raise BadQuery(f"{name} must be 1 or more")
    return value


def _page(total: int, paging: Paging, contents: list[dict[str, Any]]) -> dict[str, Any]:
    pages = math.ceil(total / paging.per_page)
    return {
        "total_items": total, "total_pages": pages, "page_number": paging.page, "size": len(contents),
        "first_page": paging.page == 1, "last_page": paging.page >= pages, "empty": not contents,
        "contents": contents,
    }


def api_meta() -> dict[str, Any]:
    """``GET /``: the HSDS version and where the OpenAPI document this API follows lives."""
    return {"version": HSDS_VERSION, "openapi_url": OPENAPI_URL}


# --- taxonomy: Frontdoor's categories ---------------------------------------------------------------

def _taxonomy() -> dict[str, Any]:
    return {"id": TAXONOMY_ID, "name": "Frontdoor categories",
            "description": "The kinds of problem Frontdoor routes clients by; each term id is a category id.",
            "version": "1"}


def _term(category: Category) -> dict[str, Any]:
    return {"id": category.id, "code": category.id, "name": category.label, "description": category.hint,
            "taxonomy": TAXONOMY_ID, "taxonomy_id": TAXONOMY_ID, "taxonomy_detail": _taxonomy(), "language": "en"}


def list_taxonomies(paging: Paging, search: str | None = None) -> dict[str, Any]:
    found = [_taxonomy()] if _text_matches(search, _taxonomy()["name"], _taxonomy()["description"]) else []
    return _page(len(found), paging, found[paging.offset:paging.offset + paging.per_page])


def get_taxonomy(taxonomy_id: str) -> dict[str, Any] | None:
    return _taxonomy() if taxonomy_id == TAXONOMY_ID else None


def list_taxonomy_terms(paging: Paging, *, search: str | None = None, taxonomy_id: str | None = None,
                        parent_id: str | None = None) -> dict[str, Any]:
    """Every category as a term; all are top-level (``parent_id`` matches nothing)."""
    terms = [_term(c) for c in CATEGORIES
             if (taxonomy_id in (None, "", TAXONOMY_ID)) and not parent_id
             and _text_matches(search, c.id, c.label, c.hint)]
    return _page(len(terms), paging, terms[paging.offset:paging.offset + paging.per_page])


def get_taxonomy_term(term_id: str) -> dict[str, Any] | None:
    return next((_term(c) for c in CATEGORIES if c.id == term_id), None)


def _text_matches(search: str | None, *texts: str) -> bool:
    needle = (search or "").strip().casefold()
    return not needle or any(needle in text.casefold() for text in texts)


# --- services -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ServiceFilters:
    """The ``/services`` filters; every one given must hold (AND)."""

    search: str | None = None
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    organization_id: str | None = None
    postcode: str | None = None
    language: str | None = None


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.casefold()}%"


def _covering(session: Session, place: Place) -> ColumnElement[bool]:
    """The service has an area covering ``place``: one of its districts, its authority, or its nation."""
    districts = [d.upper() for d in place.districts]
    national = [e for (e,) in session.execute(
        select(ServiceArea.extent).where(ServiceArea.extent_type == "national").distinct()).all()
        if (len(nations_of_extent(e)) == 4 if place.nation is None else place.nation in nations_of_extent(e))]
    kinds: list[ColumnElement[bool]] = []
    if districts:
        kinds.append(and_(ServiceArea.extent_type == "postcode_district",
                          func.upper(ServiceArea.extent).in_(districts)))
    if place.local_authority:
        kinds.append(and_(ServiceArea.extent_type == "local_authority",
                          func.lower(ServiceArea.extent) == place.local_authority.lower()))
    if national:
        kinds.append(and_(ServiceArea.extent_type == "national", ServiceArea.extent.in_(national)))
    if not kinds:
        return false()
    return exists().where(ServiceArea.service_id == Service.id, or_(*kinds))


def _service_conditions(session: Session, filters: ServiceFilters) -> list[ColumnElement[bool]]:
    # the network's general queue (directory/general_queue.py) is an internal queue, never a published service
    where: list[ColumnElement[bool]] = [Organization.status == "active", Organization.id != GENERAL_QUEUE_ID]
    if filters.taxonomy_id and filters.taxonomy_id != TAXONOMY_ID:
        where.append(false())
    if filters.taxonomy_term_id:
        if filters.taxonomy_term_id not in CATEGORY_IDS:
            raise BadQuery(f"taxonomy_term_id {filters.taxonomy_term_id[:60]!r} is not a term of this API's "
                           f"taxonomy (see /taxonomy_terms)")
        where.append(exists().where(ServiceCategory.service_id == Service.id,
                                    ServiceCategory.category == filters.taxonomy_term_id))
    elif filters.taxonomy_id == TAXONOMY_ID:
        where.append(exists().where(ServiceCategory.service_id == Service.id))
    if filters.organization_id:
        where.append(Service.organization_id == filters.organization_id)
    if filters.language:
        where.append(exists().where(ServiceLanguage.service_id == Service.id,
                                    func.lower(ServiceLanguage.code) == filters.language.strip().lower()))
    if filters.postcode:
        place = resolve_place(filters.postcode)
        if place is None:
            raise BadQuery(f"postcode {filters.postcode[:20]!r} is not a UK postcode or district we can place")
        where.append(_covering(session, place))
    if filters.search and filters.search.strip():
        pattern = _like(filters.search.strip())
        where.append(or_(func.lower(Service.name).like(pattern, escape="\\"),
                         func.lower(Service.description).like(pattern, escape="\\"),
                         func.lower(Organization.name).like(pattern, escape="\\")))
    return where


def _published_services(session: Session, filters: ServiceFilters) -> Select[str]:
    return (select(Service.id).join(Organization, Service.organization_id == Organization.id)
            .where(*_service_conditions(session, filters)))


def _scalars(obj: object, names: Sequence[str]) -> dict[str, Any]:
    return {name: value for name in names if (value := getattr(obj, name)) is not None}


def _full_services(session: Session, ids: Sequence[str]) -> list[Service]:
    found = session.scalars(select(Service).where(Service.id.in_(ids)).options(
        selectinload(Service.phones), selectinload(Service.schedules), selectinload(Service.service_areas),
        selectinload(Service.languages), selectinload(Service.cost_options), selectinload(Service.contacts),
        selectinload(Service.categories), selectinload(Service.organization),
        selectinload(Service.service_at_locations),
    )).all()
    by_id = {s.id: s for s in found}
    return [by_id[i] for i in ids if i in by_id]


def _locations(session: Session, ids: set[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    rows = session.scalars(select(Location).where(Location.id.in_(ids)).options(selectinload(Location.addresses)))
    return {loc.id: _location(loc) for loc in rows}


def _location(location: Location) -> dict[str, Any]:
    out = _scalars(location, ("id", "location_type", "name", "description", "latitude", "longitude"))
    out["organization_id"] = location.organization_id
    out["addresses"] = [{**_scalars(a, ("id", "address_1", "address_2", "city", "postal_code", "country",
                                        "address_type")),
                         "location_id": location.id, "state_province": a.region or ""}
                        for a in sorted(location.addresses, key=lambda a: a.id)]
    return out


def _attributes(service: Service) -> list[dict[str, Any]]:
    """The service's categories as HSDS attributes pointing at this API's taxonomy terms."""
    terms = {c.id: c for c in CATEGORIES}
    return [{"id": f"{service.id}:{c.category}", "link_id": service.id, "link_entity": "service",
             "link_type": "category", "taxonomy_term_id": c.category, "taxonomy_term": _term(terms[c.category])}
            for c in sorted(service.categories, key=lambda c: c.position) if c.category in terms]


def _full_service(service: Service, locations: dict[str, dict[str, Any]]) -> dict[str, Any]:
    out = export_service(service)
    out.pop("x_frontdoor", None)  # capacity and routing are Frontdoor's own business
    out.pop("categories", None)  # published as attributes instead
    out["organization"] = _scalars(service.organization, _ORGANIZATION_SCALARS)
    out["service_at_locations"] = [
        {**link, "service_id": service.id, **({"location": locations[link["location_id"]]}
                                              if link["location_id"] in locations else {})}
        for link in out["service_at_locations"]]
    out["attributes"] = _attributes(service)
    return out


def _full(session: Session, ids: Sequence[str]) -> list[dict[str, Any]]:
    services = _full_services(session, ids)
    locations = _locations(session, {link.location_id for s in services for link in s.service_at_locations})
    return [_full_service(s, locations) for s in services]


def list_services(session: Session, paging: Paging, filters: ServiceFilters, *, full: bool = False,
                  minimal: bool = False) -> dict[str, Any]:
    """``GET /services``: one-to-one fields of each published service (nested with ``full``)."""
    base = _published_services(session, filters)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    ids = list(session.scalars(base.order_by(Service.id).offset(paging.offset).limit(paging.per_page)).all())
    if full and not minimal:
        contents = _full(session, ids)
    else:
        # minimal: the spec asks for id (and a modified date we do not keep), but its own list schema
        # requires name and status too, so those stay.
        rows = session.scalars(select(Service).where(Service.id.in_(ids)).order_by(Service.id)).all()
        contents = [_scalars(s, ("id", "name", "status") if minimal else _SERVICE_SCALARS) for s in rows]
    return _page(total, paging, contents)


def get_service(session: Session, service_id: str) -> dict[str, Any] | None:
    """``GET /services/{id}``: the fully nested service, or None when it is not published."""
    if session.scalar(_published_services(session, ServiceFilters()).where(Service.id == service_id)) is None:
        return None
    found = _full(session, [service_id])
    return found[0] if found else None


# --- organisations ------------------------------------------------------------------------------------

def _organizations(search: str | None) -> Select[str]:
    query = select(Organization.id).where(Organization.status == "active", Organization.id != GENERAL_QUEUE_ID)
    if search and search.strip():
        pattern = _like(search.strip())
        query = query.where(or_(func.lower(Organization.name).like(pattern, escape="\\"),
                                func.lower(Organization.description).like(pattern, escape="\\")))
    return query


def _full_organizations(session: Session, ids: Sequence[str], full_service: bool) -> list[dict[str, Any]]:
    orgs = session.scalars(select(Organization).where(Organization.id.in_(ids)).options(
        selectinload(Organization.phones), selectinload(Organization.locations).selectinload(Location.addresses),
        selectinload(Organization.services))).all()
    by_id = {o.id: o for o in orgs}
    out: list[dict[str, Any]] = []
    for org_id in ids:
        org = by_id.get(org_id)
        if org is None:
            continue
        doc = export_organization(org)
        doc.pop("x_frontdoor", None)
        for location in doc["locations"]:
            location["organization_id"] = org.id
        service_ids = [s.id for s in sorted(org.services, key=lambda s: s.id)]
        doc["services"] = (_full(session, service_ids) if full_service
                           else [_scalars(s, _SERVICE_SCALARS) for s in sorted(org.services, key=lambda s: s.id)])
        out.append(doc)
    return out


def list_organizations(session: Session, paging: Paging, *, search: str | None = None, full: bool = False,
                       full_service: bool = False) -> dict[str, Any]:
    """``GET /organizations``: one-to-one fields of each organisation (nested with ``full``)."""
    base = _organizations(search)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    ids = list(session.scalars(base.order_by(Organization.id).offset(paging.offset).limit(paging.per_page)).all())
    if full or full_service:
        contents = _full_organizations(session, ids, full_service)
    else:
        rows = session.scalars(select(Organization).where(Organization.id.in_(ids)).order_by(Organization.id))
        contents = [_scalars(o, _ORGANIZATION_SCALARS) for o in rows]
    return _page(total, paging, contents)


def get_organization(session: Session, organization_id: str, *, full_service: bool = False) -> dict[str, Any] | None:
    """``GET /organizations/{id}``: the organisation with its phones, locations and services."""
    if session.scalar(_organizations(None).where(Organization.id == organization_id)) is None:
        return None
    found = _full_organizations(session, [organization_id], full_service)
    return found[0] if found else None


# --- services at locations ----------------------------------------------------------------------------

def list_service_at_locations(session: Session, paging: Paging, filters: ServiceFilters, *,
                              full: bool = False) -> dict[str, Any]:
    """``GET /service_at_locations``: where each published service is offered (filters as for services)."""
    services = _published_services(session, filters).subquery()
    base = select(ServiceAtLocation.id).where(ServiceAtLocation.service_id.in_(select(services.c.id)))
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    ids = list(session.scalars(base.order_by(ServiceAtLocation.id).offset(paging.offset).limit(paging.per_page)))
    links = session.scalars(select(ServiceAtLocation).where(ServiceAtLocation.id.in_(ids))
                            .order_by(ServiceAtLocation.id)).all()
    contents: list[dict[str, Any]] = [
        {"id": link.id, "service_id": link.service_id, "location_id": link.location_id} for link in links]
    if full:
        locations = _locations(session, {link.location_id for link in links})
        for item in contents:
            if item["location_id"] in locations:
                item["location"] = locations[item["location_id"]]
    return _page(total, paging, contents)
