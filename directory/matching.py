"""Rank directory services for a client's issue, area, language and urgency.

Matching runs on an in-memory :class:`DirectorySnapshot` so the conversation
engine can call it without touching the database. Every match carries its
reasons as structured codes; :mod:`bot.prompts` renders them in the client's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from directory.areas import Place, nations_of_extent
from directory.models import Organization, Service

__all__ = [
    "DirectorySnapshot", "Match", "MatchRequest", "Reason", "ServiceRecord", "load_snapshot", "place_label",
]


@dataclass(frozen=True)
class Reason:
    code: str  # area | category | language | interpreter | free | charges | capacity | fast
    value: str = ""


@dataclass(frozen=True)
class ServiceRecord:
    """What matching and the conversation need to know about one service."""

    id: str
    organization_id: str
    organization_name: str
    name: str
    description: str
    categories: tuple[str, ...]
    areas: tuple[tuple[str, str], ...]  # (extent_type, extent)
    languages: frozenset[str]
    interpreters: bool
    free: bool
    fees_description: str
    accepts_referrals: bool
    capacity_per_week: int | None
    response_days: int | None
    phone: str | None
    email: str | None
    url: str | None
    contact_methods: tuple[str, ...]
    translations: dict[str, dict[str, str]] = field(default_factory=dict, hash=False, compare=False)

    def text_in(self, language: str, name: str) -> tuple[str, bool]:
        """A client-facing field (``name``, ``description``, ``fees_description``) in ``language``.

        Returns the text and whether it is in that language; the English text
        stands in when nobody has translated it yet, so the caller can say so.
        """
        english = str(getattr(self, name) or "")
        if language == "en":
            return english, True
        translated = (self.translations.get(language) or {}).get(name)
        return (str(translated), True) if translated else (english, not english)

    def covers(self, place: Place | None) -> tuple[str, str] | None:
        """How this service covers ``place``: the closest of its areas, or None.

        Returns ``(kind, label)`` with kind ``postcode_district`` ("LU2"; or every
        district of a named town), ``local_authority`` ("Luton"), ``part_of_town``
        (some districts of the town the client named) or ``national`` (a national service covers
        a place only when its extent includes the place's nation: "England" never covers Cardiff).
        """
        if place is not None:
            districts = {extent.upper() for extent_type, extent in self.areas if extent_type == "postcode_district"}
            if place.districts and districts.issuperset(place.districts):
                return "postcode_district", place.districts[0] if len(place.districts) == 1 else place.label
            for extent_type, extent in self.areas:
                if extent_type == "local_authority" and extent.lower() == place.local_authority.lower():
                    return extent_type, extent
            if districts.intersection(place.districts):
                # A town was named, and this service covers only part of it: it may not cover the client.
                return "part_of_town", place.label
        for extent_type, extent in self.areas:
            if extent_type == "national" and _nation_covered(extent, place):
                return extent_type, extent
        return None


@dataclass(frozen=True)
class MatchRequest:
    category: str
    place: Place | None
    language: str
    needs_interpreter: bool = False
    urgent: bool = False


@dataclass(frozen=True)
class Match:
    service: ServiceRecord
    score: float
    has_capacity: bool
    reasons: tuple[Reason, ...]

    @property
    def is_referral(self) -> bool:
        """Core partner with room this week: we can hand over a warm referral."""
        return self.service.accepts_referrals and self.has_capacity


@dataclass(frozen=True)
class DirectorySnapshot:
    services: tuple[ServiceRecord, ...]
    referrals_this_week: dict[str, int] = field(default_factory=dict)

    def match(self, request: MatchRequest, *, limit: int = 3) -> list[Match]:
        """Services covering the category and area, best first; empty when none fits."""
        matches: list[Match] = []
        for service in self.services:
            if request.category not in service.categories:
                continue
            coverage = service.covers(request.place)
            if coverage is None:
                continue
            matches.append(self._score(service, coverage, request))
        matches.sort(key=lambda m: (-m.score, m.service.organization_name, m.service.id))
        return matches[:limit]

    def _score(self, service: ServiceRecord, coverage: tuple[str, str], request: MatchRequest) -> Match:
        kind, label = coverage
        area_label = place_label(request.place) if kind != "national" and request.place else label
        reasons = [Reason("area", area_label), Reason("category", request.category)]
        used = self.referrals_this_week.get(service.id, 0)
        has_capacity = service.capacity_per_week is None or used < service.capacity_per_week
        score = 0.0
        if service.accepts_referrals:
            score += 100 if has_capacity else 10  # a full core partner drops below signposts
        else:
            score += 50
        if has_capacity and service.accepts_referrals:
            reasons.append(Reason("capacity"))
        score += _AREA_SCORE[kind]
        if request.language in service.languages:
            score += 20
            if request.language != "en":
                reasons.append(Reason("language", request.language))
        elif service.interpreters:
            score += 12 if (request.needs_interpreter or request.language != "en") else 0
            if request.needs_interpreter or request.language != "en":
                reasons.append(Reason("interpreter"))
        elif request.needs_interpreter or request.language != "en":
            score -= 15
        if service.free:
            score += 4
            reasons.append(Reason("free"))
        else:
            reasons.append(Reason("charges"))
        if request.urgent and service.response_days is not None:
            score += max(0, 10 - service.response_days)
            if service.response_days <= 2:
                reasons.append(Reason("fast", str(service.response_days)))
        if len(service.categories) == 1:
            score += 1  # a specialist before a generalist when all else is equal
        return Match(service, score, has_capacity, tuple(reasons))


def _nation_covered(extent: str, place: Place | None) -> bool:
    """A national service's extent covers the place: any place we could not find, else its nation.

    A place whose postcode area crosses a border has no nation: only UK-wide extents cover it.
    """
    if place is None:
        return True  # "I couldn't find that place": services that help anyone, wherever they live
    nations = nations_of_extent(extent)
    if place.nation is None:
        return len(nations) == 4
    return place.nation in nations


_AREA_SCORE = {"postcode_district": 5.0, "local_authority": 3.0, "part_of_town": 1.0, "national": 0.0}


def place_label(place: Place) -> str:
    """The short name of a place for reasons: its district ("LU2") or its town."""
    return place.districts[0] if place.postcode or len(place.districts) == 1 else place.label


def load_snapshot(session: Session, *, referrals_this_week: Mapping[str, int] | None = None) -> DirectorySnapshot:
    """Read every active service of an active organisation into memory, with this week's referral counts.

    The counts come from the referrals package; inactive organisations are kept for referrals, never matched.
    """
    services = session.scalars(
        select(Service)
        .join(Service.organization)
        .where(Service.status == "active", Organization.status == "active")
        .options(
            selectinload(Service.categories), selectinload(Service.languages),
            selectinload(Service.service_areas), selectinload(Service.cost_options),
            selectinload(Service.phones), selectinload(Service.organization).selectinload(Organization.phones),
        )
        .order_by(Service.id)
    ).all()
    return DirectorySnapshot(tuple(_record(s) for s in services), dict(referrals_this_week or {}))


def _record(service: Service) -> ServiceRecord:
    org = service.organization
    phone = service.phones[0].number if service.phones else (org.phones[0].number if org.phones else None)
    return ServiceRecord(
        id=service.id,
        organization_id=org.id,
        organization_name=org.name,
        name=service.name,
        description=service.description,
        categories=tuple(service.category_ids),
        areas=tuple((a.extent_type, a.extent) for a in service.service_areas),
        languages=frozenset(lang.code for lang in service.languages),
        interpreters=bool((service.interpretation_services or "").strip()),
        free=service.is_free,
        fees_description=service.fees_description or "",
        accepts_referrals=service.accepts_referrals,
        capacity_per_week=service.capacity_per_week,
        response_days=service.response_days,
        phone=phone,
        email=service.email or org.email,
        url=service.url or org.website,
        contact_methods=tuple(service.contact_methods or ()),
        translations=dict(service.translations or {}),
    )
