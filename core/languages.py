"""Supported languages: one place for codes, own names, script direction."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LANGUAGES", "LANGUAGE_CODES", "Language", "get_language", "is_rtl"]


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1, also the gettext/Babel locale
    own_name: str  # in its own name and script, for the menu
    english_name: str
    script: str  # ISO 15924 code of the script clients usually write it in
    rtl: bool = False


LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", "English", "Latn"),
    Language("cy", "Cymraeg", "Welsh", "Latn"),
    Language("pl", "Polski", "Polish", "Latn"),
    Language("ro", "Română", "Romanian", "Latn"),
    Language("ur", "اردو", "Urdu", "Arab", rtl=True),
    Language("bn", "বাংলা", "Bengali", "Beng"),
    Language("ar", "العربية", "Arabic", "Arab", rtl=True),
    Language("so", "Soomaali", "Somali", "Latn"),
    Language("pt", "Português", "Portuguese", "Latn"),
    Language("uk", "Українська", "Ukrainian", "Cyrl"),
)
LANGUAGE_CODES: tuple[str, ...] = tuple(lang.code for lang in LANGUAGES)
_BY_CODE = {lang.code: lang for lang in LANGUAGES}


def get_language(code: str) -> Language | None:
    return _BY_CODE.get(code)


def is_rtl(code: str) -> bool:
    lang = _BY_CODE.get(code)
    return bool(lang and lang.rtl)
