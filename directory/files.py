"""Reading directory files safely: size, nesting and encoding are checked before anything is parsed.

A file that is too large, empty, nested too deeply or not UTF-8 JSON is refused
with one clear problem; nothing here raises anything but DirectoryImportError.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from directory.problems import DirectoryImportError, Problem

__all__ = ["DEFAULT_LIMITS", "Limits", "read_csv", "read_json"]


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20_000_000  # one file; the demo directory is 0.3 MB
    max_depth: int = 32  # JSON nesting; Frontdoor's own format needs 6, HSDS's nested API JSON about 10


DEFAULT_LIMITS = Limits()
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")


def _fail(file: Path, message: str) -> DirectoryImportError:
    return DirectoryImportError([Problem(str(file), "", None, "", message)])


def _read_bytes(file: Path, limits: Limits, *, allow_empty: bool = False) -> bytes:
    try:
        size = file.stat().st_size
        if size > limits.max_bytes:
            raise _fail(file, f"is {size / 1e6:.1f} MB; the most allowed is {limits.max_bytes / 1e6:g} MB")
        raw = file.read_bytes()
    except OSError as exc:
        raise _fail(file, f"cannot read the file ({exc.strerror or exc})") from exc
    if not raw.strip() and not allow_empty:
        raise _fail(file, "is empty; nothing imported (an empty file never clears the directory)")
    return raw


def _deepest(raw: bytes, limit: int) -> int | None:
    """Byte offset where nesting first passes ``limit``, or None; strings are skipped, not parsed."""
    depth = 0
    blanked = _STRINGS.sub(lambda m: b" " * len(m.group()), raw)
    for match in _BRACKETS.finditer(blanked):
        depth += 1 if match.group() in (b"[", b"{") else -1
        if depth > limit:
            return match.start()
    return None


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"the key {key!r} appears twice in one object")
        out[key] = value
    return out


def _no_constants(name: str) -> None:
    raise ValueError(f"{name} is not allowed in JSON")


def read_json(path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> object:
    """Parse a JSON file within ``limits``; every way it can be unreadable becomes a DirectoryImportError."""
    file = Path(path)
    raw = _read_bytes(file, limits)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        where = f"byte {raw[exc.start]:#04x} at offset {exc.start}"
        raise _fail(file, f"not UTF-8 text ({where}); save it as UTF-8") from exc
    if (offset := _deepest(raw, limits.max_depth)) is not None:
        line = raw.count(b"\n", 0, offset) + 1
        raise _fail(file, f"line {line}: nested more than {limits.max_depth} levels deep; not a directory file")
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise _fail(file, f"line {exc.lineno} column {exc.colno}: invalid JSON ({exc.msg})") from exc
    except ValueError as exc:
        raise _fail(file, str(exc)) from exc
    except RecursionError as exc:  # the depth check above should make this unreachable
        raise _fail(file, "nested too deeply; not a directory file") from exc


def read_csv(path: Path, limits: Limits = DEFAULT_LIMITS) -> list[dict[str, Any]]:
    """Rows of one CSV table; each row's ``_at`` says "file row N" for messages."""
    raw = _read_bytes(path, limits, allow_empty=True)
    try:
        rows = csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
        return [
            {**{key.strip(): value for key, value in row.items() if key}, "_at": f"{path.name} row {number}"}
            for number, row in enumerate(rows, start=2)
        ]
    except (UnicodeDecodeError, csv.Error) as exc:
        raise _fail(path, f"cannot read it as UTF-8 CSV ({exc})") from exc
