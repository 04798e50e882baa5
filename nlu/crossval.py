"""``frontdoor nlu crossval``: choose decoding settings on the training data, never on the held-out split.

The held-out split is for reporting; a setting picked there overstates the
result. This cross-validation holds back, fold by fold, the examples of the
``nlu_<lang>_extra*.yml`` files (written for each language on its own) and
trains on everything else; the older files are partly translations of each
other, so holding them back would score a message against its own translation.
The folds are fitted in the Rasa venv (``nlu/rasa_project/crossval_fit.py``, a
scikit-learn copy of the pipeline); here each held-back example's ranking goes
through the product's decoder and keyword tables and is scored with the same
metrics as ``make eval``. It also fits a threshold per category (one at a time,
best F1 on the held-back examples): the source of
:data:`nlu.decode.CATEGORY_THRESHOLDS`.

Two cores: about 20 minutes (e5 over 5,900 examples, then one fit per fold).
The keyword tables were written with the training data in view, so their
contribution is somewhat flattered here: a setting that leans harder on them
than this prefers would be a worse bet still (nlu/README.md).
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from core.categories import CATEGORY_IDS
from core.settings import PROJECT_ROOT
from nlu.data_check import TrainingExample, read_examples
from nlu.decode import CRISIS, DIALOGUE_INTENTS, DecodePolicy, decode
from nlu.metrics import Example, Predicted, score, score_categories
from nlu.rasa_client import with_keywords
from nlu.rasa_venv import COMPONENTS, RASA_VENV, RasaSetupError, rasa_env
from nlu.server import training_files

__all__ = ["fit_rankings", "gold_of", "run_crossval", "tune_thresholds"]

WORK = PROJECT_ROOT / "var" / "crossval"
THRESHOLD_GRID = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6)
Ranking = list[tuple[str, float]]


def _examples() -> list[TrainingExample]:
    return [e for path in training_files() for e in read_examples(path) if isinstance(e, TrainingExample)]


def _folds(examples: Sequence[TrainingExample], folds: int, seed: int = 0) -> list[int]:
    """Fold of each example: 0..folds-1 for the independently written files, -1 (always trained on) otherwise."""
    held = [i for i, e in enumerate(examples) if "_extra" in e.path.name]
    random.Random(seed).shuffle(held)
    out = [-1] * len(examples)
    for position, i in enumerate(held):
        out[i] = position % folds
    return out


def fit_rankings(examples: Sequence[TrainingExample], folds: Sequence[int], *, c: float = 30.0,
                 workers: int = 2) -> dict[int, Ranking]:
    """Each held-back example's intent ranking, from the Rasa venv's fold fitter."""
    python = RASA_VENV / "bin" / "python"
    if not python.exists():
        raise RasaSetupError(f"The Rasa venv is missing ({RASA_VENV}). Create it with `make rasa-venv`.")
    WORK.mkdir(parents=True, exist_ok=True)
    spec = WORK / "examples.json"
    out = WORK / "rankings.json"
    spec.write_text(json.dumps({"C": c, "examples": [
        {"text": e.text, "intent": e.intent, "fold": f} for e, f in zip(examples, folds, strict=True)]},
        ensure_ascii=False), encoding="utf-8")
    command = [str(python), str(COMPONENTS / "crossval_fit.py"), str(spec), str(out), "--workers", str(workers)]
    subprocess.run(command, env=rasa_env(batch=True), check=True)
    raw = json.loads(out.read_text(encoding="utf-8"))
    return {int(k): [(str(name), float(p)) for name, p in v] for k, v in raw.items()}


def gold_of(example: TrainingExample) -> Example:
    parts = example.intent.split("+")
    return Example(id=f"{example.path.name}:{example.line}", language=example.language, text=example.text,
                   categories=tuple(p for p in parts if p in CATEGORY_IDS), crisis=CRISIS in parts, deadline=False,
                   intent=example.intent if example.intent in DIALOGUE_INTENTS else None)


def _predict(example: TrainingExample, ranking: Ranking, policy: DecodePolicy) -> Predicted:
    parse = {"text": example.text, "intent_ranking": [{"name": n, "confidence": p} for n, p in ranking]}
    decoded = decode(parse, policy)
    if decoded.intent is not None:
        return Predicted((), decoded.crisis, False, decoded.intent, example.language)
    categories = with_keywords(decoded.categories, example.text, "union", decoded.scores, policy.keyword_floor)
    return Predicted(categories, decoded.crisis, False, None, example.language)


def _scored(examples: Sequence[TrainingExample], rankings: dict[int, Ranking], index: Sequence[int],
            policy: DecodePolicy) -> dict[str, Any]:
    return score([gold_of(examples[i]) for i in index], [_predict(examples[i], rankings[i], policy) for i in index])


def tune_thresholds(examples: Sequence[TrainingExample], rankings: dict[int, Ranking], index: Sequence[int],
                    policy: DecodePolicy) -> dict[str, float]:
    """One threshold per category, each the best F1 for its category with the ones before it fixed.

    The policy's own threshold is tried first and kept on a tie, so a category nothing decides stays put.
    """
    gold = [gold_of(examples[i]).categories for i in index]
    chosen: dict[str, float] = {}
    for category in CATEGORY_IDS:
        current = policy.threshold_for(category)
        best: tuple[float, float] | None = None
        for threshold in (current, *THRESHOLD_GRID):
            trial = replace(policy, category_thresholds={**policy.category_thresholds, **chosen, category: threshold})
            predicted = [_predict(examples[i], rankings[i], trial).categories for i in index]
            f1 = score_categories(gold, predicted, labels=[category])["macro_f1"]
            if best is None or f1 > best[0] + 1e-9:
                best = (f1, threshold)
        assert best is not None
        chosen[category] = best[1]
    return chosen


def _variants(tuned: dict[str, float]) -> list[tuple[str, Callable[[DecodePolicy], DecodePolicy]]]:
    return [
        ("shipped", lambda p: p),
        ("one threshold 0.3", lambda p: replace(p, category_thresholds={}, threshold=0.3)),
        ("thresholds fitted here", lambda p: replace(p, category_thresholds=tuned)),
        ("keywords ungated", lambda p: replace(p, keyword_floor=0.0)),
        ("keyword floor 0.02", lambda p: replace(p, keyword_floor=0.02)),
        ("keyword floor 0.1", lambda p: replace(p, keyword_floor=0.1)),
        ("crisis renormalised at 0.3", lambda p: replace(p, crisis_renormalise=0.3)),
        ("min confidence 0.3", lambda p: replace(p, min_confidence=0.3)),
        ("min confidence 0.5", lambda p: replace(p, min_confidence=0.5)),
    ]


def run_crossval(folds: int = 3, workers: int = 2, c: float = 30.0) -> int:
    examples = _examples()
    fold_of = _folds(examples, folds)
    rankings = fit_rankings(examples, fold_of, c=c, workers=workers)
    index = sorted(rankings)
    base = DecodePolicy()
    tuned = tune_thresholds(examples, rankings, index, base)
    rows = []
    for name, change in _variants(tuned):
        result = _scored(examples, rankings, index, change(base))
        rows.append({"variant": name, "macro_f1": result["macro_f1"],
                     "min_language_macro_f1": result["min_language_macro_f1"],
                     "per_language": {k: v["macro_f1"] for k, v in result["per_language"].items()},
                     "multi_issue_recall": result["multi_issue"]["recall"]})
    report = {"folds": folds, "examples_scored": len(index), "C": c, "thresholds_fitted": tuned, "variants": rows}
    (WORK / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nCross-validation: {len(index)} held-back examples in {folds} folds (nlu_*_extra*.yml)")
    print("thresholds fitted: " + ", ".join(f"{k} {v}" for k, v in tuned.items()))
    print(f"{'variant':28s} macro-F1  worst lang  multi-issue recall  per language")
    for row in rows:
        languages = " ".join(f"{k} {v:.2f}" for k, v in row["per_language"].items())
        print(f"{row['variant']:28s} {row['macro_f1']:.3f}     {row['min_language_macro_f1']:.3f}       "
              f"{row['multi_issue_recall']:.3f}               {languages}")
    print(f"\nReport: {WORK / 'report.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(run_crossval())
