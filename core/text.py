"""Text rules every package shares: how long a text may be, and how a message is normalised.

The length caps are here, once, so the engine, the channels, the directory and the staff
pages cut the same thing at the same length. ``normalise`` is what phrase tables
(commands, answers, keywords, dates) are compared on, so it lives on the ground floor,
below every package that matches phrases.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "MAX_ADDRESS_CHARS", "MAX_ADVISER_MESSAGE_CHARS", "MAX_CLIENT_NAME_CHARS", "MAX_INBOUND_CHARS",
    "MAX_LANGUAGE_NAME_CHARS",
    "MAX_MESSAGE_CHARS", "MAX_PLACE_CHARS", "MAX_SHORT_ANSWER_CHARS", "MAX_STAFF_NAME_CHARS",
    "MAX_STAFF_NOTE_CHARS", "fold_arabic", "normalise", "valid_unicode",
]

# Caps on text from outside, in characters.
MAX_INBOUND_CHARS = 10_000  # a message as received, before anything reads it
MAX_MESSAGE_CHARS = 5_000  # what the conversation keeps of one message (the rest is rarely more than noise)
MAX_ADDRESS_CHARS = 200  # a channel address (phone number, chat id); the address columns hold 200
MAX_CLIENT_NAME_CHARS = 100  # the name a client gives for their referral
MAX_LANGUAGE_NAME_CHARS = 100  # a language we do not serve, in the client's words
MAX_SHORT_ANSWER_CHARS = 200  # a deadline or safe times in the client's own words, kept for the adviser
MAX_PLACE_CHARS = 200  # how much of a message is read for a postcode or town
MAX_STAFF_NAME_CHARS = 100  # a staff account's name (the column holds 100)
MAX_STAFF_NOTE_CHARS = 500  # an adviser's note on a status change
MAX_ADVISER_MESSAGE_CHARS = 1_000  # an adviser's message to a client (about 7 SMS segments in GSM-7)

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
