"""Facts stated once: the language table, and where web handlers find the runtime."""

from __future__ import annotations

import re
from pathlib import Path

from core.languages import LANGUAGE_CODES, LANGUAGES
from nlu import dates, language

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "core", "directory", "frontdoor", "nlu", "referrals")


def _python_files() -> list[Path]:
    return [path for package in PACKAGES for path in (ROOT / package).rglob("*.py")
            if "migrations" not in path.parts and "rasa_project" not in path.parts]


def test_nlu_reads_the_one_language_table() -> None:
    assert language.SUPPORTED == LANGUAGE_CODES
    assert dates.LANGUAGE_CODES is LANGUAGE_CODES
    latin = {lang.code for lang in LANGUAGES if lang.script == "Latn"} - {"en"}
    assert latin == language._LATIN_SUPPORTED  # noqa: SLF001 - the derived set is the point


def test_no_module_but_core_languages_lists_the_ten_codes() -> None:
    listing = re.compile(r'\(\s*"en",\s*"cy",\s*"pl"')
    found = [str(p.relative_to(ROOT)) for p in _python_files() if listing.search(p.read_text(encoding="utf-8"))]
    assert found == []


def test_one_helper_reads_the_runtime_for_the_web_shell() -> None:
    readers = [str(p.relative_to(ROOT)) for p in _python_files()
               if 'runtime_holder["runtime"]' in p.read_text(encoding="utf-8")]
    assert readers == ["frontdoor/web/context.py"]
    assert not [p for p in _python_files() if re.search(r"^def _runtime\(", p.read_text(encoding="utf-8"), re.M)]
