"""Check the NLU training data before Rasa sees it: ``python -m nlu.data_check``.

Rasa accepts almost any intent name, so a typo ("housing+debt" beside
"debt+housing", "domestic-abuse") silently becomes a new class that splits the
training examples of a real one. This check holds the data to the rules the
decoder (``nlu/decode.py``) relies on, and to the coverage issue 4 asks for:

- an intent is a dialogue intent, or ``crisis`` and/or category ids joined by
  "+", each once, in the order of :data:`core.categories.CATEGORY_IDS`
  (``crisis`` first);
- every file is ``nlu_<lang>[_<part>].yml`` for a supported language;
- no example appears twice in one language, nor with two intents (case and
  spacing folded);
- every category has at least 60 examples across languages and at least 20 in
  each language (an example counts for each category its intent names).

It prints counts per language and category, and exits 1 with the problems.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from core.categories import CATEGORY_IDS
from core.languages import LANGUAGE_CODES as SUPPORTED_LANGUAGES
from nlu.decode import CRISIS, DIALOGUE_INTENTS
from nlu.server import DATA_DIR, training_files

__all__ = ["DataReport", "check", "fold", "intent_problem", "main", "read_examples"]

MIN_PER_CATEGORY = 60
MIN_PER_CATEGORY_LANGUAGE = 20
_ORDER = {name: i for i, name in enumerate((CRISIS, *CATEGORY_IDS))}
_FILE = re.compile(r"^nlu_([a-z]{2})(?:_[a-z0-9]+)?\.ya?ml$")
_INTENT = re.compile(r"^- intent:\s*(\S+)\s*$")
_EXAMPLE = re.compile(r"^\s+-\s+(.*)$")
_ANNOTATION = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}")


@dataclass(frozen=True)
class TrainingExample:
    path: Path
    line: int
    language: str
    intent: str
    text: str  # entity markup removed


@dataclass
class DataReport:
    examples: list[TrainingExample]
    problems: list[str]

    def per_category(self) -> Counter[tuple[str, str]]:
        """(language, category) -> examples naming that category."""
        counts: Counter[tuple[str, str]] = Counter()
        for example in self.examples:
            for part in example.intent.split("+"):
                if part in CATEGORY_IDS:
                    counts[(example.language, part)] += 1
        return counts


def intent_problem(intent: str) -> str | None:
    """Why ``intent`` breaks the naming rules, or None when it is fine."""
    if intent in DIALOGUE_INTENTS:
        return None
    parts = intent.split("+")
    unknown = [p for p in parts if p not in _ORDER]
    if unknown:
        return f"unknown intent part(s) {', '.join(unknown)}"
    if len(set(parts)) != len(parts):
        return "a part is repeated"
    canonical = "+".join(sorted(parts, key=_ORDER.__getitem__))
    if canonical != intent:
        return f"write it as {canonical}"
    return None


def plain_text(example: str) -> str:
    """An example as the client wrote it: entity markup removed, quotes stripped."""
    return _ANNOTATION.sub(lambda m: m.group(1) or m.group(2) or "", example).strip().strip('"').strip()


def fold(text: str) -> str:
    """The form two texts are compared in: lower case, runs of white space as one space."""
    return " ".join(text.lower().split())


def file_language(path: Path) -> str | None:
    """The supported language a training file is named for (``nlu_pl_more.yml`` -> "pl"), else None."""
    match = _FILE.match(path.name)
    return match.group(1) if match and match.group(1) in SUPPORTED_LANGUAGES else None


def read_examples(path: Path) -> Iterator[TrainingExample | str]:
    """The examples of one Rasa NLU file, or a problem string for each line that cannot be read."""
    language = file_language(path) or ""
    intent: str | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        head = _INTENT.match(line)
        if head:
            intent = head.group(1)
            continue
        body = _EXAMPLE.match(line)
        if body and intent is not None:
            text = plain_text(body.group(1))
            if not text:
                yield f"{path.name}:{number}: empty example"
            else:
                yield TrainingExample(path, number, language, intent, text)


def check(data_dir: Path = DATA_DIR) -> DataReport:
    import yaml  # a dev dependency: only the checks and the tests read the training files

    examples: list[TrainingExample] = []
    problems: list[str] = []
    seen: dict[str, TrainingExample] = {}
    for path in training_files(data_dir):
        if file_language(path) is None:
            problems.append(f"{path.name}: name it nlu_<lang>[_<part>].yml with a supported language")
            continue
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            problems.append(f"{path.name}: not valid YAML ({exc})")
            continue
        if not isinstance(loaded, dict) or not isinstance(loaded.get("nlu"), list):
            problems.append(f"{path.name}: no 'nlu:' list")
            continue
        yaml_intents = {str(block.get("intent")) for block in loaded["nlu"] if isinstance(block, dict)}
        read_intents: set[str] = set()
        for item in read_examples(path):
            if isinstance(item, str):
                problems.append(item)
                continue
            problem = intent_problem(item.intent)
            if problem:
                problems.append(f"{path.name}:{item.line}: intent {item.intent}: {problem}")
            key = fold(item.text)
            first = seen.setdefault(key, item)
            # "stop" or "ok" may be the same word in two languages; the same text twice in one, or with
            # two intents, is a mistake
            if first is not item and (first.language == item.language or first.intent != item.intent):
                problems.append(f"{path.name}:{item.line}: repeats {first.path.name}:{first.line}")
            examples.append(item)
            read_intents.add(item.intent)
        if read_intents != yaml_intents - {"None"}:
            problems.append(f"{path.name}: an intent block has no examples or the layout is off")
    report = DataReport(examples, problems)
    _coverage(report)
    return report


def _coverage(report: DataReport) -> None:
    counts = report.per_category()
    for category in CATEGORY_IDS:
        total = sum(counts[(lang, category)] for lang in SUPPORTED_LANGUAGES)
        if total < MIN_PER_CATEGORY:
            report.problems.append(f"{category}: {total} examples, at least {MIN_PER_CATEGORY} needed")
        for lang in SUPPORTED_LANGUAGES:
            if counts[(lang, category)] < MIN_PER_CATEGORY_LANGUAGE:
                report.problems.append(f"{category} in {lang}: {counts[(lang, category)]} examples, "
                                       f"at least {MIN_PER_CATEGORY_LANGUAGE} needed")


def _table(report: DataReport) -> str:
    counts = report.per_category()
    languages = list(SUPPORTED_LANGUAGES)
    rows = ["category".ljust(20) + "".join(lang.rjust(5) for lang in languages) + "  total"]
    for category in CATEGORY_IDS:
        cells = [counts[(lang, category)] for lang in languages]
        rows.append(category.ljust(20) + "".join(str(c).rjust(5) for c in cells) + str(sum(cells)).rjust(7))
    per_language = Counter(e.language for e in report.examples)
    rows.append("all examples".ljust(20) + "".join(str(per_language[lang]).rjust(5) for lang in languages)
                + str(len(report.examples)).rjust(7))
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    report = check(Path(args[0]) if args else DATA_DIR)
    print(_table(report))
    for problem in report.problems:
        print("problem:", problem)
    print(f"{len(report.examples)} examples, {len(report.problems)} problems")
    return 1 if report.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
