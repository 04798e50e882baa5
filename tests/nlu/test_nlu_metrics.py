"""The evaluation's arithmetic, on hand-made cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlu.evaluate import learned_hands_score, training_texts
from nlu.metrics import Example, Predicted, confusion, load_examples, mistakes, prf, score, score_by_split


def _ex(i: int, lang: str, cats: tuple[str, ...], crisis: bool = False, text: str = "one two three four",
        intent: str | None = None) -> Example:
    return Example(f"{lang}-{i}", lang, text, cats, crisis, False, intent)


def test_prf() -> None:
    assert prf(3, 1, 1) == {"precision": 0.75, "recall": 0.75, "f1": 0.75, "support": 4, "predicted": 4}
    assert prf(0, 0, 0)["f1"] == 0.0


def test_scores_multi_label_per_language_crisis_and_language() -> None:
    examples = [
        _ex(1, "en", ("housing",)), _ex(2, "en", ("debt", "housing")), _ex(3, "pl", ("debt",), crisis=True),
        _ex(4, "pl", (), intent="greet", text="hi"),
    ]
    predicted = [
        Predicted(("housing",), language="en"), Predicted(("debt",), language="en"),
        Predicted(("debt",), crisis=True, language="other"), Predicted((), intent="greet", language=None),
    ]
    report = score(examples, predicted)
    assert report["per_category"]["housing"] == prf(1, 0, 1)
    assert report["per_category"]["debt"] == prf(2, 0, 0)
    assert report["macro_f1"] == pytest.approx((2 / 3 + 1.0) / 2, abs=1e-3)
    assert report["per_language"]["pl"]["macro_f1"] == 1.0
    assert report["multi_issue"] == {"messages": 1, "recall": 0.5, "all_found": 0.0}
    assert report["crisis"]["recall"] == 1.0 and report["intent_accuracy"] == 1.0
    # "hi" has fewer than 4 words: not counted; one of three right
    assert report["language_detection"]["messages_4plus_words"] == 3
    assert report["language_detection"]["accuracy"] == pytest.approx(2 / 3, abs=1e-3)
    labels, matrix = confusion(examples, predicted)
    assert matrix[labels.index("housing")][labels.index("housing")] == 1
    assert matrix[labels.index("(none)")][labels.index("(none)")] == 1


def test_learned_hands_counts_only_the_labels_given() -> None:
    rows = [
        {"lh_labels": ["housing"], "lh_negative": ["consumer"]},
        {"lh_labels": ["consumer"], "lh_negative": ["housing", "traffic"]},
        {"lh_labels": [], "lh_negative": ["family", "divorce"]},
    ]
    predicted = [("housing", "debt"), ("debt",), ("family", "employment")]
    report = learned_hands_score(rows, predicted)
    per = report["per_label"]
    assert per["housing"] == prf(1, 0, 0)
    assert per["debt/consumer"] == prf(1, 1, 0)  # debt counts for consumer; the housing post's debt is a false one
    assert per["family"] == prf(0, 1, 0)  # labelled no, said yes; employment was never asked about
    assert "employment" not in per
    assert report["macro_f1"] == pytest.approx((1.0 + 2 / 3) / 2, abs=1e-3)


def test_loads_heldout_and_strips_training_markup(tmp_path: Path) -> None:
    (tmp_path / "xx.jsonl").write_text(json.dumps({
        "id": "x1", "language": "en", "text": "t", "categories": ["debt"], "crisis": False, "deadline": True,
        "intent": None}) + "\n\n", encoding="utf-8")
    assert load_examples(tmp_path) == [Example("x1", "en", "t", ("debt",), False, True, None)]
    (tmp_path / "nlu_xx.yml").write_text('version: "3.1"\nnlu:\n- intent: housing\n  examples: |\n'
                                         "    - Must leave by [15 January](date)\n    - \"quoted  text\"\n",
                                         encoding="utf-8")
    assert training_texts(tmp_path) == {"must leave by 15 january", "quoted text"}


def test_a_second_split_is_loaded_with_the_first_and_also_scored_on_its_own(tmp_path: Path) -> None:
    def row(i: str, category: str) -> str:
        return json.dumps({"id": i, "language": "pt", "text": i, "categories": [category], "crisis": False,
                           "deadline": False, "intent": None})
    (tmp_path / "pt.jsonl").write_text(row("a1", "debt") + "\n" + row("a2", "housing") + "\n", encoding="utf-8")
    (tmp_path / "pt_b.jsonl").write_text(row("b1", "debt") + "\n", encoding="utf-8")
    examples = load_examples(tmp_path)
    assert [(e.id, e.split) for e in examples] == [("a1", "a"), ("a2", "a"), ("b1", "b")]
    predicted = [Predicted(("debt",)), Predicted(("debt",)), Predicted(("debt",))]
    by_split = score_by_split(examples, predicted)
    assert by_split["b"]["macro_f1"] == 1.0 and by_split["b"]["messages"] == 1
    assert by_split["a"]["macro_f1"] == pytest.approx((2 / 3 + 0.0) / 2, abs=1e-3)
    assert score(examples, predicted)["macro_f1"] == pytest.approx((0.8 + 0.0) / 2, abs=1e-3)


def test_mistakes_list_wrong_categories_and_crisis_errors_with_missed_crises_first() -> None:
    examples = [_ex(1, "en", ("debt",)), _ex(2, "pl", ("housing",)), _ex(3, "pt", (), crisis=True),
                _ex(4, "ro", ("family",)), _ex(5, "so", ("debt",), crisis=True)]
    predicted = [Predicted(("debt",)), Predicted(("debt",)), Predicted(()),
                 Predicted(("family",), crisis=True), Predicted(("debt",), crisis=True)]
    assert mistakes(examples, predicted) == [
        {"id": "pt-3", "language": "pt", "gold": [], "predicted": [], "crisis": "missed"},
        {"id": "pl-2", "language": "pl", "gold": ["housing"], "predicted": ["debt"]},
        {"id": "ro-4", "language": "ro", "gold": ["family"], "predicted": ["family"], "crisis": "false alarm"},
    ]


def test_a_third_split_is_scored_alone_and_a_plus_b_without_it(tmp_path: Path) -> None:
    def row(i: str, language: str, category: str, deadline: bool = False) -> str:
        return json.dumps({"id": i, "language": language, "text": i, "categories": [category], "crisis": False,
                           "deadline": deadline, "intent": None})
    (tmp_path / "ur.jsonl").write_text(row("a1", "ur", "debt") + "\n", encoding="utf-8")
    (tmp_path / "ur_b.jsonl").write_text(row("b1", "ur", "other") + "\n", encoding="utf-8")
    (tmp_path / "ur_c.jsonl").write_text(row("c1", "ur", "other", deadline=True) + "\n", encoding="utf-8")
    examples = load_examples(tmp_path)
    predicted = [Predicted(("debt",)), Predicted(("other",)), Predicted(("debt",), deadline=True)]
    by_split = score_by_split(examples, predicted)
    assert by_split["a+b"]["messages"] == 2 and by_split["a+b"]["macro_f1"] == 1.0
    assert by_split["c"]["macro_f1"] == 0.0
    detail = by_split["c"]["per_language_detail"]["ur"]
    assert detail["other_f1"] == 0.0 and detail["deadline"]["recall"] == 1.0
    assert by_split["a+b"]["per_language_detail"]["ur"]["other_f1"] == 1.0
