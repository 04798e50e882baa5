"""Keep the gettext catalogs in step with the code (``make catalogs`` runs this).

``update`` merges the extracted template into every catalog, creates missing
ones for the supported languages, and fills the English catalog from the
source strings (English is written in the code, so it is always complete).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from bot.i18n import DOMAIN, LOCALES_DIR
from core.languages import LANGUAGE_CODES

__all__ = ["load_catalog", "update_catalogs"]

TEMPLATE = LOCALES_DIR / f"{DOMAIN}.pot"
LANGUAGES_WITH_CATALOGS = LANGUAGE_CODES  # every supported language gets a catalog created if missing


def load_catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _without_generator(po: bytes) -> list[bytes]:
    return [line for line in po.splitlines() if not line.startswith(b'"Generated-By: ')]


def _save(catalog: Catalog, path: Path) -> None:
    """Write ``catalog``, unless only the Babel version in its header would change (no git noise)."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=False, omit_header=False, include_previous=True)
    if path.exists() and _without_generator(path.read_bytes()) == _without_generator(buffer.getvalue()):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def _po_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _fill_english(catalog: Catalog) -> None:
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            message.string = (message.id[0], message.id[1])
        else:
            message.string = message.id
        message.flags.discard("fuzzy")


def _messages_of(catalog: Catalog) -> list[tuple[object, object, tuple[str, ...]]]:
    return [(m.id, m.context, tuple(m.auto_comments)) for m in catalog if m.id]


def adopt_template(fresh: Path) -> bool:
    """Replace the template with a fresh extraction only when its messages changed.

    A new extraction differs in its creation date alone on most runs; keeping the
    old file then keeps every catalog byte-for-byte unchanged, so ``make`` leaves
    no noise in git.
    """
    if TEMPLATE.exists() and _messages_of(load_catalog(TEMPLATE)) == _messages_of(load_catalog(fresh)):
        fresh.unlink()
        return False
    fresh.replace(TEMPLATE)
    return True


def update_catalogs() -> list[str]:
    template = load_catalog(TEMPLATE)
    languages = sorted({*LANGUAGES_WITH_CATALOGS, *(p.name for p in LOCALES_DIR.iterdir() if p.is_dir())})
    for language in languages:
        path = _po_path(language)
        if path.exists():
            catalog = load_catalog(path, language)
            catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        else:
            catalog = Catalog(locale=language, domain=DOMAIN, project="Frontdoor")
            catalog.update(template, no_fuzzy_matching=True)
        if language == "en":
            _fill_english(catalog)
        catalog.fuzzy = False  # a fuzzy header makes `pybabel compile` skip the whole catalog
        catalog.obsolete.clear()
        _save(catalog, path)
    return languages


def main(argv: list[str]) -> int:
    if argv[:1] != ["update"] or len(argv) > 2:
        sys.stderr.write("usage: python -m frontdoor.catalogs update [FRESHLY_EXTRACTED.pot]\n")
        return 2
    if len(argv) == 2 and not adopt_template(Path(argv[1])):
        sys.stdout.write("template unchanged\n")
    languages = update_catalogs()
    sys.stdout.write(f"catalogs updated: {', '.join(languages)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
