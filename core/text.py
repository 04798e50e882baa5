"""Text rules every package shares: how a message is normalised for matching.

``normalise`` is what phrase tables (commands, answers, keywords, dates) are compared on,
so it lives on the ground floor, below every package that matches phrases.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalise", "fold_arabic", "valid_unicode"]

_SURROGATE = re.compile("[\ud800-\udfff]")

_PUNCT = re.compile(r"[\s\.\,\!\?\;\:\-\"'’`“”«»()\[\]…。،؟]+")
# Arabic-script marks a client may or may not type: harakat, tatweel, superscript alef.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي"})


def normalise(text: str) -> str:
    """Lower case, accents off Latin letters, punctuation folded to single spaces.

    Combining marks are dropped only after Latin letters ("usuń" -> "usun"); in
    Bengali, Arabic or Cyrillic text they are part of the word and stay.
    """
    out: list[str] = []
    base_is_latin = False
    for ch in unicodedata.normalize("NFKD", text.casefold()):
        if unicodedata.combining(ch):
            if not base_is_latin:
                out.append(ch)
            continue
        base_is_latin = ch < "\u0250"
        out.append(ch)
    return _PUNCT.sub(" ", unicodedata.normalize("NFC", "".join(out))).strip()


def fold_arabic(text: str) -> str:
    """Arabic-script spelling variants folded together ("أجل" = "اجل", vowel marks off).

    Clients on phone keyboards type hamza forms and vowel marks inconsistently; answers
    and commands are compared after this fold. Urdu letters (ی, ہ, ں) are left alone.
    """
    return _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS)


def valid_unicode(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD.

    JSON may carry ``"\\ud800"``, which Python decodes into a string no database
    or encoder accepts; stored in a conversation's state it broke every later turn.
    """
    return _SURROGATE.sub("\ufffd", text)
