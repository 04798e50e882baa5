"""Deadline precision / recall per language, model-free: ``python -m nlu.deadline_eval``.

Scores :func:`nlu.keywords.is_deadline` on the dates :func:`nlu.dates.find_dates` finds, which is what
both classifiers decide with (Rasa adds only the dates found inside the spans it tags). The sets:

- ``dev`` (``nlu/eval/deadline_dev/<lang>.jsonl``): 60 messages per language written for tuning the
  rule, each with a ``kind`` (a date, a weekday, a relative day, "within N days", a future event, a
  month's end, a deadline after past narration; or a past date, a duration, a date of birth, an
  appointment already gone, no date). Tune on this one only.
- ``heldout`` (``nlu/eval/heldout/*.jsonl``, splits A, B and C, annotated apart): report, never tune.
  Its errors were read once, for their kind, on one half only (``--part analysis``, by a hash of the
  message id); the other half (``--part check``) was not read, so it says how far those fixes carry.
- ``fresh`` (``nlu/eval/deadline_fresh/<lang>.jsonl``): 60 messages per language with the dev set's kinds
  plus a recurring date and an age, written blind to the rule before any rule change of this round:
  report, never tune on it.
- ``dev2`` (``nlu/eval/deadline_dev2/<lang>_e.jsonl``, split E): written from split D's brief by two other
  helpers, told the day dates are read against: the same kinds in real-client style, to tune on for them.
- ``d`` (``nlu/eval/deadline_d/<lang>_d.jsonl``, held-out split D): 60 messages per language in real-client
  style, each language written on its own (no shared scenarios), blind to the rule, committed before it was
  first scored, after every other set's errors had been read: the one figure no rule change has seen.
  Report, never tune on it.
- ``g`` (``nlu/eval/deadline_g/<lang>_g.jsonl``, held-out split G): written like D by five other helpers, told
  the day dates are read against, committed before it was first scored and before any rule change of stop 29.
  Report, never tune on it.
- ``dev3`` (``nlu/eval/deadline_dev3/<lang>_f.jsonl``, split F): written like G by other helpers, after G was
  committed: the same kinds, to tune on once split E's errors had all been read.
- ``dev4`` (``nlu/eval/deadline_dev4/<lang>_h.jsonl``, split H): written like F, one helper per language (eight in
  stop 29, Somali and Urdu in stop 30): the set stop 30 tuned on.
- ``dev5`` (``nlu/eval/deadline_dev5/<lang>_j.jsonl``, split J): written like H by five more helpers in stop 30,
  after split I was committed: the same kinds, to tune on once H's errors had been read.
- ``dev6`` (``nlu/eval/deadline_dev6/<lang>_k.jsonl``, split K): the same again, five more helpers, written while J
  was being tuned on.
- ``dev7`` (``nlu/eval/deadline_dev7/<lang>_l.jsonl``, split L) and ``dev8`` (``nlu/eval/deadline_dev8``, split M:
  Arabic and Somali only): the same again, written while K was being tuned on; ``dev9`` (split N), while L and M
  were; ``dev10`` (split O), while N was; ``dev11`` (split P), while O was; ``dev12`` (split Q: ar, bn, cy, so,
  ur), last; ``dev13`` (split R: ar, bn, cy, pt, so, ur), in stop 31, with the blind split S; ``dev14`` (split T,
  ten languages) and ``dev15`` (split U: ar, bn, cy, en, pl, ro), after S's first reading; ``dev16`` (split V, ten
  languages), while T and U were tuned on; ``dev17`` (split W: ar, bn, cy, en, ro, so), with V; ``dev18`` (split X,
  ten languages); ``dev19`` (split Y: seven languages, no ar, so or uk), last.
- ``i`` (``nlu/eval/deadline_i/<lang>_i.jsonl``, held-out split I): written like G by five other helpers from G's
  brief, committed before it was first scored and before any rule change of stop 30 was scored on it. Report,
  never tune on it.
- ``s`` (``nlu/eval/deadline_s/<lang>_s.jsonl``, held-out split S): written like I by five more helpers at the
  start of stop 31, 120 messages per language (50 deadlines), so that one message moves a figure half as much.
  Report, never tune on it.

Dates in every set are read against a fixed day (``TODAY``) so that a figure does not move with the
calendar. ``--errors`` lists the false positives and negatives, to be read for their kind of error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from nlu.dates import find_dates
from nlu.deadlines import explain, is_deadline
from nlu.keywords import is_crisis
from nlu.metrics import prf, read_jsonl

__all__ = ["BLIND_SETS", "TODAY", "Case", "load_cases", "main", "part_of", "predict", "score"]

TODAY = dt.date(2026, 12, 1)  # a Tuesday: the day the dev set's relative dates were written against
_EVAL = Path(__file__).resolve().parent / "eval"
SETS = {"dev": _EVAL / "deadline_dev", "dev2": _EVAL / "deadline_dev2", "heldout": _EVAL / "heldout",
        "fresh": _EVAL / "deadline_fresh", "d": _EVAL / "deadline_d", "g": _EVAL / "deadline_g",
        "dev3": _EVAL / "deadline_dev3", "dev4": _EVAL / "deadline_dev4", "i": _EVAL / "deadline_i",
        "dev5": _EVAL / "deadline_dev5", "dev6": _EVAL / "deadline_dev6",
        "dev7": _EVAL / "deadline_dev7", "dev8": _EVAL / "deadline_dev8", "dev9": _EVAL / "deadline_dev9",
        "dev10": _EVAL / "deadline_dev10", "dev11": _EVAL / "deadline_dev11",
        "dev12": _EVAL / "deadline_dev12", "dev13": _EVAL / "deadline_dev13",
        "dev14": _EVAL / "deadline_dev14", "dev15": _EVAL / "deadline_dev15",
        "dev16": _EVAL / "deadline_dev16", "dev17": _EVAL / "deadline_dev17",
        "dev18": _EVAL / "deadline_dev18", "dev19": _EVAL / "deadline_dev19", "s": _EVAL / "deadline_s"}
BLIND_SETS = frozenset({"d", "g", "i", "s"})  # their errors are never listed: a listed error gets tuned on


@dataclass(frozen=True)
class Case:
    id: str
    language: str
    text: str
    deadline: bool
    kind: str = ""


def load_cases(folder: Path) -> list[Case]:
    """Every line of every ``*.jsonl`` in ``folder`` (``id``, ``language``, ``text``, ``deadline``, ``kind``)."""
    return read_jsonl(folder, lambda _path, row: Case(
        str(row["id"]), str(row["language"]), str(row["text"]), bool(row["deadline"]), str(row.get("kind") or "")))


def part_of(case: Case) -> str:
    """``analysis`` or ``check``: a stable half of the held-out messages, by the hash of the id."""
    return "analysis" if hashlib.sha256(case.id.encode()).digest()[0] % 2 == 0 else "check"


def predict(case: Case, today: dt.date = TODAY) -> bool:
    """The deadline decision for one message, as the keyword classifier makes it (its crisis phrases too)."""
    return is_deadline(case.text, case.language, find_dates(case.text, case.language, today), today,
                       crisis=is_crisis(case.text))


def score(cases: Sequence[Case], predicted: Sequence[bool]) -> dict[str, dict[str, float]]:
    """Precision, recall, F1, support per language and ``"all"``."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for case, guess in zip(cases, predicted, strict=True):
        for key in (case.language, "all"):
            tp_fp_fn = counts[key]
            if guess and case.deadline:
                tp_fp_fn[0] += 1
            elif guess:
                tp_fp_fn[1] += 1
            elif case.deadline:
                tp_fp_fn[2] += 1
    return {key: prf(*value) for key, value in sorted(counts.items(), key=lambda kv: (kv[0] == "all", kv[0]))}


