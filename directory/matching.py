"""Rank directory services for a client's issue, area, language and urgency.

Matching runs on an in-memory :class:`DirectorySnapshot` so the conversation
engine can call it without touching the database. Every match carries its
reasons as structured codes; :mod:`bot.prompts` renders them in the client's language.
A :class:`ServiceIndex` (by category and area, built once per set of records, with each
record's areas normalised when it is made) keeps a match fast at tens of thousands of
services; :class:`DirectoryCache` keeps the records until the directory's generation moves
(any process's publish or import), and a snapshot's ``usage`` reader asks about referrals
of the candidates only, per match, so capacity and taking turns are never stale.
"""

from __future__ import annotations

import heapq
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.languages import get_language
from directory.areas import Place, nations_of_extent
from directory.generation import current as current_generation
from directory.models import (
    CostOption,
    Organization,
    Phone,
    Service,
    ServiceArea,
    ServiceCategory,
    ServiceLanguage,
)

__all__ = [
    "DirectoryCache", "DirectorySnapshot", "Explanation", "Match", "MatchRequest", "NearMiss", "Reason",
    "ServiceIndex", "ServiceRecord", "describe", "load_records", "load_snapshot", "place_label",
]


@dataclass(frozen=True)
class Reason:
    # Why a service matched: area | category | language | interpreter | free | charges | capacity | fast.
    # Why a near miss was left out: not_area | no_language | at_capacity | charges | ranked_lower.
    code: str
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
    # Worked out once when the record is made (the index is built from records), so a match only looks up.
    _districts: frozenset[str] = field(init=False, repr=False, compare=False, hash=False)
    _authorities: dict[str, str] = field(init=False, repr=False, compare=False, hash=False)
    _nationals: tuple[tuple[str, frozenset[str]], ...] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        authorities: dict[str, str] = {}
        for extent_type, extent in self.areas:
            if extent_type == "local_authority":
                authorities.setdefault(extent.lower(), extent)
        object.__setattr__(self, "_districts", frozenset(
            extent.upper() for extent_type, extent in self.areas if extent_type == "postcode_district"))
        object.__setattr__(self, "_authorities", authorities)
        object.__setattr__(self, "_nationals", tuple(
            (extent, nations_of_extent(extent)) for extent_type, extent in self.areas if extent_type == "national"))

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
            districts = self._districts
            if place.districts and districts.issuperset(place.districts):
                return "postcode_district", place.districts[0] if len(place.districts) == 1 else place.label
            authority = self._authorities.get(place.local_authority.lower()) if self._authorities else None
            if authority is not None:
                return "local_authority", authority
            if districts and not districts.isdisjoint(place.districts):
                # A town was named, and this service covers only part of it: it may not cover the client.
                return "part_of_town", place.label
        for extent, nations in self._nationals:
            if _nation_covered(nations, place):
                return "national", extent
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
class NearMiss:
    """A service of the right category that was left out, and why (``Reason`` codes for a near miss)."""

    service: ServiceRecord
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Explanation:
    matches: tuple[Match, ...]
    near_misses: tuple[NearMiss, ...]


_AreaKey = tuple[str, str, str]  # (category, kind, key)


class ServiceIndex:
    """Services by category and by each area they cover, so a match looks only at likely candidates.

    Keys: a postcode district ("d", "LU2"), a local authority ("la", "luton"), a nation a national
    extent covers ("n", "Wales"), UK-wide extents ("n*"), every national service ("any"), and a
    postcode area ("pa", "BS": services of that area, for near misses). A candidate is still
    checked with :meth:`ServiceRecord.covers`, so the index only narrows, never decides.
    """

    def __init__(self, services: Iterable[ServiceRecord]) -> None:
        self.services = tuple(services)
        keys: dict[_AreaKey, list[int]] = {}
        for position, service in enumerate(self.services):
            for category in service.categories:
                for key in _area_keys(service):
                    keys.setdefault((category, *key), []).append(position)
        self._keys = {key: tuple(sorted(set(positions))) for key, positions in keys.items()}

    def _positions(self, category: str, keys: Iterable[tuple[str, str]]) -> list[int]:
        found: set[int] = set()
        for kind, key in keys:
            found.update(self._keys.get((category, kind, key), ()))
        return sorted(found)

    def candidates(self, category: str, place: Place | None) -> list[ServiceRecord]:
        """Every service of ``category`` that may cover ``place`` (a superset of those that do)."""
        return [self.services[i] for i in self._positions(category, _place_keys(place))]

    def nearby(self, category: str, place: Place | None) -> list[ServiceRecord]:
        """Services of ``category`` in the same postcode areas as ``place`` (they may not cover it)."""
        if place is None:
            return []
        areas = {("pa", _postcode_area(d)) for d in place.districts}
        return [self.services[i] for i in self._positions(category, areas)]


