"""Turn one Rasa ``/model/parse`` answer into categories, crisis, intent and date spans.

Intents are category ids, multi-issue intents join them with "+" ("debt+housing"),
``crisis`` alone or with the category it is about ("crisis+domestic_abuse"), and
the dialogue intents. A category's score is the probability
mass of every ranked intent that contains it, so "debt+housing" 0.4, "housing"
0.3 and "debt" 0.2 give housing 0.7 and debt 0.6: both are kept. Categories
at or above their threshold are returned, most likely first; when none reaches
``min_confidence`` the model is unsure and returns no category, and the engine
offers its numbered menu. ``mode="top"`` (only the top intent) is kept to
compare against in the evaluation.

The thresholds differ per category: each was chosen on out-of-fold predictions
of a cross-validation over the training data (never on the held-out split), and
a category the model tends to spread its mass over (housing, employment) needs
less than one it is sharp about (debt, immigration). nlu/README.md has the run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from core.categories import CATEGORY_IDS

__all__ = ["DIALOGUE_INTENTS", "DecodePolicy", "Decoded", "decode"]

DIALOGUE_INTENTS = frozenset({"greet", "help", "stop", "affirm", "deny", "change_language"})
CRISIS = "crisis"
# Out-of-fold cross-validation on the training data, one category at a time (nlu/README.md).
CATEGORY_THRESHOLDS: Mapping[str, float] = {
    "benefits": 0.3, "debt": 0.6, "housing": 0.25, "employment": 0.35, "immigration": 0.5, "family": 0.25,
    "domestic_abuse": 0.4, "consumer": 0.35, "discrimination": 0.3, "education": 0.35, "health_social_care": 0.25,
    "other": 0.3,
}


@dataclass(frozen=True)
class DecodePolicy:
    mode: Literal["marginal", "top"] = "marginal"
    threshold: float = 0.3  # a category's summed probability needed to keep it, unless it has its own below
    category_thresholds: Mapping[str, float] = field(default_factory=lambda: dict(CATEGORY_THRESHOLDS))
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
    # When the model puts at least this much on a bare crisis, read the categories from the rest of the ranking
    # (0: never). Off since the training data names a crisis's topic ("crisis+domestic_abuse"): renormalising then
    # mostly blew noise up into a category for suicide messages (cross-validation and held-out agree).
    crisis_renormalise: float = 0.0
    # A keyword phrase adds its category to the model's only when the model gives that category at least this
    # score: the phrases alone fire on side topics ("bills" in a debt message). Cross-validation on two splits
    # (nlu/README.md): 0 -> 0.816, 0.02 -> 0.832, 0.05 -> 0.841, 0.1 -> a little lower.
    keyword_floor: float = 0.05

    def threshold_for(self, category: str) -> float:
        return self.category_thresholds.get(category, self.threshold)


@dataclass(frozen=True)
class Decoded:
    categories: tuple[str, ...] = ()
    crisis: bool = False
    crisis_score: float = 0.0
    intent: str | None = None
    confidence: float = 0.0  # score of the best category (0 when none)
    date_spans: tuple[str, ...] = ()
    scores: Mapping[str, float] = field(default_factory=dict)  # every category's score, kept or not


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
        top = policy.mode == "top"
        keep = tuple(c for c, s in ordered if top or s >= policy.threshold_for(c))[:policy.max_categories]
    spans = tuple(str(e.get("value") or "") for e in parse.get("entities") or ()
                  if isinstance(e, Mapping) and e.get("entity") == "date" and e.get("value"))
    return Decoded(categories=keep, crisis=crisis_score >= crisis_threshold, crisis_score=round(crisis_score, 4),
                   intent=intent, confidence=round(best, 4) if keep else 0.0, date_spans=spans,
                   scores={c: round(v, 4) for c, v in ordered})