def _table(scores: dict[str, dict[str, float]]) -> str:
    lines = ["| language (support) | precision | recall | F1 |", "| --- | --- | --- | --- |"]
    lines += [f"| {lang} ({int(s['support'])}) | {s['precision']:.2f} | {s['recall']:.2f} | {s['f1']:.2f} |"
              for lang, s in scores.items()]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlu.deadline_eval", description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=sorted(SETS), default="dev",
                        help="dev, dev2 to dev19 (tune on them); heldout, fresh, d, g, i or s (report)")
    parser.add_argument("--errors", action="store_true", help="list false positives and false negatives")
    parser.add_argument("--language", help="only this language")
    parser.add_argument("--part", choices=["analysis", "check"], help="only this half (see above)")
    args = parser.parse_args(argv)
    if args.errors and args.set in BLIND_SETS:
        parser.error(f"--errors is refused on the blind set {args.set!r}: report its figures, never read its errors")
    cases = [c for c in load_cases(SETS[args.set])
             if args.language in (None, c.language) and args.part in (None, part_of(c))]
    predicted = [predict(case) for case in cases]
    print(_table(score(cases, predicted)))
    if args.errors:
        for case, guess in zip(cases, predicted, strict=True):
            if guess != case.deadline:
                label = "FP" if guess else "FN"
                print(f"{label} {case.id} {case.kind or '-'}: {case.text}")
                dates = find_dates(case.text, case.language, TODAY)
                for line in explain(case.text, case.language, dates, TODAY, crisis=is_crisis(case.text)):
                    print(f"    {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