def _area_keys(service: ServiceRecord) -> set[tuple[str, str]]:
    keys: set[tuple[str, str]] = set()
    for extent_type, extent in service.areas:
        if extent_type == "postcode_district":
            keys.add(("d", extent.upper()))
            keys.add(("pa", _postcode_area(extent)))
        elif extent_type == "local_authority":
            keys.add(("la", extent.lower()))
        elif extent_type == "national":
            keys.add(("any", ""))
            nations = nations_of_extent(extent)
            keys.update(("n", nation) for nation in nations)
            if len(nations) == 4:
                keys.add(("n*", ""))
    return keys


def _place_keys(place: Place | None) -> list[tuple[str, str]]:
    if place is None:
        return [("any", "")]
    keys = [("d", district.upper()) for district in place.districts]
    if place.local_authority:
        keys.append(("la", place.local_authority.lower()))
    keys.append(("n*", "") if place.nation is None else ("n", place.nation))
    return keys


def _postcode_area(district: str) -> str:
    return re.sub(r"[0-9].*", "", district.upper())


# Given the ids of the services a match is choosing between: their referrals this week (service id -> count)
# and when each was last referred to (service id -> POSIX seconds). ``referrals.queries.service_usage`` reads them.
UsageReader = Callable[[Sequence[str]], tuple[Mapping[str, int], Mapping[str, float]]]


@dataclass(frozen=True)
class DirectorySnapshot:
    """The services matching may offer, and what it knows of their referrals.

    Referral counts change with every referral, in any process: the conversation service gives a
    ``usage`` reader that asks the database, per match, about the candidates only, so "at capacity"
    and taking turns are exact. Without one, the two dicts are used (tests, benchmarks).
    """

    services: tuple[ServiceRecord, ...]
    referrals_this_week: dict[str, int] = field(default_factory=dict)
    # Service id -> when it was last referred to (POSIX seconds): equally good partners take turns.
    last_referred: dict[str, float] = field(default_factory=dict)
    prebuilt: ServiceIndex | None = field(default=None, compare=False, repr=False)
    usage: UsageReader | None = field(default=None, compare=False, repr=False)

    @cached_property
    def index(self) -> ServiceIndex:
        """The index of these services: the one given (shared between snapshots), else built once here."""
        if self.prebuilt is not None and self.prebuilt.services is self.services:
            return self.prebuilt
        return ServiceIndex(self.services)

    def match(self, request: MatchRequest, *, limit: int = 3) -> list[Match]:
        """Services covering the category and area, best first; empty when none fits."""
        return self._ranked(request, limit)[0]

    def explain(self, request: MatchRequest, *, limit: int = 3, near: int = 3) -> Explanation:
        """The matches with their reasons, and up to ``near`` near misses with why each was left out.

        Near misses are services of the category that covered the place but ranked below the
        matches, then services nearby (same postcode area) that do not cover it.
        """
        ranked, covering = self._ranked(request, limit + near)
        misses = [NearMiss(m.service, self._drawbacks(m, request)) for m in ranked[limit:]]
        if len(misses) < near and request.place is not None:
            label = place_label(request.place)
            for service in self.index.nearby(request.category, request.place):
                if len(misses) >= near:
                    break
                if service.id not in covering:
                    misses.append(NearMiss(service, (Reason("not_area", label),)))
        return Explanation(tuple(ranked[:limit]), tuple(misses))

    def _ranked(self, request: MatchRequest, top: int) -> tuple[list[Match], set[str]]:
        """The ``top`` best covering services as matches, and the ids of every covering service.

        Only a number is worked out per candidate; reasons are built for the few that are returned.
        Equal scores: the least recently referred first (never referred before any), so partners take turns.
        """
        wants_language = request.needs_interpreter or request.language != "en"
        covering: list[tuple[ServiceRecord, tuple[str, str]]] = []
        for service in self.index.candidates(request.category, request.place):
            coverage = service.covers(request.place)
            if coverage is not None:
                covering.append((service, coverage))
        used = self._usage([service.id for service, _ in covering])
        never = float("-inf")
        scored = [(-self._points(service, coverage[0], request, wants_language, used), used.last.get(service.id, never),
                   service.organization_name, service.id, service, coverage) for service, coverage in covering]
        best = heapq.nsmallest(top, scored)  # ids are unique, so tuples never compare past the id
        return [self._score(item[4], item[5], request, used) for item in best], {item[3] for item in scored}

    def _usage(self, ids: Sequence[str]) -> _Usage:
        if self.usage is None:
            return _Usage(self.referrals_this_week, self.last_referred)
        if not ids:
            return _Usage({}, {})
        this_week, last = self.usage(ids)
        return _Usage(this_week, last)

    def _points(self, service: ServiceRecord, kind: str, request: MatchRequest, wants_language: bool,
                used: _Usage) -> float:
        """The match score (higher is better); :meth:`_score` gives the same number with its reasons."""
        # A core partner with room first; a full one drops below signposts.
        score = (100.0 if used.has_capacity(service) else 10.0) if service.accepts_referrals else 50.0
        score += _AREA_SCORE[kind]
        if request.language in service.languages:
            score += 20
        elif service.interpreters:
            score += 12 if wants_language else 0
        elif wants_language:
            score -= 15
        if service.free:
            score += 4
        if request.urgent and service.response_days is not None:
            score += max(0, 10 - service.response_days)
        if len(service.categories) == 1:
            score += 1  # a specialist before a generalist when all else is equal
        return score

    def _drawbacks(self, match: Match, request: MatchRequest) -> tuple[Reason, ...]:
        service = match.service
        reasons: list[Reason] = []
        wants_language = request.needs_interpreter or request.language != "en"
        if wants_language and request.language not in service.languages and not service.interpreters:
            reasons.append(Reason("no_language", request.language))
        if service.accepts_referrals and not match.has_capacity:
            reasons.append(Reason("at_capacity"))
        if not service.free:
            reasons.append(Reason("charges"))
        return tuple(reasons) or (Reason("ranked_lower"),)

    def _score(self, service: ServiceRecord, coverage: tuple[str, str], request: MatchRequest,
               used: _Usage | None = None) -> Match:
        used = used or _Usage(self.referrals_this_week, self.last_referred)
        kind, label = coverage
        wants_language = request.needs_interpreter or request.language != "en"
        area_label = place_label(request.place) if kind != "national" and request.place else label
        reasons = [Reason("area", area_label), Reason("category", request.category)]
        has_capacity = used.has_capacity(service)
        if has_capacity and service.accepts_referrals:
            reasons.append(Reason("capacity"))
        if request.language in service.languages:
            if request.language != "en":
                reasons.append(Reason("language", request.language))
        elif service.interpreters and wants_language:
            reasons.append(Reason("interpreter"))
        reasons.append(Reason("free") if service.free else Reason("charges"))
        if request.urgent and service.response_days is not None and service.response_days <= 2:
            reasons.append(Reason("fast", str(service.response_days)))
        return Match(service, self._points(service, kind, request, wants_language, used), has_capacity,
                     tuple(reasons))


