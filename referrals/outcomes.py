"""The shared outcome framework, read from ``referrals/data/outcomes.yml``.

Why a data file: the framework belongs to the network, not to the code; a
network can reword a label or add an outcome by editing the file, and every
partner still records against the same ids, so counts add up across the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

__all__ = ["OUTCOMES_FILE", "Outcome", "OutcomeFramework", "load_framework"]

OUTCOMES_FILE = Path(__file__).resolve().parent / "data" / "outcomes.yml"


@dataclass(frozen=True)
class Outcome:
    id: str
    label: str


@dataclass(frozen=True)
class OutcomeFramework:
    name: str
    version: str
    outcomes: tuple[Outcome, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.outcomes)

    def label(self, outcome_id: str) -> str:
        """The label of an id; an id the file no longer lists reads as itself (old rows stay readable)."""
        return next((o.label for o in self.outcomes if o.id == outcome_id), outcome_id)


def _parse(data: object, source: str) -> OutcomeFramework:
    if not isinstance(data, dict) or not isinstance(data.get("outcomes"), list):
        raise ValueError(f"{source}: needs a mapping with an 'outcomes' list")
    outcomes: list[Outcome] = []
    for item in data["outcomes"]:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not isinstance(item.get("label"), str):
            raise ValueError(f"{source}: every outcome needs a text 'id' and 'label'")
        oid = item["id"]
        if not (oid.isascii() and oid.replace("_", "").isalnum() and oid.islower() and len(oid) <= 40):
            raise ValueError(f"{source}: outcome id {oid!r} must be lower-case letters, digits and _ (<= 40)")
        if any(o.id == oid for o in outcomes):
            raise ValueError(f"{source}: outcome id {oid!r} is listed twice")
        outcomes.append(Outcome(oid, item["label"].strip()))
    if not outcomes:
        raise ValueError(f"{source}: lists no outcomes")
    return OutcomeFramework(str(data.get("framework", "")), str(data.get("version", "")), tuple(outcomes))


@lru_cache(maxsize=4)
def load_framework(path: Path = OUTCOMES_FILE) -> OutcomeFramework:
    with path.open(encoding="utf-8") as handle:
        return _parse(yaml.safe_load(handle), str(path))
