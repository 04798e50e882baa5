"""The packaged demo directory: fictional organisations so Frontdoor can be tried without real data."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from directory.files import read_json
from directory.importer import ImportReport, import_directory

__all__ = ["DEMO_FILE", "load_demo"]

DEMO_FILE = Path(__file__).parent / "data" / "demo_directory.json"


def load_demo(session: Session) -> ImportReport:
    """Upsert the demo directory (in the caller's transaction); running it again changes nothing."""
    return import_directory(session, read_json(DEMO_FILE), file=DEMO_FILE.name)
