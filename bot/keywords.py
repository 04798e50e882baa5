"""Words a client may type for yes/no and the commands that work at any step.

One table, per language. A command only counts when it is the whole message
("stop"), never inside a sentence ("he won't stop calling me").
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["COMMANDS", "ANSWERS", "command_in", "answer_in", "normalise"]

# command -> language -> whole-message forms (already normalised: lower case, no accents)
COMMANDS: dict[str, dict[str, tuple[str, ...]]] = {
    "help": {
        "en": ("help", "info", "/help", "menu"),
        "cy": ("help", "cymorth"),
        "pl": ("pomoc",),
        "ro": ("ajutor",),
        "ur": ("مدد",),
        "bn": ("সাহায্য",),
        "ar": ("مساعدة", "مساعده"),
        "so": ("caawin", "caawimaad"),
        "pt": ("ajuda",),
        "uk": ("допомога",),
    },
    "stop": {
        "en": ("stop", "stopall", "unsubscribe", "cancel", "end", "quit", "/stop"),
        "cy": ("stopio", "diwedd"),
        "pl": ("koniec",),
        "ro": ("opreste", "stop"),
        "ur": ("بند",),
        "bn": ("বন্ধ",),
        "ar": ("توقف",),
        "so": ("jooji",),
        "pt": ("parar", "pare"),
        "uk": ("стоп",),
    },
    "start": {
        "en": ("start", "unstop", "/start"),
        "cy": ("dechrau",),
        "pl": ("start",),
        "ro": ("start",),
        "ur": ("شروع",),
        "bn": ("শুরু",),
        "ar": ("ابدأ", "ابدا"),
        "so": ("bilow",),
        "pt": ("comecar",),
        "uk": ("старт",),
    },
    "restart": {
        "en": ("restart", "start again", "start over", "reset"),
        "cy": ("ailddechrau",),
        "pl": ("od nowa",),
        "ro": ("reincepe",),
        "ur": ("دوبارہ",),
        "bn": ("আবার শুরু",),
        "ar": ("إعادة", "اعادة"),
        "so": ("dib u bilow",),
        "pt": ("recomecar",),
        "uk": ("заново",),
    },
    "language": {
        "en": ("language", "change language", "/language", "lang"),
        "cy": ("iaith",),
        "pl": ("jezyk",),
        "ro": ("limba",),
        "ur": ("زبان",),
        "bn": ("ভাষা",),
        "ar": ("اللغة", "اللغه"),
        "so": ("luqad", "luuqad"),
        "pt": ("idioma", "lingua"),
        "uk": ("мова",),
    },
    "delete": {
        "en": ("delete my data", "delete", "/delete", "delete data", "forget me"),
        "cy": ("dileu fy nata",),
        "pl": ("usun moje dane",),
        "ro": ("sterge datele mele",),
        "ur": ("میرا ڈیٹا حذف کریں",),
        "bn": ("আমার তথ্য মুছুন",),
        "ar": ("احذف بياناتي",),
        "so": ("tirtir xogtayda",),
        "pt": ("apagar meus dados", "apagar os meus dados"),
        "uk": ("видалити мої дані",),
    },
}

ANSWERS: dict[str, dict[str, tuple[str, ...]]] = {
    "yes": {
        "en": ("yes", "y", "yep", "yeah", "yea", "ya", "yup", "ok", "okay", "sure", "correct", "right",
               "thats right", "that's right", "fine", "please", "yes please", "go ahead", "agree", "i agree"),
        "cy": ("ie", "do", "ydw", "ydy", "iawn", "oes", "cewch", "cei"),
        "pl": ("tak", "dobrze", "zgoda"),
        "ro": ("da", "bine", "sigur"),
        "ur": ("ہاں", "جی", "جی ہاں", "haan", "han", "ji"),
        "bn": ("হ্যাঁ", "হ্যা", "হা", "ঠিক আছে"),
        "ar": ("نعم", "أجل", "اي", "ايوه"),
        "so": ("haa", "haye"),
        "pt": ("sim", "claro", "pode"),
        "uk": ("так", "добре", "згоден", "згодна"),
    },
    "no": {
        "en": ("no", "n", "nope", "nah", "no thanks", "no thank you", "not really", "none", "nothing",
               "dont", "don't", "wrong", "not right", "incorrect", "no its not", "i dont agree"),
        "cy": ("na", "nac ydw", "nac ydy", "nac oes", "naddo", "nage", "dim", "na chewch"),
        "pl": ("nie", "nie dziekuje"),
        "ro": ("nu", "nu multumesc"),
        "ur": ("نہیں", "nahi", "nahin"),
        "bn": ("না", "না ধন্যবাদ"),
        "ar": ("لا", "كلا"),
        "so": ("maya", "may"),
        "pt": ("nao", "nao obrigado", "nao obrigada"),
        "uk": ("ні", "не треба"),
    },
}

_PUNCT = re.compile(r"[\s\.\,\!\?\;\:\-\"'’`“”«»()\[\]…。،؟]+")


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


_NORMALISED_COMMANDS = {
    cmd: {normalise(form) for forms in langs.values() for form in forms} for cmd, langs in COMMANDS.items()
}
_NORMALISED_ANSWERS = {
    ans: {normalise(form) for forms in langs.values() for form in forms} for ans, langs in ANSWERS.items()
}


def command_in(text: str) -> str | None:
    """The command a whole message is (help, stop, start, restart, language, delete), if any."""
    norm = normalise(text)
    if norm.startswith("/"):
        norm = norm.split()[0].split("@")[0]  # Telegram: "/help@FrontdoorBot args"
    for command, forms in _NORMALISED_COMMANDS.items():
        if norm in forms or f"/{norm}" in forms:
            return command
    return None


def answer_in(text: str) -> str | None:
    """"yes"/"no" when the message is, or starts with, a yes/no word; else None."""
    norm = normalise(text)
    if not norm:
        return None
    for answer, forms in _NORMALISED_ANSWERS.items():
        if norm in forms:
            return answer
    first = norm.split()[0]
    for answer in ("no", "yes"):  # "no court papers" must read as no before "right" reads as yes
        if first in _NORMALISED_ANSWERS[answer] and len(first) > 1:
            return answer
    return None
