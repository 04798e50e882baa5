"""The packaged demo directory: fictional organisations so Frontdoor can be tried without real data."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from directory.hsds import ImportReport, import_directory, load_file

__all__ = ["DEMO_FILE", "load_demo"]

DEMO_FILE = Path(__file__).parent / "data" / "demo_directory.json"


def load_demo(session: Session) -> ImportReport:
    """Replace the directory with the demo one (in the caller's transaction); safe to run again."""
    return import_directory(session, load_file(DEMO_FILE), replace=True)
