"""What can be wrong with a directory file, said so an admin can find and fix it.

Every problem names the file, the record (its place in the file and its id) and
the field. pydantic's errors are reworded here once, so all messages read alike.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

__all__ = ["DirectoryImportError", "Problem", "describe", "json_kind", "path_text", "problems_from"]


@dataclass(frozen=True)
class Problem:
    file: str  # "" when the data did not come from a file
    record: str  # where the record sits, e.g. "services[3]"; "" for the whole document
    record_id: str | None
    field: str  # inside the record, e.g. "phones[0].number"; "" for the record itself
    message: str

    def __str__(self) -> str:
        parts = [self.file] if self.file else []
        if self.record:
            parts.append(f"{self.record} (id {self.record_id!r})" if self.record_id else self.record)
        if self.field:
            parts.append(self.field)
        return ": ".join([*parts, self.message]) if parts else self.message


class DirectoryImportError(Exception):
    """Every problem found in one import attempt; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        self.errors = [str(p) for p in self.problems]
        more = f"; and {len(self.errors) - 3} more" if len(self.errors) > 3 else ""
        super().__init__(f"{len(self.errors)} problem(s): " + "; ".join(self.errors[:3]) + more)


def json_kind(value: object) -> str:
    """How a JSON value looks to the person who wrote it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    names = {str: "a string", int: "a number", float: "a number", list: "a list", dict: "an object"}
    return next((n for t, n in names.items() if isinstance(value, t)), type(value).__name__)


def path_text(parts: tuple[int | str, ...] | list[int | str]) -> str:
    """("phones", 0, "number") -> "phones[0].number"."""
    out = ""
    for part in parts:
        if part == "[key]":  # pydantic's marker for a bad dict key: the key itself is already in the path
            continue
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_WANTED = {"string_type": "a string", "int_type": "a whole number", "float_type": "a number",
           "bool_type": "true or false", "list_type": "a list", "model_type": "an object", "dict_type": "an object",
           "model_attributes_type": "an object", "int_from_float": "a whole number"}


def _fields_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> tuple[str, ...]:
    """The field names allowed at ``loc`` inside ``model`` (for "did you mean")."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            continue
        info = current.model_fields.get(part)
        if info is None:
            return ()
        current = info.annotation
        while get_origin(current) is not None and not (isinstance(current, type) and issubclass(current, BaseModel)):
            args = [a for a in get_args(current) if a is not type(None)]
            current = args[-1] if args else None
    return tuple(current.model_fields) if isinstance(current, type) and issubclass(current, BaseModel) else ()


def describe(error: ErrorDetails, model: type[BaseModel]) -> str:
    """One pydantic error as a sentence an admin can act on."""
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(str(error["loc"][-1]), _fields_at(model, error["loc"][:-1]), n=1)
        return "unknown field" + (f" (did you mean {close[0]!r}?)" if close else "")
    if kind in _WANTED:
        return "must not be null" if value is None else f"must be {_WANTED[kind]}, not {json_kind(value)}"
    if kind == "string_too_long":
        return f"is {len(value)} characters long; the most allowed is {ctx['max_length']}"
    if kind == "literal_error":
        return f"{value!r} is not one of {ctx['expected'].replace(chr(39), '')}".replace(" or ", ", ")
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = f"at least {ctx['ge']:g}" if "ge" in ctx else f"at most {ctx['le']:g}"
        return f"must be {bound}, not {value}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "finite_number":
        return "must be a finite number"
    return str(error["msg"])


def problems_from(exc: ValidationError, model: type[BaseModel], *, file: str, record: str,
                  record_id: str | None) -> list[Problem]:
    return [Problem(file, record, record_id, path_text(list(e["loc"])), describe(e, model)) for e in exc.errors()]
