"""Scores for the NLU evaluation: pure functions over gold examples and predictions.

Categories are multi-label: a message counts once for each category it has, in
gold or predicted. Macro-F1 averages over the categories that occur in the gold
data of the slice being scored (a category nobody wrote about in Somali does not
drag the Somali score to zero, nor lift it).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from core.categories import CATEGORY_IDS

T = TypeVar("T")

__all__ = [
    "Example", "Predicted", "confusion", "load_examples", "prf", "score", "score_by_split", "score_categories",
    "split_of", "word_count",
]

NONE = "(none)"


@dataclass(frozen=True)
class Example:
    id: str
    language: str
    text: str
    categories: tuple[str, ...]
    crisis: bool
    deadline: bool
    intent: str | None
    split: str = "a"  # which held-out split: "a" from <lang>.jsonl, "b" from <lang>_b.jsonl


def split_of(path: Path) -> str:
    """``pt.jsonl`` is split "a", the first one; ``pt_b.jsonl`` is split "b", written later and apart."""
    _, _, suffix = path.stem.partition("_")
    return suffix or "a"


@dataclass(frozen=True)
class Predicted:
    categories: tuple[str, ...]
    crisis: bool = False
    deadline: bool = False
    intent: str | None = None
    language: str | None = None


def read_jsonl(folder: Path, make: Callable[[Path, dict[str, Any]], T]) -> list[T]:
    """``make(path, row)`` for every line of every ``*.jsonl`` in ``folder``, in file order; a bad line names itself."""
    made: list[T] = []
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                made.append(make(path, json.loads(line)))
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path.name} line {number}: {exc}") from exc
    return made


def load_examples(folder: Path) -> list[Example]:
    """Every line of every ``*.jsonl`` in ``folder`` (held-out format), in file order."""
    return read_jsonl(folder, lambda path, row: Example(
        id=str(row["id"]), language=str(row["language"]), text=str(row["text"]),
        categories=tuple(str(c) for c in row.get("categories") or ()), crisis=bool(row.get("crisis")),
        deadline=bool(row.get("deadline")), intent=row.get("intent") or None, split=split_of(path)))


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "support": tp + fn, "predicted": tp + fp}


def score_categories(gold: Sequence[Iterable[str]], predicted: Sequence[Iterable[str]],
                     labels: Sequence[str] = CATEGORY_IDS) -> dict[str, Any]:
    """Per-category precision/recall/F1 and their macro-F1 over categories present in ``gold``."""
    per: dict[str, dict[str, float]] = {}
    for label in labels:
        tp = fp = fn = 0
        for g, p in zip(gold, predicted, strict=True):
            in_gold, in_pred = label in set(g), label in set(p)
            tp += in_gold and in_pred
            fp += in_pred and not in_gold
            fn += in_gold and not in_pred
        if tp + fp + fn:
            per[label] = prf(tp, fp, fn)
    present = [v["f1"] for v in per.values() if v["support"]]
    return {"macro_f1": round(sum(present) / len(present), 4) if present else 0.0, "per_category": per}


def word_count(text: str) -> int:
    return len(text.split())


def _binary(gold: Sequence[bool], predicted: Sequence[bool]) -> dict[str, float]:
    tp = sum(g and p for g, p in zip(gold, predicted, strict=True))
    fp = sum(p and not g for g, p in zip(gold, predicted, strict=True))
    fn = sum(g and not p for g, p in zip(gold, predicted, strict=True))
    return prf(tp, fp, fn)


def score(examples: Sequence[Example], predicted: Sequence[Predicted]) -> dict[str, Any]:
    """Everything the issue asks to see, for one set of predictions."""
    gold_cats = [e.categories for e in examples]
    pred_cats = [p.categories for p in predicted]
    overall = score_categories(gold_cats, pred_cats)
    languages: dict[str, Any] = {}
    for language in sorted({e.language for e in examples}):
        idx = [i for i, e in enumerate(examples) if e.language == language]
        part = score_categories([gold_cats[i] for i in idx], [pred_cats[i] for i in idx])
        other = part["per_category"].get("other")
        languages[language] = {
            "macro_f1": part["macro_f1"], "messages": len(idx),
            "other_f1": other["f1"] if other and other["support"] else None,
            "crisis": _binary([examples[i].crisis for i in idx], [predicted[i].crisis for i in idx]),
            "deadline": _binary([examples[i].deadline for i in idx], [predicted[i].deadline for i in idx]),
        }
    multi = [i for i, e in enumerate(examples) if len(set(e.categories)) >= 2]
    multi_found = sum(len(set(gold_cats[i]) & set(pred_cats[i])) for i in multi)
    multi_total = sum(len(set(gold_cats[i])) for i in multi)
    with_intent = [i for i, e in enumerate(examples) if e.intent and e.intent != "crisis"]
    long = [i for i, e in enumerate(examples) if word_count(e.text) >= 4]
    lang_right = sum(predicted[i].language == examples[i].language for i in long)
    return {
        "messages": len(examples),
        "macro_f1": overall["macro_f1"],
        "per_category": overall["per_category"],
        "per_language": languages,
        "min_language_macro_f1": min((v["macro_f1"] for v in languages.values()), default=0.0),
        "multi_issue": {
            "messages": len(multi),
            "recall": round(multi_found / multi_total, 4) if multi_total else 0.0,
            "all_found": round(sum(set(gold_cats[i]) <= set(pred_cats[i]) for i in multi) / len(multi), 4)
            if multi else 0.0,
        },
        "crisis": _binary([e.crisis for e in examples], [p.crisis for p in predicted]),
        "deadline": _binary([e.deadline for e in examples], [p.deadline for p in predicted]),
        "intent_accuracy": round(sum(predicted[i].intent == examples[i].intent for i in with_intent)
                                 / len(with_intent), 4) if with_intent else None,
        "intent_messages": len(with_intent),
        "language_detection": {
            "messages_4plus_words": len(long),
            "accuracy": round(lang_right / len(long), 4) if long else 0.0,
            "unsure": sum(predicted[i].language is None for i in long),
        },
    }


def score_by_split(examples: Sequence[Example], predicted: Sequence[Predicted]) -> dict[str, Any]:
    """The headline figures of each held-out split on its own (the targets are read on all of them together)."""
    out: dict[str, Any] = {}
    splits = sorted({e.split for e in examples})
    groups = [(split, {split}) for split in splits]
    if {"a", "b"} <= set(splits) and len(splits) > 2:
        groups.append(("a+b", {"a", "b"}))  # the splits the first targets were read on, without the later ones
    for split, members in groups:
        idx = [i for i, e in enumerate(examples) if e.split in members]
        part = score([examples[i] for i in idx], [predicted[i] for i in idx])
        out[split] = {"messages": part["messages"], "macro_f1": part["macro_f1"],
                      "min_language_macro_f1": part["min_language_macro_f1"],
                      "per_language": {k: v["macro_f1"] for k, v in part["per_language"].items()},
                      "per_language_detail": part["per_language"],
                      "other": part["per_category"].get("other"), "deadline": part["deadline"],
                      "multi_issue_recall": part["multi_issue"]["recall"], "crisis": part["crisis"],
                      "language_detection": part["language_detection"]["accuracy"]}
    return out


def mistakes(examples: Sequence[Example], predicted: Sequence[Predicted]) -> list[dict[str, Any]]:
    """Every message whose categories or crisis flag came out wrong, missed crises first: what a reviewer reads."""
    rows: list[dict[str, Any]] = []
    for example, pred in zip(examples, predicted, strict=True):
        if set(example.categories) == set(pred.categories) and example.crisis == pred.crisis:
            continue
        row: dict[str, Any] = {"id": example.id, "language": example.language,
                               "gold": list(example.categories), "predicted": list(pred.categories)}
        if example.crisis != pred.crisis:
            row["crisis"] = "missed" if example.crisis else "false alarm"
        rows.append(row)
    return sorted(rows, key=lambda row: row.get("crisis") != "missed")


def confusion(examples: Sequence[Example], predicted: Sequence[Predicted]) -> tuple[list[str], list[list[int]]]:
    """Gold category (messages with exactly one; "(none)" for none) against the top predicted one."""
    labels = [*CATEGORY_IDS, NONE]
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for example, pred in zip(examples, predicted, strict=True):
        if len(set(example.categories)) > 1:
            continue
        gold = example.categories[0] if example.categories else NONE
        top = pred.categories[0] if pred.categories else NONE
        if gold in index and top in index:
            matrix[index[gold]][index[top]] += 1
    return labels, matrix


def confusion_text(labels: Sequence[str], matrix: Sequence[Sequence[int]]) -> str:
    short = [label[:8] for label in labels]
    width = max(len(label) for label in labels)
    lines = ["gold \\ predicted".ljust(width) + " " + " ".join(s.rjust(8) for s in short)]
    for label, row in zip(labels, matrix, strict=True):
        lines.append(label.ljust(width) + " " + " ".join(str(v).rjust(8) for v in row))
    return "\n".join(lines) + "\n"
