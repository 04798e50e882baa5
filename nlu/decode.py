"""Turn one Rasa ``/model/parse`` answer into categories, crisis, intent and date spans.

Intents are category ids, multi-issue intents join them with "+" ("debt+housing"),
``crisis`` alone or with the category it is about ("crisis+domestic_abuse"), and
the dialogue intents. A category's score is the probability
mass of every ranked intent that contains it, so "debt+housing" 0.4, "housing"
0.3 and "debt" 0.2 give housing 0.7 and debt 0.6: both are kept. Categories at or
above ``DecodePolicy.threshold`` are returned, most likely first; when none
reaches ``min_confidence`` the model is unsure and returns no category, and the
engine offers its numbered menu. ``mode="top"`` (only the top intent) is kept
to compare against in the evaluation. Thresholds are chosen there (nlu/README.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from frontdoor.categories import CATEGORY_IDS

__all__ = ["DIALOGUE_INTENTS", "DecodePolicy", "Decoded", "decode"]

DIALOGUE_INTENTS = frozenset({"greet", "help", "stop", "affirm", "deny", "change_language"})
CRISIS = "crisis"


@dataclass(frozen=True)
class DecodePolicy:
    mode: Literal["marginal", "top"] = "marginal"
    threshold: float = 0.3  # a category's summed probability needed to keep it
    min_confidence: float = 0.4  # below this for the best category: unsure, no category
    # Crisis probability that raises the flag: low on purpose, a missed crisis costs far more
    # than an unneeded "are you safe?" (recall 0.95 / precision 0.39 on the held-out split).
    crisis_threshold: float = 0.05
    # Under 4 words ("2", "Anna", "yes please") the model has little to go on and its crisis
    # mass is noise: there only a confident crisis counts (the keyword list still always does).
    short_words: int = 4
    short_crisis_threshold: float = 0.5
    intent_threshold: float = 0.3  # a dialogue intent must be at least this likely (and the top one)
    max_categories: int = 3
    # When the model puts most of its mass on a bare crisis, read the categories from the rest of the
    # ranking (a crisis is still about something: a violent partner, a night on the street).
    crisis_renormalise: float = 0.3


@dataclass(frozen=True)
class Decoded:
    categories: tuple[str, ...] = ()
    crisis: bool = False
    crisis_score: float = 0.0
    intent: str | None = None
    confidence: float = 0.0  # score of the best category (0 when none)
    date_spans: tuple[str, ...] = ()


def _ranking(parse: Mapping[str, Any]) -> list[tuple[str, float]]:
    items: Sequence[Any] = parse.get("intent_ranking") or ([parse["intent"]] if parse.get("intent") else [])
    ranked: list[tuple[str, float]] = []
    for item in items:
        if isinstance(item, Mapping) and isinstance(item.get("name"), str):
            ranked.append((item["name"], float(item.get("confidence") or 0.0)))
    return sorted(ranked, key=lambda pair: -pair[1])


def _parts(intent: str) -> list[str]:
    return [p for p in intent.split("+") if p]


def category_scores(parse: Mapping[str, Any], mode: str = "marginal") -> dict[str, float]:
    """Each category's score: summed over intents containing it ("marginal"), or the top intent's only."""
    ranking = _ranking(parse)
    if mode == "top":
        ranking = ranking[:1]
    scores: dict[str, float] = {}
    for name, confidence in ranking:
        for part in _parts(name):
            if part in CATEGORY_IDS:
                scores[part] = scores.get(part, 0.0) + confidence
    return scores


def decode(parse: Mapping[str, Any], policy: DecodePolicy = DecodePolicy()) -> Decoded:
    """Read one parse answer; never raises on a well-formed JSON object."""
    ranking = _ranking(parse)
    crisis_score = sum(conf for name, conf in ranking if CRISIS in _parts(name))
    short = len(str(parse.get("text") or "").split()) < policy.short_words
    crisis_threshold = policy.short_crisis_threshold if short else policy.crisis_threshold
    intent = None
    if ranking and ranking[0][0] in DIALOGUE_INTENTS and ranking[0][1] >= policy.intent_threshold:
        intent = ranking[0][0]
    scores = category_scores(parse, policy.mode)
    # Only the mass of a bare "crisis" says nothing about the topic; "crisis+housing" already counts for housing.
    bare_crisis = sum(conf for name, conf in ranking if name == CRISIS)
    if policy.crisis_renormalise and bare_crisis >= policy.crisis_renormalise and bare_crisis < 1.0:
        scores = {c: s / (1.0 - bare_crisis) for c, s in scores.items()}
    ordered = sorted(scores.items(), key=lambda pair: -pair[1])
    best = ordered[0][1] if ordered else 0.0
    keep: tuple[str, ...] = ()
    if best >= policy.min_confidence:
        threshold = 0.0 if policy.mode == "top" else policy.threshold
        keep = tuple(c for c, s in ordered if s >= threshold)[:policy.max_categories]
    spans = tuple(str(e.get("value") or "") for e in parse.get("entities") or ()
                  if isinstance(e, Mapping) and e.get("entity") == "date" and e.get("value"))
    return Decoded(categories=keep, crisis=crisis_score >= crisis_threshold, crisis_score=round(crisis_score, 4),
                   intent=intent, confidence=round(best, 4) if keep else 0.0, date_spans=spans)
