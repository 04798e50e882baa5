"""``make eval``: score the running model on the held-out split and on Learned Hands, write results.

Everything goes through the same :class:`nlu.rasa_client.RasaClassifier` the app
uses (Rasa + lingua + keyword crisis list + dates), so the numbers are the
product's. The held-out split (``nlu/eval/heldout/*.jsonl``) is never trained on:
any held-out text that also appears in the training data is counted and
reported as leakage. Learned Hands (US posts, ../shared/eval) is evaluation only.

Results: ``nlu/eval/results/metrics.json``, ``confusion.txt``, ``confusion.png``.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import anyio

from core.settings import PROJECT_ROOT, load_settings
from nlu.data_check import fold, read_examples
from nlu.decode import DecodePolicy, decode
from nlu.keywords import is_crisis
from nlu.language import LanguageGuess
from nlu.metrics import (
    Example,
    Predicted,
    confusion,
    confusion_text,
    load_examples,
    mistakes,
    prf,
    score,
    score_by_split,
)
from nlu.rasa_client import KeywordUse, RasaClassifier, with_keywords
from nlu.rasa_venv import RasaSetupError
from nlu.server import DATA_DIR, content_hash, training_files

__all__ = ["learned_hands_score", "run_evaluation", "training_texts"]

HELDOUT = PROJECT_ROOT / "nlu" / "eval" / "heldout"
RESULTS = PROJECT_ROOT / "nlu" / "eval" / "results"
LEARNED_HANDS = PROJECT_ROOT.parent / "shared" / "eval" / "learned_hands.jsonl"
TARGETS = {"macro_f1": 0.85, "min_language_macro_f1": 0.75, "crisis_recall": 0.95, "language_accuracy": 0.95,
           "learned_hands_macro_f1": 0.60}
# Learned Hands area -> the project categories that count as a hit (README of shared/eval).
LH_AREAS: dict[str, tuple[str, ...]] = {
    "benefits": ("benefits",), "consumer": ("debt", "consumer"), "housing": ("housing",),
    "employment": ("employment",), "immigration": ("immigration",), "family": ("family",), "divorce": ("family",),
    "domestic_violence": ("domestic_abuse",), "education": ("education",), "health": ("health_social_care",),
    **{area: ("other",) for area in ("business", "courts", "crime", "estates", "torts", "traffic")},
}


def training_texts(data_dir: Path = DATA_DIR) -> set[str]:
    """The example texts of the training data (entity markup removed), folded as :func:`fold` does."""
    return {fold(item.text) for path in training_files(data_dir) for item in read_examples(path)
            if not isinstance(item, str)}


async def _collect(client: RasaClassifier, texts: Sequence[str],
                   concurrency: int = 4) -> tuple[list[dict[str, Any] | None], list[LanguageGuess]]:
    parses: list[dict[str, Any] | None] = [None] * len(texts)
    guesses: list[LanguageGuess] = [LanguageGuess(None, 0.0)] * len(texts)
    limiter = anyio.CapacityLimiter(concurrency)

    async def one(i: int) -> None:
        async with limiter:
            parses[i] = await client.parse(texts[i])
            guesses[i] = await anyio.to_thread.run_sync(client.detect_language, texts[i])

    async with anyio.create_task_group() as group:
        for i in range(len(texts)):
            group.start_soon(one, i)
    return parses, guesses


def _predict(client: RasaClassifier, examples: Sequence[Example], parses: Sequence[dict[str, Any] | None],
             guesses: Sequence[LanguageGuess], today: dt.date) -> list[Predicted]:
    out: list[Predicted] = []
    for example, parse, guess in zip(examples, parses, guesses, strict=True):
        if parse is None:
            raise RasaSetupError("Rasa stopped answering during the evaluation")
        result = client.from_parse(example.text, parse, language=example.language, today=today, guess=guess)
        out.append(Predicted(result.categories, result.crisis, result.deadline, result.intent, result.language))
    return out


def _sweep(examples: Sequence[Example], parses: Sequence[dict[str, Any] | None],
           predicted: Sequence[Predicted]) -> list[dict[str, Any]]:
    """Category decisions under other thresholds (the rest of each prediction unchanged)."""
    rows: list[dict[str, Any]] = []
    # threshold None: the shipped per-category thresholds; a number: that one threshold for every category.
    uses: tuple[tuple[KeywordUse, float], ...] = (("off", 0.0), ("unsure", 0.0), ("union", 0.0), ("union", 0.02),
                                                  ("union", 0.05))
    grid: list[tuple[str, float | None, float, KeywordUse, float]] = [
        ("top", 0.0, m, kw, floor) for m in (0.3, 0.5) for kw, floor in uses]
    grid += [("marginal", t, m, kw, floor) for t in (None, 0.2, 0.3, 0.4) for m in (0.3, 0.4, 0.5)
             for kw, floor in uses]
    for mode, threshold, min_conf, keywords, floor in grid:
        policy = DecodePolicy(mode="top" if mode == "top" else "marginal", threshold=threshold or 0.0,
                              min_confidence=min_conf, keyword_floor=floor)
        if threshold is not None:
            policy = replace(policy, category_thresholds={})
        preds = []
        for example, parse, base in zip(examples, parses, predicted, strict=True):
            decoded = decode(parse or {}, policy)
            cats = (with_keywords(decoded.categories, example.text, keywords, decoded.scores, floor)
                    if decoded.intent is None else ())
            preds.append(replace(base, categories=cats))
        s = score(examples, preds)
        rows.append({"mode": mode, "threshold": "per category" if threshold is None else threshold,
                     "min_conf": min_conf, "keywords": keywords, "keyword_floor": floor,
                     "macro_f1": s["macro_f1"], "min_lang_f1": s["min_language_macro_f1"],
                     "multi_recall": s["multi_issue"]["recall"]})
    for crisis_threshold in (0.02, 0.03, 0.05, 0.1, 0.2, 0.3):
        flags = [decode(parse or {}).crisis_score >= crisis_threshold or is_crisis(example.text)
                 for example, parse in zip(examples, parses, strict=True)]
        preds = [replace(base, crisis=flag) for base, flag in zip(predicted, flags, strict=True)]
        crisis = score(examples, preds)["crisis"]
        rows.append({"crisis_threshold": crisis_threshold, "recall": crisis["recall"],
                     "precision": crisis["precision"], "flagged": crisis["predicted"]})
    return rows


def learned_hands_score(rows: Sequence[dict[str, Any]], predicted: Sequence[Sequence[str]]) -> dict[str, Any]:
    """Per-label P/R/F1 counting only the labels each post has (lh_labels positive, lh_negative negative)."""
    counts: dict[str, list[int]] = {}
    for row, cats in zip(rows, predicted, strict=True):
        verdicts: dict[str, bool] = {}  # label -> positive?
        for area in row.get("lh_negative") or ():
            if area in LH_AREAS:
                verdicts.setdefault("/".join(LH_AREAS[area]), False)
        for area in row.get("lh_labels") or ():
            if area in LH_AREAS:
                verdicts["/".join(LH_AREAS[area])] = True
        for label, positive in verdicts.items():
            hit = bool(set(label.split("/")) & set(cats))
            tp_fp_fn = counts.setdefault(label, [0, 0, 0])
            if positive and hit:
                tp_fp_fn[0] += 1
            elif hit:
                tp_fp_fn[1] += 1
            elif positive:
                tp_fp_fn[2] += 1
    per = {label: prf(*c) for label, c in sorted(counts.items())}
    present = [v["f1"] for v in per.values() if v["support"]]
    return {"posts": len(rows), "macro_f1": round(sum(present) / len(present), 4) if present else 0.0,
            "per_label": per}


def _plot(labels: list[str], matrix: list[list[int]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 8))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_xlabel("predicted (top category)")
    ax.set_ylabel("gold (single-category messages)")
    top = max((v for row in matrix for v in row), default=0)
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            if value:
                ax.text(j, i, str(value), ha="center", va="center", fontsize=7,
                        color="white" if value > top / 2 else "black")
    ax.set_title("Frontdoor NLU: held-out confusion matrix")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _check(report: dict[str, Any]) -> list[tuple[str, float, float, bool]]:
    held = report["heldout"]
    checks = [("macro-F1 overall", held["macro_f1"], TARGETS["macro_f1"]),
              ("macro-F1 worst language", held["min_language_macro_f1"], TARGETS["min_language_macro_f1"]),
              ("crisis recall", held["crisis"]["recall"], TARGETS["crisis_recall"]),
              ("language detection (4+ words)", held["language_detection"]["accuracy"], TARGETS["language_accuracy"])]
    if report.get("learned_hands"):
        checks.append(("Learned Hands macro-F1", report["learned_hands"]["macro_f1"],
                       TARGETS["learned_hands_macro_f1"]))
    return [(name, value, target, value >= target) for name, value, target in checks]


def _fmt(value: float | None) -> str:
    return "   -" if value is None else f"{value:.2f}"


def _print_language_table(report: dict[str, Any]) -> None:
    """Per split and language: macro-F1, "other" F1, crisis recall, deadline precision/recall."""
    print("  split lang  macro-F1 other-F1 crisis-R deadline-P deadline-R")
    for split, part in report.get("by_split", {}).items():
        for lang, row in part.get("per_language_detail", {}).items():
            crisis, deadline = row["crisis"], row["deadline"]
            print(f"  {split:5s} {lang:4s}  {row['macro_f1']:8.2f} {_fmt(row['other_f1']):>8s} "
                  f"{_fmt(crisis['recall'] if crisis['support'] else None):>8s} "
                  f"{_fmt(deadline['precision'] if deadline['predicted'] else None):>10s} "
                  f"{_fmt(deadline['recall'] if deadline['support'] else None):>10s}")


def _print_summary(report: dict[str, Any]) -> None:
    held = report["heldout"]
    print(f"\nHeld-out split: {held['messages']} messages, model {report['model_hash']}")
    print(f"  macro-F1 {held['macro_f1']:.3f}   multi-issue recall {held['multi_issue']['recall']:.3f} "
          f"({held['multi_issue']['messages']} messages, all found {held['multi_issue']['all_found']:.3f})")
    print(f"  crisis P {held['crisis']['precision']:.3f} R {held['crisis']['recall']:.3f}   "
          f"deadline P {held['deadline']['precision']:.3f} R {held['deadline']['recall']:.3f}   "
          f"intent acc {held['intent_accuracy']}")
    lang = held["language_detection"]
    print(f"  language detection (4+ words): {lang['accuracy']:.3f} on {lang['messages_4plus_words']} "
          f"({lang['unsure']} unsure)")
    print("  per language: " + "  ".join(f"{k} {v['macro_f1']:.2f}" for k, v in held["per_language"].items()))
    if len(report.get("by_split", {})) > 1:
        for split, part in report["by_split"].items():
            print(f"  split {split} alone: {part['messages']} messages, macro-F1 {part['macro_f1']:.3f}, "
                  f"crisis R {part['crisis']['recall']:.3f}, language detection {part['language_detection']:.3f}; "
                  + " ".join(f"{k} {v:.2f}" for k, v in part["per_language"].items()))
    _print_language_table(report)
    print("  per category (P/R/F1):")
    for cat, v in held["per_category"].items():
        print(f"    {cat:20s} {v['precision']:.2f} {v['recall']:.2f} {v['f1']:.2f}  (n={v['support']})")
    if report.get("learned_hands"):
        lh = report["learned_hands"]
        print(f"Learned Hands: macro-F1 {lh['macro_f1']:.3f} over {lh['posts']} posts")
    elif report.get("learned_hands_skipped"):
        print(f"Learned Hands skipped: {report['learned_hands_skipped']}")
    print(f"Leakage (held-out texts also in training data): {report['leakage']}")
    print("Targets:")
    for name, value, target, ok in _check(report):
        print(f"  {'ok  ' if ok else 'MISS'} {name}: {value:.3f} (target {target:.2f})")


async def _evaluate(client: RasaClassifier, examples: list[Example], lh_rows: list[dict[str, Any]],
                    today: dt.date, sweep: bool) -> dict[str, Any]:
    started = time.perf_counter()
    parses, guesses = await _collect(client, [e.text for e in examples])
    predicted = await anyio.to_thread.run_sync(_predict, client, examples, parses, guesses, today)
    report: dict[str, Any] = {"heldout": score(examples, predicted), "by_split": score_by_split(examples, predicted)}
    labels, matrix = confusion(examples, predicted)
    report["confusion"] = {"labels": labels, "matrix": matrix}
    if sweep:
        report["sweep"] = _sweep(examples, parses, predicted)
    if lh_rows:
        lh_parses, lh_guesses = await _collect(client, [str(r["text"]) for r in lh_rows])
        lh_pred = []
        for row, parse, guess in zip(lh_rows, lh_parses, lh_guesses, strict=True):
            result = client.from_parse(str(row["text"]), parse or {}, language="en", today=today, guess=guess)
            lh_pred.append(result.categories)
        report["learned_hands"] = learned_hands_score(lh_rows, lh_pred)
    report["seconds"] = round(time.perf_counter() - started, 1)
    report["errors"] = mistakes(examples, predicted)
    return report


def run_evaluation(out: Path | None = None, sweep: bool = False, heldout: Path = HELDOUT,
                   learned_hands: Path = LEARNED_HANDS, url: str | None = None) -> int:
    from nlu.cli import ensure_server

    out = out or RESULTS
    examples = load_examples(heldout) if heldout.exists() else []
    if not examples:
        print(f"error: no held-out examples in {heldout}", file=sys.stderr)
        return 1
    lh_rows: list[dict[str, Any]] = []
    skipped = None
    if learned_hands.exists():
        lh_rows = [json.loads(line) for line in learned_hands.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        skipped = f"{learned_hands} not found (../shared is absent)"
        print(f"Learned Hands skipped: {skipped}", file=sys.stderr)
    url = url or load_settings().nlu_url
    try:
        supervisor = ensure_server(url)
    except RasaSetupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    model_hash = content_hash()  # before the run: the data may be edited while it runs
    client = RasaClassifier(url, timeout=30.0)
    try:
        report = anyio.run(_evaluate, client, examples, lh_rows, dt.date.today(), sweep)
    finally:
        if supervisor is not None:
            supervisor.stop()
    seen = training_texts()
    report["leakage"] = sum(fold(e.text) in seen for e in examples)
    report["model_hash"] = model_hash
    report["policy"] = {k: getattr(client.policy, k) for k in client.policy.__dataclass_fields__}
    if skipped:
        report["learned_hands_skipped"] = skipped
    report["targets"] = [{"name": n, "value": v, "target": t, "met": ok} for n, v, t, ok in _check(report)]
    out.mkdir(parents=True, exist_ok=True)
    errors = report.pop("errors")
    (out / "metrics.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "errors.json").write_text(json.dumps(errors, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "confusion.txt").write_text(confusion_text(report["confusion"]["labels"], report["confusion"]["matrix"]),
                                       encoding="utf-8")
    _plot(report["confusion"]["labels"], report["confusion"]["matrix"], out / "confusion.png")
    _print_summary(report)
    if sweep:
        print("\nDecoding sweep (held-out):")
        for row in report["sweep"]:
            print("  " + "  ".join(f"{k}={v}" for k, v in row.items()))
    print(f"\nResults in {out}")
    return 0
