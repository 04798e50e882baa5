"""The directory's generation: a number that goes up with every change matching can see.

Whatever writes matchable data (an import, a publish, a revert) calls :func:`bump` in the same
transaction, so the new number becomes visible exactly when the change does. Every process's
matcher cache reads :func:`current` (one primary-key read) before a match and rebuilds its index
when the number moved: another web worker's publish is matched on at once, with no messages
between processes.
"""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from directory.models import DirectoryGeneration

__all__ = ["bump", "current"]

_ROW = 1


def current(session: Session) -> int:
    """The generation now (0 before the first change)."""
    return session.scalar(select(DirectoryGeneration.generation).where(DirectoryGeneration.id == _ROW)) or 0


def bump(session: Session) -> None:
    """Count one change, in the caller's transaction (on PostgreSQL this holds the row until commit)."""
    if session.execute(update(DirectoryGeneration).where(DirectoryGeneration.id == _ROW)
                       .values(generation=DirectoryGeneration.generation + 1)).rowcount == 0:  # type: ignore[attr-defined]
        session.execute(insert(DirectoryGeneration).values(id=_ROW, generation=1))
