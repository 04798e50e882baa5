"""Postcode or town -> area, from a small table shipped with the code (no network)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.text import MAX_PLACE_CHARS

__all__ = ["Place", "resolve_place"]

_TABLE = Path(__file__).parent / "data" / "postcode_areas.json"
# Outward code (district) at the start of a UK postcode, with or without the inward part.
_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][0-9A-Z]?)\s*(?:([0-9][A-Z]{2})\b)?")


@dataclass(frozen=True)
class Place:
    districts: tuple[str, ...]  # ("LU2",) for a postcode; every district of a town
    local_authority: str
    network: str | None
    label: str  # what to say back: "LU2 7AB" or "Luton"
    postcode: str | None  # full postcode when given


@dataclass(frozen=True)
class _Table:
    districts: dict[str, dict[str, str]]
    towns: dict[str, list[str]]


@lru_cache(maxsize=1)
def _table() -> _Table:
    data = json.loads(_TABLE.read_text(encoding="utf-8"))
    return _Table(districts=data["districts"], towns={k.lower(): v for k, v in data["towns"].items()})



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
        return Place((district,), info["local_authority"], info.get("network"), postcode or district, postcode)
    words = " ".join(re.sub(r"[^a-z]+", " ", text.lower()[:MAX_PLACE_CHARS]).split())
    for town in sorted(table.towns, key=len, reverse=True):
        town_words = " ".join(re.sub(r"[^a-z]+", " ", town).split())
        if re.search(rf"\b{re.escape(town_words)}\b", words):
            districts = table.towns[town]
            info = table.districts[districts[0]]
            return Place(tuple(districts), info["local_authority"], info.get("network"), town.title(), None)
    return None
