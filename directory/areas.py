"""Postcode or town -> area, from small tables shipped with the code (no network).

A postcode in one of the networks' districts gives its local authority and network. A
valid UK postcode elsewhere ("CF24 4HQ") is still a place: it has a nation (from its
postcode area) but no local authority and no network, so the client can be told plainly
that we do not cover it yet and offered only services whose area includes that nation.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.text import MAX_PLACE_CHARS

__all__ = ["Place", "is_postcode_area", "nation_of", "nations_of_extent", "resolve_place"]

_TABLE = Path(__file__).parent / "data" / "postcode_areas.json"
_NATIONS = Path(__file__).parent / "data" / "postcode_nations.json"
# Outward code (district) at the start of a UK postcode, with or without the inward part.
_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][0-9A-Z]?)\s*(?:([0-9][A-Z]{2})\b)?")


@dataclass(frozen=True)
class Place:
    districts: tuple[str, ...]  # ("LU2",) for a postcode; every district of a town
    local_authority: str
    network: str | None
    label: str  # what to say back: "LU2 7AB" or "Luton"
    postcode: str | None  # full postcode when given
    nation: str | None = None  # "England", "Wales", ...; None when the postcode area crosses a border

    @property
    def covered(self) -> bool:
        """Inside one of the networks' areas (a postcode elsewhere in the UK is a place, not covered)."""
        return self.network is not None


@dataclass(frozen=True)
class _Table:
    districts: dict[str, dict[str, str]]
    towns: dict[str, list[str]]


@dataclass(frozen=True)
class _Nations:
    areas: dict[str, str | None]  # postcode area ("CF") -> nation
    extents: dict[str, frozenset[str]]  # a national service's extent ("Great Britain") -> nations


@lru_cache(maxsize=1)
def _table() -> _Table:
    data = json.loads(_TABLE.read_text(encoding="utf-8"))
    return _Table(districts=data["districts"], towns={k.lower(): v for k, v in data["towns"].items()})


@lru_cache(maxsize=1)
def _nations() -> _Nations:
    data = json.loads(_NATIONS.read_text(encoding="utf-8"))
    return _Nations(areas=data["areas"],
                    extents={k.casefold(): frozenset(v) for k, v in data["national_extents"].items()})


def nations_of_extent(extent: str) -> frozenset[str]:
    """The nations a national service's extent covers ("England and Wales"); empty when unknown."""
    return _nations().extents.get(extent.strip().casefold(), frozenset())


def is_postcode_area(area: str) -> bool:
    """A UK postcode area ("LU", "BS", "E"), as the nations table lists every one."""
    return area.upper() in _nations().areas


def nation_of(district: str) -> str | None:
    """The nation of a postcode district ("CF24" -> "Wales"); None when unknown or across a border."""
    return _nations().areas.get(re.sub(r"[0-9].*", "", district.upper()))


def _elsewhere(upper: str) -> Place | None:
    """A valid UK postcode outside our districts: a full postcode, or an outward code sent alone."""
    areas = _nations().areas
    for match in _POSTCODE.finditer(upper):
        district, inward = match.group(1), match.group(2)
        if re.sub(r"[0-9].*", "", district) not in areas:
            continue
        if inward or upper.strip() == district:
            postcode = f"{district} {inward}" if inward else None
            return Place((district,), "", None, postcode or district, postcode, nation_of(district))
    return None


def resolve_place(text: str) -> Place | None:
    """Find a known postcode district or town in ``text``; None when we cannot place it."""
    table = _table()
    upper = text.upper()[:MAX_PLACE_CHARS]
    for match in _POSTCODE.finditer(upper):
        district = match.group(1)
        info = table.districts.get(district)
        if info is None:
            continue
        inward = match.group(2)
        postcode = f"{district} {inward}" if inward else None
        return Place((district,), info["local_authority"], info.get("network"), postcode or district, postcode,
                     nation_of(district))
    words = " ".join(re.sub(r"[^a-z]+", " ", text.lower()[:MAX_PLACE_CHARS]).split())
    for town in sorted(table.towns, key=len, reverse=True):
        town_words = " ".join(re.sub(r"[^a-z]+", " ", town).split())
        if re.search(rf"\b{re.escape(town_words)}\b", words):
            districts = table.towns[town]
            info = table.districts[districts[0]]
            return Place(tuple(districts), info["local_authority"], info.get("network"), town.title(), None,
                         nation_of(districts[0]))
    return _elsewhere(upper)
