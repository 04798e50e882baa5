"""The cross-validation that chooses decoding settings: folds, gold labels and per-category thresholds."""

from __future__ import annotations

from pathlib import Path

from nlu.crossval import _folds, gold_of, tune_thresholds
from nlu.data_check import TrainingExample
from nlu.decode import DecodePolicy


def _example(intent: str, text: str = "x", file: str = "nlu_en_extra.yml", line: int = 1) -> TrainingExample:
    return TrainingExample(Path(file), line, "en", intent, text)


def test_only_the_independently_written_files_are_held_back() -> None:
    examples = [_example("debt", file="nlu_en.yml"), _example("debt", file="nlu_en_more.yml")]
    examples += [_example("housing", line=i) for i in range(9)] + [_example("debt", file="nlu_cy_extra2.yml")]
    folds = _folds(examples, 3)
    assert folds[:2] == [-1, -1]  # the older files are partly translations of each other: always trained on
    held = folds[2:]
    assert sorted(held.count(f) for f in (0, 1, 2)) == [3, 3, 4]  # ten examples over three folds, evenly
    assert _folds(examples, 3) == folds  # the same folds every run


def test_gold_labels_come_from_the_intent_name() -> None:
    assert gold_of(_example("crisis+domestic_abuse")).categories == ("domestic_abuse",)
    assert gold_of(_example("crisis+domestic_abuse")).crisis
    assert gold_of(_example("benefits+debt")).categories == ("benefits", "debt")
    greet = gold_of(_example("greet"))
    assert greet.intent == "greet" and greet.categories == () and not greet.crisis


def test_thresholds_are_fitted_per_category() -> None:
    # debt at 0.45 is right and must be kept (the shipped threshold, 0.6, would drop it);
    # housing at 0.45 is wrong, at 0.6 right: its threshold lands between the two
    examples = [_example("debt", "a", line=i) for i in range(4)] + [_example("other", "b", line=8),
                                                                      _example("housing", "c", line=9)]
    rankings = {i: [("debt", 0.45), ("other", 0.3), ("housing", 0.25)] for i in range(4)}
    rankings[4] = [("other", 0.5), ("housing", 0.45), ("debt", 0.05)]
    rankings[5] = [("housing", 0.6), ("other", 0.4)]
    policy = DecodePolicy(keyword_floor=1.0)  # no keyword phrase in these texts anyway
    chosen = tune_thresholds(examples, rankings, list(range(6)), policy)
    assert chosen["debt"] <= 0.45
    assert 0.45 < chosen["housing"] <= 0.6
    assert chosen["other"] > 0.4  # 0.3 and 0.4 elsewhere are false alarms, 0.5 in its own message is right
    assert chosen["family"] == policy.threshold_for("family")  # nothing decides it: left as it was
