"""The circuit breaker and the reading of Rasa's parse answer (multi-issue, unsure, crisis, dates)."""

from __future__ import annotations

from core.categories import CATEGORY_IDS
from nlu.breaker import CircuitBreaker
from nlu.decode import CATEGORY_THRESHOLDS, DecodePolicy, decode
from nlu.keywords import find_categories
from nlu.rasa_client import with_keywords


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_breaker_opens_after_failures_and_tries_once_after_reset() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failures=3, reset_seconds=10, clock=clock)
    for _ in range(2):
        assert breaker.allow()
        breaker.failure()
    assert breaker.state == "closed"
    breaker.failure()
    assert breaker.state == "open" and not breaker.allow()
    clock.now = 10.5
    assert breaker.state == "half-open"
    assert breaker.allow() and not breaker.allow()  # one trial call at a time
    breaker.failure()
    assert breaker.state == "open" and not breaker.allow()
    clock.now = 21
    assert breaker.allow()
    breaker.success()
    assert breaker.state == "closed" and breaker.allow()


def _parse(*ranking: tuple[str, float], entities: list[dict[str, object]] | None = None) -> dict[str, object]:
    items = [{"name": n, "confidence": c} for n, c in ranking]
    return {"intent": items[0], "intent_ranking": items, "entities": entities or []}


def test_categories_sum_over_multi_intents() -> None:
    decoded = decode(_parse(("debt+housing", 0.4), ("housing", 0.3), ("debt", 0.2), ("greet", 0.1)))
    assert decoded.categories == ("housing", "debt")
    assert decoded.confidence == 0.7


def test_unsure_model_gives_no_category() -> None:
    decoded = decode(_parse(("housing", 0.25), ("debt", 0.24), ("benefits", 0.2), ("family", 0.16), ("other", 0.15)))
    assert decoded.categories == () and decoded.confidence == 0.0


def test_top_mode_takes_the_top_intent_only() -> None:
    parse = _parse(("benefits+debt", 0.6), ("housing", 0.35))
    assert decode(parse, DecodePolicy(mode="top")).categories == ("benefits", "debt")
    assert set(decode(parse).categories) == {"benefits", "debt", "housing"}


def test_crisis_dialogue_intent_and_date_spans() -> None:
    decoded = decode(_parse(("crisis", 0.5), ("domestic_abuse", 0.45), ("greet", 0.05)))
    assert decoded.crisis and decoded.categories == ("domestic_abuse",)
    greet = decode(_parse(("greet", 0.9), ("housing", 0.1)))
    assert greet.intent == "greet" and greet.categories == ()
    dated = decode(_parse(("housing", 0.9), entities=[{"entity": "date", "value": "15 ionawr"},
                                                       {"entity": "other", "value": "x"}]))
    assert dated.date_spans == ("15 ionawr",)


def test_a_bare_crisis_keeps_only_the_categories_the_model_names() -> None:
    parse = _parse(("crisis", 0.6), ("domestic_abuse", 0.25), ("housing", 0.1), ("greet", 0.05))
    decoded = decode(parse)
    assert decoded.crisis and decoded.categories == ()  # 0.25 alone is noise beside a suicide message
    renormalised = decode(parse, DecodePolicy(crisis_renormalise=0.3, category_thresholds={}))
    assert renormalised.categories == ("domestic_abuse",)  # 0.25 of the remaining 0.4; housing 0.25 < 0.3


def test_each_category_has_its_own_threshold() -> None:
    parse = _parse(("housing", 0.45), ("debt", 0.3), ("employment", 0.25))
    policy = DecodePolicy(category_thresholds={"debt": 0.6, "employment": 0.25})  # housing: the default 0.3
    decoded = decode(parse, policy)
    assert decoded.categories == ("housing", "employment")
    assert decoded.scores == {"housing": 0.45, "debt": 0.3, "employment": 0.25}
    flat = decode(parse, DecodePolicy(category_thresholds={}, threshold=0.3))
    assert flat.categories == ("housing", "debt")
    assert set(CATEGORY_THRESHOLDS) == set(CATEGORY_IDS)  # the shipped table covers every category
    assert all(0.0 < t < 1.0 for t in CATEGORY_THRESHOLDS.values())


def test_a_keyword_phrase_needs_some_support_from_the_model() -> None:
    text = "debt collectors chasing me for a faulty car I returned"  # debt and consumer phrases
    assert set(find_categories(text)) >= {"debt", "consumer"}
    scores = {"debt": 0.9, "consumer": 0.01, "housing": 0.05}
    assert with_keywords(("debt",), text, "union", scores, floor=0.02) == ("debt",)
    assert with_keywords(("debt",), text, "union", {**scores, "consumer": 0.03}, floor=0.02) == ("debt", "consumer")
    assert set(with_keywords(("debt",), text, "union")) >= {"debt", "consumer"}  # without scores: plain union
    assert with_keywords((), text, "union", {"debt": 0.3}, floor=0.02) == ("debt",)  # unsure model: gated too
    assert with_keywords(("debt",), text, "off", scores) == ("debt",)


def test_a_crisis_about_a_topic_counts_for_both_and_is_not_renormalised() -> None:
    decoded = decode(_parse(("crisis+domestic_abuse", 0.55), ("crisis", 0.1), ("housing", 0.2), ("debt", 0.15)))
    assert decoded.crisis and decoded.crisis_score == 0.65
    # housing 0.2 stays under the 0.3 threshold: only the bare crisis mass (0.1 < 0.3) could renormalise
    assert decoded.categories == ("domestic_abuse",)
    bare = decode(_parse(("crisis", 0.5), ("crisis+housing", 0.2), ("debt", 0.2), ("greet", 0.1)),
                  DecodePolicy(crisis_renormalise=0.3, category_thresholds={}))
    assert sorted(bare.categories) == ["debt", "housing"]  # 0.4 and 0.4 of the remaining 0.5


def test_short_messages_need_a_confident_crisis() -> None:
    ranking = (("employment", 0.5), ("crisis", 0.14), ("consumer", 0.36))
    assert not decode({**_parse(*ranking), "text": "Anna"}).crisis
    assert decode({**_parse(*ranking), "text": "he keeps following me home"}).crisis
    assert decode({**_parse(("crisis", 0.7), ("housing", 0.3)), "text": "help now"}).crisis


def test_malformed_answers_do_not_raise() -> None:
    assert decode({}).categories == ()
    assert decode({"intent_ranking": [{"name": None}, "junk", {"name": "housing"}]}).categories == ()
    assert decode({"intent": {"name": "housing", "confidence": 0.9}}).categories == ("housing",)
