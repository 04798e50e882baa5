"""SMS segment maths: the one place that knows GSM-7, UCS-2 and where to split.

Clients pay (and carriers bill us) per segment, and cheap phones show long
concatenated messages badly, so every SMS the bot writes is measured here.

* GSM-7 (3GPP TS 23.038): 160 septets in one segment, 153 per segment once a
  message is split (the rest carries the concatenation header). Characters of
  the extension table (``{ } [ ] ~ \\ | ^ €`` and form feed) take two septets
  and are never split across segments.
* UCS-2: any character outside GSM-7 turns the whole message into UTF-16, 70
  units in one segment, 67 per segment when split. Characters outside the
  Basic Multilingual Plane (emoji) are two units and are never split.

``split_for_sms`` cuts long content at sentence ends first, then at spaces,
and only as a last resort inside a word; a run of digits separated by single
spaces (a phone number such as ``0808 2000 247``) is kept whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["SegmentInfo", "count_segments", "split_for_sms", "gsm_friendly", "GSM7", "UCS2"]

GSM7 = "GSM-7"
UCS2 = "UCS-2"

_GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = frozenset("\f^{}\\[~]|€")

_LIMITS = {GSM7: (160, 153), UCS2: (70, 67)}

# Typography that phones would otherwise send as UCS-2 (halving what fits), mapped
# to the GSM-7 character a reader sees as the same; what Twilio calls smart encoding.
_FRIENDLY = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "", "\u2026": "...",
})


@dataclass(frozen=True)
class SegmentInfo:
    """How one SMS travels: its encoding, how many segments, how many units (septets or UTF-16)."""

    encoding: str
    segments: int
    units: int


def _encoding(text: str) -> str:
    return GSM7 if all(ch in _GSM_BASIC or ch in _GSM_EXTENDED for ch in text) else UCS2


def _unit_sizes(text: str, encoding: str) -> list[int]:
    if encoding == GSM7:
        return [2 if ch in _GSM_EXTENDED else 1 for ch in text]
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def count_segments(text: str) -> SegmentInfo:
    """Encoding and segment count of ``text`` as one SMS (an empty message is one segment)."""
    encoding = _encoding(text)
    sizes = _unit_sizes(text, encoding)
    units = sum(sizes)
    single, multi = _LIMITS[encoding]
    if units <= single:
        return SegmentInfo(encoding, 1, units)
    segments, used = 1, 0
    for size in sizes:  # pack greedily: a two-unit character never straddles two segments
        if used + size > multi:
            segments, used = segments + 1, 0
        used += size
    return SegmentInfo(encoding, segments, units)


def gsm_friendly(text: str) -> str:
    """Swap curly quotes, dashes, ellipses and odd spaces for GSM-7 look-alikes."""
    return text.translate(_FRIENDLY)


# Sentence ends in the scripts we support: Latin/Cyrillic . ! ?, Arabic/Urdu ؟ ۔, Bengali ।
_SENTENCE = re.compile(r"(?<=[.!?؟۔।])\s+|\n+")
# Break between words, but not inside "0808 2000 247" or "116 123".
_WORD_GAP = re.compile(r"(?<!\d) +| +(?!\d)| {2,}")


def _fits(text: str, max_segments: int) -> bool:
    return count_segments(text).segments <= max_segments


def split_for_sms(text: str, max_segments: int = 1) -> list[str]:
    """Cut ``text`` into messages of at most ``max_segments`` segments each, at natural breaks.

    Sentences (and lines, so numbered choices stay one per line) are packed
    greedily; a sentence too long on its own is cut between words; a single
    word longer than a whole message is cut by characters. No text is lost:
    joining the pieces with a space or newline gives back the words in order.
    """
    if max_segments < 1:
        raise ValueError("max_segments must be at least 1")
    text = text.strip()
    if _fits(text, max_segments):
        return [text]
    pieces: list[str] = []
    current = ""
    separators = _pieces_with_separators(text)
    for sentence, separator in separators:
        candidate = f"{current}{sentence}" if current else sentence
        if _fits(candidate, max_segments):
            current = candidate + separator
            continue
        if current.strip():
            pieces.append(current.strip())
        if _fits(sentence, max_segments):
            current = sentence + separator
        else:
            *whole, current = _split_words(sentence, max_segments)
            pieces.extend(whole)
            current += separator
    if current.strip():
        pieces.append(current.strip())
    return pieces


def _pieces_with_separators(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    position = 0
    for match in _SENTENCE.finditer(text):
        out.append((text[position:match.start()], "\n" if "\n" in match.group() else " "))
        position = match.end()
    out.append((text[position:], ""))
    return [(sentence, sep) for sentence, sep in out if sentence]


def _split_words(sentence: str, max_segments: int) -> list[str]:
    words = [w for w in _WORD_GAP.split(sentence) if w]
    pieces: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if _fits(candidate, max_segments):
            current = candidate
            continue
        if current:
            pieces.append(current)
        if _fits(word, max_segments):
            current = word
        else:
            *whole, current = _split_chars(word, max_segments)
            pieces.extend(whole)
    pieces.append(current)
    return pieces


def _split_chars(word: str, max_segments: int) -> list[str]:
    pieces: list[str] = []
    current = ""
    for ch in word:
        if current and not _fits(current + ch, max_segments):
            pieces.append(current)
            current = ""
        current += ch
    pieces.append(current)
    return pieces
