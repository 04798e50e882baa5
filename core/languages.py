"""Supported languages: one place for codes, own names, script direction."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LANGUAGES", "LANGUAGE_CODES", "Language", "get_language", "is_rtl"]


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1, also the gettext/Babel locale
    own_name: str  # in its own name and script, for the menu
    english_name: str
    rtl: bool = False


LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", "English"),
    Language("cy", "Cymraeg", "Welsh"),
    Language("pl", "Polski", "Polish"),
    Language("ro", "Română", "Romanian"),
    Language("ur", "اردو", "Urdu", rtl=True),
    Language("bn", "বাংলা", "Bengali"),
    Language("ar", "العربية", "Arabic", rtl=True),
    Language("so", "Soomaali", "Somali"),
    Language("pt", "Português", "Portuguese"),
    Language("uk", "Українська", "Ukrainian"),
)
LANGUAGE_CODES: tuple[str, ...] = tuple(lang.code for lang in LANGUAGES)
_BY_CODE = {lang.code: lang for lang in LANGUAGES}


def get_language(code: str) -> Language | None:
    return _BY_CODE.get(code)


def is_rtl(code: str) -> bool:
    lang = _BY_CODE.get(code)
    return bool(lang and lang.rtl)
