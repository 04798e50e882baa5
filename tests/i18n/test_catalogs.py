"""The translation catalogs stay right: current, complete, placeholder-safe, compilable.

These checks fail the build when a string in the code is missing from the
template, when any of the ten languages lacks a translation, or when a
translation loses, adds or renames a placeholder.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from bot.i18n import DOMAIN, LOCALES_DIR
from core.languages import LANGUAGE_CODES

ROOT = LOCALES_DIR.parent
SOURCES = ("bot", "core", "directory", "frontdoor", "nlu", "referrals")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")
REVIEW_NOTE = "needs review by a native speaker"


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _catalog(language: str) -> Catalog:
    path = LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    assert path.exists(), f"no catalog for {language}: {path}"
    return _read(path, language)


def _messages(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]


def _strings(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple | list) else [message.string or ""]


def _sources(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple | list) else [message.id]


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_template_is_current() -> None:
    """Every translatable string in the code is in locales/frontdoor.pot, and nothing stale is."""
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    in_code: set[str] = set()
    for source in SOURCES:
        for _file, _line, message, _comments, _context in extract_from_dir(
                str(ROOT / source), method_map=[("**.py", "python")], keywords=keywords):
            in_code.add(message[0] if isinstance(message, tuple | list) else message)
    template = {m.id[0] if isinstance(m.id, tuple | list) else m.id for m in _messages(_read(LOCALES_DIR /
                                                                                              f"{DOMAIN}.pot"))}
    assert in_code - template == set(), "strings missing from the template: run `make catalogs`"
    assert template - in_code == set(), "stale strings in the template: run `make catalogs`"


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_catalog_is_complete(language: str) -> None:
    template_ids = {m.id if isinstance(m.id, str) else tuple(m.id)
                    for m in _messages(_read(LOCALES_DIR / f"{DOMAIN}.pot"))}
    catalog = _catalog(language)
    ids = {m.id if isinstance(m.id, str) else tuple(m.id) for m in _messages(catalog)}
    assert template_ids <= ids, f"{language}: messages missing: {sorted(map(str, template_ids - ids))[:5]}"
    untranslated = [m.id for m in _messages(catalog) if not all(s.strip() for s in _strings(m))]
    assert untranslated == [], f"{language}: untranslated: {untranslated[:5]}"
    fuzzy = [m.id for m in _messages(catalog) if m.fuzzy]
    assert fuzzy == [], f"{language}: fuzzy messages are left out of the compiled catalog: {fuzzy[:5]}"


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_plural_forms_follow_cldr(language: str) -> None:
    catalog = _catalog(language)
    expected = get_plural(language)
    assert (catalog.num_plurals, catalog.plural_expr) == (expected.num_plurals, expected.plural_expr)
    for message in _messages(catalog):
        if isinstance(message.id, tuple | list):
            assert len(_strings(message)) == catalog.num_plurals, f"{language}: {message.id[0]!r}"


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_translations_keep_their_placeholders(language: str) -> None:
    problems = []
    for message in _messages(_catalog(language)):
        sources = _sources(message)
        expected = _placeholders(sources[0])
        assert all(_placeholders(s) == expected for s in sources), f"source forms differ: {sources}"
        for translated in _strings(message):
            if _placeholders(translated) != expected:
                problems.append((sources[0][:60], _placeholders(translated), expected))
    assert problems == [], f"{language}: placeholders changed: {problems[:5]}"


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_catalog_compiles_and_passes_babel_checks(language: str) -> None:
    catalog = _catalog(language)
    errors = [(message.id, [str(e) for e in errs]) for message, errs in catalog.check()]
    assert errors == [], f"{language}: {errors[:5]}"
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    assert len(buffer.getvalue()) > 1000


@pytest.mark.parametrize("language", [code for code in LANGUAGE_CODES if code != "en"])
def test_drafted_translations_are_marked_for_review(language: str) -> None:
    """Machine- or engineer-drafted text says so until a native speaker has checked it."""
    unmarked = [m.id for m in _messages(_catalog(language))
                if not any(REVIEW_NOTE in c for c in (*m.user_comments, *m.auto_comments))]
    reviewed = (LOCALES_DIR / language / "REVIEWED").exists()
    assert reviewed or unmarked == [], f"{language}: drafted messages without a review note: {unmarked[:3]}"
