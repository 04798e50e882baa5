"""A synthetic directory of any size, for measuring matching, the API and import at scale.

Everything it makes is marked as synthetic three ways: ids start ``syn-``, names start
"Synthetic", and every organisation is ``is_demo`` (so exports carry the fictional-data
notice and the document's own ``notice`` says what made it). The spread is meant to look
like a real network of networks: about 400 local authorities (the twelve the shipped postcode
table knows, with their real districts, and synthetic ones over real UK postcode areas),
more services in big places than small ones, common problems (debt, benefits, housing) more
often than rare ones, a long tail of community languages, and core partners with weekly capacity.
The same ``seed`` always gives the same directory.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.categories import CATEGORY_IDS
from directory.areas import Place, nation_of
from directory.schema import HSDS_VERSION, PROFILE

__all__ = ["LOCAL_AUTHORITIES", "SYNTHETIC_NOTICE", "Authority", "generate_directory", "sample_places"]

SYNTHETIC_NOTICE = (
    "Synthetic directory made by `frontdoor directory generate` for load tests: every organisation, service, "
    "number and address in it is invented. Never use it to give advice or make referrals."
)
LOCAL_AUTHORITIES = 400
_DATA = Path(__file__).parent / "data"
# How often each category is served, roughly as advice networks report demand.
_CATEGORY_WEIGHTS = {"debt": 14, "benefits": 14, "housing": 13, "employment": 7, "immigration": 5, "family": 6,
                     "domestic_abuse": 4, "consumer": 4, "discrimination": 3, "education": 3,
                     "health_social_care": 5, "other": 2}
# Besides English, how likely a service is to speak each language (the supported ones and a few others).
_LANGUAGE_ODDS = {"cy": 0.04, "pl": 0.12, "ro": 0.08, "ur": 0.10, "bn": 0.07, "ar": 0.09, "so": 0.05, "pt": 0.06,
                  "uk": 0.06, "fa": 0.04, "ti": 0.02, "zh": 0.03, "ku": 0.02}
_NATIONAL_EXTENTS = {"England": ("England", "England and Wales", "Great Britain", "United Kingdom"),
                     "Wales": ("Wales", "England and Wales", "Great Britain", "United Kingdom"),
                     "Scotland": ("Scotland", "Great Britain", "United Kingdom"),
                     "Northern Ireland": ("Northern Ireland", "United Kingdom")}


@dataclass(frozen=True)
class Authority:
    name: str
    districts: tuple[str, ...]
    nation: str | None
    weight: float  # relative population: how many services it gets

    def place(self, district: str) -> Place:
        """A client's place in this authority (what a postcode in ``district`` resolves to)."""
        return Place((district,), self.name, None, district, None, nation_of(district))


