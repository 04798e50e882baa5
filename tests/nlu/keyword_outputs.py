"""The keyword classifier's output on every training and held-out message, as a committed fixture.

Moving the phrase tables out of Python must not change a single answer, so the output of the
classifier before the move is stored in ``fixtures/keyword_outputs.json.gz`` (message key ->
the result with the message's language and with ``language=None``) and
``test_phrases_data.py`` recomputes it. After an intended change to the phrases or the
classifier, rewrite it and read the list of changed messages it prints::

    .venv/bin/python -m tests.nlu.keyword_outputs --write
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nlu.data_check import TrainingExample, read_examples
from nlu.keywords import KeywordClassifier
from nlu.result import NluResult
from nlu.server import DATA_DIR, training_files

ROOT = Path(__file__).resolve().parents[2]
HELDOUT_DIR = ROOT / "nlu" / "eval" / "heldout"
FIXTURE = Path(__file__).parent / "fixtures" / "keyword_outputs.json.gz"
TODAY = dt.date(2026, 11, 24)  # a Tuesday; relative dates ("next friday") depend on it

Output = dict[str, Any]


def messages() -> Iterator[tuple[str, str]]:
    """(language, text) of every training example and held-out message, each pair once."""
    seen: set[tuple[str, str]] = set()
    for path in training_files(DATA_DIR):
        for item in read_examples(path):
            if isinstance(item, TrainingExample) and (item.language, item.text) not in seen:
                seen.add((item.language, item.text))
                yield item.language, item.text
    for path in sorted(HELDOUT_DIR.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                pair = (str(row["language"]), str(row["text"]))
                if pair not in seen:
                    seen.add(pair)
                    yield pair


def key(language: str, text: str) -> str:
    """The fixture key of a message: no text in the fixture, the first 64 bits of its SHA-1."""
    return hashlib.sha1(f"{language}\n{text}".encode()).hexdigest()[:16]


def _plain(result: NluResult) -> Output:
    return {"categories": list(result.categories), "crisis": result.crisis, "deadline": result.deadline,
            "dates": [[found.value.isoformat(), found.text] for found in result.dates],
            "language": result.language, "intent": result.intent, "confidence": result.confidence,
            "source": result.source}


def outputs() -> dict[str, dict[str, Output]]:
    """key -> {"lang": result with the message's language, "none": result with language=None}.

    "none" is left out when it equals "lang" (most messages: only the dates can differ).
    """
    classifier = KeywordClassifier()
    table: dict[str, dict[str, Output]] = {}
    for language, text in messages():
        with_language = _plain(classifier.classify_sync(text, language=language, today=TODAY))
        without = _plain(classifier.classify_sync(text, language=None, today=TODAY))
        entry = {"lang": with_language} if without == with_language else {"lang": with_language, "none": without}
        if table.setdefault(key(language, text), entry) is not entry:
            raise ValueError(f"two messages share the key {key(language, text)}")
    return table


def load_fixture() -> dict[str, dict[str, Output]]:
    with gzip.open(FIXTURE, "rt", encoding="utf-8") as handle:
        stored: dict[str, dict[str, Output]] = json.load(handle)
    return stored


def write_fixture(table: dict[str, dict[str, Output]]) -> None:
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps(table, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    with FIXTURE.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(body.encode())  # mtime=0: the same outputs give the same bytes


def main(argv: list[str]) -> int:
    table = outputs()
    old = load_fixture() if FIXTURE.exists() else {}
    changed = sorted(k for k in table if k in old and old[k] != table[k])
    for language, text in messages():
        if key(language, text) in changed:
            print(f"changed [{language}] {text}")
    print(f"{len(table)} messages, {len(changed)} changed, {len(set(table) - set(old))} new, "
          f"{len(set(old) - set(table))} gone")
    if "--write" in argv:
        write_fixture(table)
        print(f"wrote {FIXTURE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
