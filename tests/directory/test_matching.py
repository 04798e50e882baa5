"""Matching on the demo directory: category, area, language, capacity, and the reasons given."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from core.db import make_engine, make_sessionmaker
from directory.areas import resolve_place
from directory.matching import DirectorySnapshot, MatchRequest, load_snapshot
from directory.models import Service
from referrals.queries import service_usage

NOW = dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC)


@pytest.fixture
def snapshot(db_url: str) -> DirectorySnapshot:
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as session:
        this_week, last = service_usage(session, list(session.scalars(select(Service.id))), now=NOW)
        snap = load_snapshot(session, referrals_this_week=this_week, last_referred=last)
    engine.dispose()
    return snap


@pytest.mark.parametrize(("text", "authority", "label"), [
    ("LU2 7AB", "Luton", "LU2 7AB"),
    ("lu1 3cd", "Luton", "LU1 3CD"),
    ("my postcode is BS5 6XY thanks", "Bristol", "BS5 6XY"),
    ("IP4", "Ipswich", "IP4"),
    ("I live in Ipswich", "Ipswich", "Ipswich"),
    ("bristol", "Bristol", "Bristol"),
    ("Weston-super-Mare", "North Somerset", "Weston Super Mare"),
])
def test_places_resolve_offline(text: str, authority: str, label: str) -> None:
    place = resolve_place(text)
    assert place is not None
    assert place.local_authority == authority
    assert place.label.lower() == label.lower()


@pytest.mark.parametrize("text", ["", "nowhere", "ZZ9 9ZZ", "12345", "🙂", "x" * 5000, "I live at 12 B street"])
def test_unknown_places(text: str) -> None:
    assert resolve_place(text) is None


@pytest.mark.parametrize(("text", "nation"), [
    ("SW1A 1AA", "England"), ("CF24 4HQ", "Wales"), ("my postcode is EH1 1YZ", "Scotland"),
    ("BT1 5GS", "Northern Ireland"), ("cf24", "Wales"), ("SY1 1AA", None),
])
def test_postcodes_outside_the_networks_are_places_we_do_not_cover(text: str, nation: str | None) -> None:
    """A valid UK postcode elsewhere is a place with a nation, so the client can be told we don't cover it."""
    place = resolve_place(text)
    assert place is not None and not place.covered
    assert place.local_authority == "" and place.network is None and place.nation == nation


@pytest.mark.parametrize(("category", "postcode"), [
    (category, postcode)
    for postcode in ("LU2 7AB", "BS5 6XY", "IP4 1AA")
    for category in ("housing", "debt", "benefits", "employment", "immigration", "family", "domestic_abuse", "consumer")
])
def test_every_network_has_a_core_partner_for_the_main_categories(snapshot: DirectorySnapshot, category: str,
                                                                    postcode: str) -> None:
    matches = snapshot.match(MatchRequest(category, resolve_place(postcode), "en"))
    assert matches, f"no {category} service for {postcode}"
    best = matches[0]
    assert best.is_referral and category in best.service.categories
    assert best.service.covers(resolve_place(postcode)) is not None
    codes = [r.code for r in best.reasons]
    assert codes[:2] == ["area", "category"] and ("free" in codes or "charges" in codes)


def test_no_education_service_in_suffolk_is_reported_as_empty(snapshot: DirectorySnapshot) -> None:
    assert snapshot.match(MatchRequest("education", resolve_place("IP14 1AA"), "en")) == []


def test_language_is_preferred_and_given_as_a_reason(snapshot: DirectorySnapshot) -> None:
    place = resolve_place("LU1 1AA")
    for language in ("pl", "ur", "bn"):
        speakers = [s for s in snapshot.services if language in s.languages and s.covers(place)]
        if not speakers:
            continue
        category = speakers[0].categories[0]
        best = snapshot.match(MatchRequest(category, place, language))[0]
        assert language in best.service.languages or best.service.interpreters
        assert {r.code for r in best.reasons} & {"language", "interpreter"}


def test_a_full_core_partner_falls_behind(snapshot: DirectorySnapshot) -> None:
    place = resolve_place("LU2 7AB")
    best = snapshot.match(MatchRequest("housing", place, "en"))[0]
    assert best.service.capacity_per_week
    full = dataclasses.replace(snapshot, referrals_this_week={best.service.id: best.service.capacity_per_week})
    after = full.match(MatchRequest("housing", place, "en"))
    assert after[0].service.id != best.service.id
    demoted = [m for m in after if m.service.id == best.service.id]
    assert not demoted or not demoted[0].has_capacity


def test_urgent_prefers_faster_services(snapshot: DirectorySnapshot) -> None:
    place = resolve_place("BS5 6XY")
    urgent = snapshot.match(MatchRequest("housing", place, "en", urgent=True), limit=10)
    referral_days = [m.service.response_days for m in urgent if m.is_referral and m.service.response_days]
    assert referral_days and referral_days[0] == min(referral_days)


def test_a_town_prefers_town_wide_services_over_neighbourhood_ones() -> None:
    """Someone who says "Bristol" may live anywhere in it: a one-district service may not cover them."""
    from directory.areas import resolve_place
    from directory.matching import DirectorySnapshot, MatchRequest, ServiceRecord

    def record(sid: str, areas: tuple[tuple[str, str], ...]) -> ServiceRecord:
        return ServiceRecord(
            id=sid, organization_id=f"org-{sid}", organization_name=sid, name=sid, description="",
            categories=("debt",), areas=areas, languages=frozenset({"en"}), interpreters=False, free=True,
            fees_description="", accepts_referrals=True, capacity_per_week=None, response_days=3, phone=None,
            email=None, url=None, contact_methods=(),
        )

    bristol = resolve_place("Bristol")
    assert bristol is not None and len(bristol.districts) > 1
    snapshot = DirectorySnapshot((record("a-neighbourhood", (("postcode_district", bristol.districts[1]),)),
                                  record("b-citywide", (("local_authority", bristol.local_authority),))))
    ranked = [m.service.id for m in snapshot.match(MatchRequest("debt", bristol, "en"))]
    assert ranked == ["b-citywide", "a-neighbourhood"]
    postcode = resolve_place(f"{bristol.districts[1]} 1AA")
    ranked = [m.service.id for m in snapshot.match(MatchRequest("debt", postcode, "en"))]
    assert ranked[0] == "a-neighbourhood"  # with a postcode, the local service is the closer one