@dataclass(frozen=True)
class _Usage:
    """One match's view of its candidates' referrals."""

    this_week: Mapping[str, int]
    last: Mapping[str, float]

    def has_capacity(self, service: ServiceRecord) -> bool:
        return service.capacity_per_week is None or self.this_week.get(service.id, 0) < service.capacity_per_week


def _nation_covered(nations: frozenset[str], place: Place | None) -> bool:
    """A national service's extent (its ``nations``) covers the place: any place we could not find, else its nation.

    A place whose postcode area crosses a border has no nation: only UK-wide extents cover it.
    """
    if place is None:
        return True  # "I couldn't find that place": services that help anyone, wherever they live
    if place.nation is None:
        return len(nations) == 4
    return place.nation in nations


_AREA_SCORE = {"postcode_district": 5.0, "local_authority": 3.0, "part_of_town": 1.0, "national": 0.0}


def place_label(place: Place) -> str:
    """The short name of a place for reasons: its district ("LU2") or its town."""
    return place.districts[0] if place.postcode or len(place.districts) == 1 else place.label


def load_snapshot(session: Session, *, cache: DirectoryCache | None = None, usage: UsageReader | None = None,
                  referrals_this_week: Mapping[str, int] | None = None,
                  last_referred: Mapping[str, float] | None = None) -> DirectorySnapshot:
    """Every active service of an active organisation, and how to know their referrals.

    Inactive organisations are kept for referrals, never matched. With the process's ``cache`` the
    directory is read only when its generation moved. ``usage`` (from the referrals package) reads
    the candidates' referrals per match; without it the two dicts stand in.
    """
    records, index = cache.get(session) if cache is not None else (load_records(session), None)
    return DirectorySnapshot(records, dict(referrals_this_week or {}), dict(last_referred or {}), index, usage)


