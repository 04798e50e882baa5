"""The sign-off table in locales/README.md, the REVIEWED files and the draft marks agree.

A network reads that table to decide which languages are ready for real clients, so it
must never claim a sign-off the catalog does not carry, nor miss a language.
"""

from __future__ import annotations

import re

import pytest

from bot.i18n import DOMAIN, LOCALES_DIR
from core.languages import LANGUAGE_CODES

README = LOCALES_DIR / "README.md"
ROW = re.compile(r"^\|[^|]+\|\s*`(?P<code>[a-z]{2})`\s*\|(?P<by>[^|]*)\|(?P<date>[^|]*)\|\s*(?P<ready>yes|no)\s*\|$")
DRAFT = "# Draft translation"


def _table() -> dict[str, dict[str, str]]:
    section = README.read_text(encoding="utf-8").split("## Sign-off", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = ROW.match(line.strip())
        if match:
            rows[match["code"]] = {k: v.strip() for k, v in match.groupdict().items()}
    return rows


def test_every_language_has_a_row() -> None:
    assert sorted(_table()) == sorted(LANGUAGE_CODES)


@pytest.mark.parametrize("language", [c for c in LANGUAGE_CODES if c != "en"])
def test_ready_means_signed_reviewed_and_no_drafts(language: str) -> None:
    row = _table()[language]
    catalog = (LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po").read_text(encoding="utf-8")
    reviewed = (LOCALES_DIR / language / "REVIEWED").exists()
    if row["ready"] == "yes":
        assert row["by"] and row["date"], f"{language}: ready without who and when"
        assert reviewed and DRAFT not in catalog, f"{language}: marked ready but the catalog still has drafts"
    else:
        assert not reviewed, f"{language}: REVIEWED exists but the table says not ready"
        assert DRAFT in catalog, f"{language}: no drafts left; sign it off in the table"