@lru_cache(maxsize=4)
def _authorities(seed: int) -> tuple[Authority, ...]:
    """The twelve real authorities of the postcode table, then synthetic ones over the other postcode areas."""
    table = json.loads((_DATA / "postcode_areas.json").read_text(encoding="utf-8"))["districts"]
    areas = json.loads((_DATA / "postcode_nations.json").read_text(encoding="utf-8"))["areas"]
    real: dict[str, list[str]] = {}
    for district, info in sorted(table.items()):
        real.setdefault(info["local_authority"], []).append(district)
    rng = random.Random(seed)
    out = [Authority(name, tuple(ds), nation_of(ds[0]), 2.0) for name, ds in sorted(real.items())]
    used = {d for ds in real.values() for d in ds}
    codes = sorted(areas)
    number = 0
    while len(out) < LOCAL_AUTHORITIES:
        area = codes[number % len(codes)]
        start = 1 + 4 * (number // len(codes))
        districts = tuple(d for d in (f"{area}{n}" for n in range(start, start + rng.randint(1, 4))) if d not in used)
        number += 1
        if not districts:
            continue
        used.update(districts)
        out.append(Authority(f"Synthetic Authority {len(out) + 1:03d} ({area})", districts, areas[area],
                             min(rng.lognormvariate(0.0, 0.8), 6.0)))
    return tuple(out)


def sample_places(count: int, seed: int = 7) -> list[Place]:
    """Places clients might give, spread like the services (for benchmarks): a district in some authority."""
    rng = random.Random(seed)
    authorities = _authorities(0)
    chosen = rng.choices(authorities, weights=[a.weight for a in authorities], k=count)
    return [a.place(rng.choice(a.districts)) for a in chosen]


def _service(rng: random.Random, number: int, org_id: str, authority: Authority) -> dict[str, Any]:
    sid = f"syn-svc-{number:06d}"
    categories = sorted(set(rng.choices(list(_CATEGORY_WEIGHTS), weights=list(_CATEGORY_WEIGHTS.values()),
                                        k=rng.choice((1, 1, 1, 2, 2, 3)))), key=CATEGORY_IDS.index)
    roll = rng.random()
    if roll < 0.004 and authority.nation:  # national helplines are few
        extent = rng.choice(_NATIONAL_EXTENTS[authority.nation])
        areas = [{"id": f"{sid}-sa-1", "extent_type": "national", "extent": extent}]
    elif roll < 0.30:
        districts = rng.sample(authority.districts, rng.randint(1, len(authority.districts)))
        areas = [{"id": f"{sid}-sa-{i}", "extent_type": "postcode_district", "extent": d}
                 for i, d in enumerate(sorted(districts), 1)]
    else:
        areas = [{"id": f"{sid}-sa-1", "extent_type": "local_authority", "extent": authority.name}]
    languages = ["en", *(code for code, odds in _LANGUAGE_ODDS.items() if rng.random() < odds)]
    core = rng.random() < 0.35
    charged = rng.random() < 0.08
    return {
        "id": sid, "organization_id": org_id, "name": f"Synthetic {categories[0].replace('_', ' ')} service {number}",
        "description": f"Synthetic test service {number}: help with {', '.join(categories)}.",
        "status": "active",
        "interpretation_services": "Telephone interpreters on request." if rng.random() < 0.4 else None,
        "fees_description": "A fixed fee applies." if charged else "Free.",
        "service_areas": areas,
        "languages": [{"id": f"{sid}-lang-{code}", "code": code} for code in sorted(set(languages))],
        "cost_options": [{"id": f"{sid}-cost", "amount": 50.0, "currency": "GBP"}] if charged else [],
        "categories": categories,
        "x_frontdoor": {
            "accepts_referrals": core,
            "capacity_per_week": rng.choice((5, 10, 15, 20, 30, 40, 60)) if core else None,
            "response_days": rng.choice((1, 2, 2, 3, 5, 7, 10)),
            "contact_methods": ["phone", "sms"] if core else ["phone"],
        },
    }


def generate_directory(services: int, *, seed: int = 1) -> dict[str, Any]:
    """A directory document (Frontdoor's HSDS 3.0 profile, as ``import`` reads) with ``services`` services."""
    if services < 1:
        raise ValueError("services must be at least 1")
    rng = random.Random(seed)
    authorities = _authorities(0)
    weights = [a.weight for a in authorities]
    organizations: list[dict[str, Any]] = []
    out_services: list[dict[str, Any]] = []
    while len(out_services) < services:
        authority = rng.choices(authorities, weights=weights)[0]
        org_id = f"syn-org-{len(organizations) + 1:06d}"
        organizations.append({
            "id": org_id, "name": f"Synthetic Advice Organisation {len(organizations) + 1}",
            "description": f"Synthetic test organisation in {authority.name}.",
            "email": f"{org_id}@example.invalid",
            "x_frontdoor": {"is_demo": True},
        })
        for _ in range(min(rng.randint(1, 5), services - len(out_services))):
            out_services.append(_service(rng, len(out_services) + 1, org_id, authority))
    return {"hsds_version": HSDS_VERSION, "profile": PROFILE, "demo": True, "notice": SYNTHETIC_NOTICE,
            "organizations": organizations, "services": out_services}
