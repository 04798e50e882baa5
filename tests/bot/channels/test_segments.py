"""The shared SMS segment counter and splitter, against known examples."""

from __future__ import annotations

import pytest

from bot.segments import GSM7, UCS2, count_segments, gsm_friendly, split_for_sms


@pytest.mark.parametrize(("text", "encoding", "segments", "units"), [
    ("a" * 160, GSM7, 1, 160),
    ("a" * 161, GSM7, 2, 161),
    ("a" * 306, GSM7, 2, 306),
    ("a" * 307, GSM7, 3, 307),
    ("€" * 80, GSM7, 1, 160),  # extension characters count double
    ("a" * 159 + "€", GSM7, 2, 161),
    ("", GSM7, 1, 0),
    ("Hello 😀", UCS2, 1, 8),  # an emoji is two UTF-16 units and forces UCS-2
    ("a" * 70, GSM7, 1, 70),
    ("ą" * 70, UCS2, 1, 70),  # Polish diacritics are not in GSM-7
    ("ą" * 71, UCS2, 2, 71),
    ("Zażółć gęślą jaźń", UCS2, 1, 17),
    ("مرحبا، كيف يمكنني مساعدتك اليوم؟", UCS2, 1, 32),  # Arabic
    ("م" * 134, UCS2, 2, 134),
    ("م" * 135, UCS2, 3, 135),
    ("é ü ñ à Ä", GSM7, 1, 9),  # these accents are in the GSM-7 table
])
def test_known_examples(text: str, encoding: str, segments: int, units: int) -> None:
    info = count_segments(text)
    assert (info.encoding, info.segments, info.units) == (encoding, segments, units)


def test_two_unit_characters_never_straddle_segments() -> None:
    # 66 units then an emoji: 68 units would fit 2x67=134 by arithmetic, but the emoji cannot be cut.
    text = "ą" * 66 + "😀" + "ą" * 66  # 134 units
    assert count_segments(text).segments == 3


def test_gsm_friendly_keeps_english_in_gsm7() -> None:
    assert count_segments("We’ll text you – “soon”…").encoding == UCS2
    assert count_segments(gsm_friendly("We’ll text you – “soon”…")).encoding == GSM7


def test_split_at_sentence_boundaries() -> None:
    sentences = [f"Sentence number {n} is here." for n in range(12)]
    pieces = split_for_sms(" ".join(sentences), max_segments=1)
    assert len(pieces) > 1
    assert all(count_segments(p).segments == 1 for p in pieces)
    assert all(p.endswith(".") for p in pieces)
    assert " ".join(pieces) == " ".join(sentences)


def test_split_never_breaks_words_or_phone_numbers() -> None:
    text = ("If you are in danger now call 999. " + "Call the National Domestic Abuse Helpline on 0808 2000 247 "
            "any time day or night " * 6).strip()
    pieces = split_for_sms(text, max_segments=1)
    assert all(count_segments(p).segments == 1 for p in pieces)
    assert all("0808 2000 247" in p for p in pieces if "0808" in p)
    assert " ".join(pieces).split() == text.split()


def test_split_keeps_numbered_choices_on_their_own_lines() -> None:
    text = "Which language?\n" + "\n".join(f"{n} Language number {n}" for n in range(1, 15))
    pieces = split_for_sms(text, max_segments=1)
    assert all(count_segments(p).segments == 1 for p in pieces)
    assert "\n".join(pieces) == text


def test_split_ucs2_text_and_short_text() -> None:
    arabic = "هذه جملة عربية قصيرة. " * 10
    pieces = split_for_sms(arabic, max_segments=1)
    assert len(pieces) > 1 and all(count_segments(p).segments == 1 for p in pieces)
    assert split_for_sms("Short.", 1) == ["Short."]
    assert all(count_segments(p).segments <= 3 for p in split_for_sms("x" * 2000, 3))