def load_records(session: Session) -> tuple[ServiceRecord, ...]:
    """The matchable services, read with a handful of plain queries (no ORM objects: 50,000 load in seconds)."""
    rows = session.execute(
        select(Service.id, Organization.id, Organization.name, Service.name, Service.description,
               Service.interpretation_services, Service.fees_description, Service.accepts_referrals,
               Service.capacity_per_week, Service.response_days, Service.email, Organization.email,
               Service.url, Organization.website, Service.contact_methods, Service.translations)
        .join(Organization, Service.organization_id == Organization.id)
        .where(Service.status == "active", Organization.status == "active")
        .order_by(Service.id)
    ).all()
    categories = _grouped(session.execute(
        select(ServiceCategory.service_id, ServiceCategory.category).order_by(
            ServiceCategory.service_id, ServiceCategory.position)).all())
    areas = _grouped(session.execute(
        select(ServiceArea.service_id, ServiceArea.extent_type, ServiceArea.extent).order_by(ServiceArea.id)).all())
    languages = _grouped(session.execute(select(ServiceLanguage.service_id, ServiceLanguage.code)).all())
    charged = {str(row[0]) for row in session.execute(
        select(CostOption.service_id).where(CostOption.amount > 0).distinct()).all()}
    service_phones: dict[str, str] = {}
    org_phones: dict[str, str] = {}
    for service_id, org_id, number in session.execute(
            select(Phone.service_id, Phone.organization_id, Phone.number).order_by(Phone.id.desc())).all():
        if service_id is not None:
            service_phones[str(service_id)] = str(number)  # descending: the first by id wins
        elif org_id is not None:
            org_phones[str(org_id)] = str(number)
    records: list[ServiceRecord] = []
    for (sid, org_id, org_name, name, description, interpreting, fees, accepts, capacity, response, email,
         org_email, url, website, methods, translations) in rows:
        records.append(ServiceRecord(
            id=sid, organization_id=org_id, organization_name=org_name, name=name, description=description or "",
            categories=tuple(c for (c,) in categories.get(sid, ())),
            areas=tuple((t, e) for t, e in areas.get(sid, ())),
            languages=frozenset(c for (c,) in languages.get(sid, ())),
            interpreters=bool((interpreting or "").strip()),
            free=sid not in charged,
            fees_description=fees or "",
            accepts_referrals=bool(accepts),
            capacity_per_week=capacity,
            response_days=response,
            phone=service_phones.get(sid) or org_phones.get(org_id),
            email=email or org_email,
            url=url or website,
            contact_methods=tuple(methods or ()),
            translations=dict(translations or {}),
        ))
    return tuple(records)


def _grouped(rows: Iterable[tuple[object, ...]]) -> dict[str, list[tuple[str, ...]]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for row in rows:
        out.setdefault(str(row[0]), []).append(tuple(str(v) for v in row[1:]))
    return out


class DirectoryCache:
    """The matchable records and their index, kept while the directory's generation stays the same.

    One per process (the conversation service holds it). Every write matching can see bumps the
    generation in its own transaction (:mod:`directory.generation`); :meth:`get` reads it (one primary-key
    read) and builds again when it moved, so a publish in this process, another web worker or a CLI
    import is matched on from the next match after its commit.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: tuple[int, tuple[ServiceRecord, ...], ServiceIndex] | None = None
        self.builds = 0  # how many times the index was built (tests, metrics)

    def get(self, session: Session) -> tuple[tuple[ServiceRecord, ...], ServiceIndex]:
        """The records and index of the directory as committed now."""
        generation = current_generation(session)  # before the records: a change committed meanwhile shows next time
        with self._lock:
            loaded = self._loaded
            if loaded is None or loaded[0] != generation:
                records = load_records(session)
                loaded = self._loaded = (generation, records, ServiceIndex(records))
                self.builds += 1
            return loaded[1], loaded[2]

    def refresh(self) -> None:
        """Forget the records: the next match reads the directory again (the generation does this by itself)."""
        with self._lock:
            self._loaded = None


_REASON_TEXT: dict[str, str] = {
    "area": "covers {value}", "category": "handles {value}", "language": "speaks {language}",
    "interpreter": "offers an interpreter", "free": "free", "charges": "charges a fee",
    "capacity": "has room this week", "fast": "first contact within {value} days",
    "not_area": "does not cover {value}", "no_language": "no {language} and no interpreter",
    "at_capacity": "at capacity this week", "ranked_lower": "others fit better",
}


def describe(reason: Reason) -> str:
    """A reason in plain English, for staff, the API and benchmarks (clients get theirs from bot.prompts)."""
    language = get_language(reason.value)
    name = language.english_name if language else reason.value
    return _REASON_TEXT.get(reason.code, reason.code).format(value=reason.value, language=name)
