"""Kinds of deadline mistake fixed after the clause rule's first held-out reading (issue 19 item 6).

One test per kind, with sentences written for these tests in several languages (none is from the
training data, the dev set or a held-out split).
"""

from __future__ import annotations

import datetime as dt

import pytest

from nlu.dates import find_dates
from nlu.deadlines import is_deadline

TODAY = dt.date(2026, 11, 24)  # a Tuesday


def _deadline(language: str, text: str) -> bool:
    return is_deadline(text, language, find_dates(text, language, TODAY), TODAY)


# Urdu and Bengali put the finite verb last: the clause ends after it, so a past verb says nothing about
# a date named after it; a date before it is still its own.
@pytest.mark.parametrize(("language", "text"), [
    ("ur", "vakeel se mila tha hearing 18 tarikh"),
    ("ur", "ہم عدالت گئے تھے اگلی تاریخ 18 تاریخ"),
    ("bn", "council e gechilam appointment 12 tarikh"),
    ("bn", "আমি অফিসে গিয়েছিলাম শুনানি ১৮ তারিখ"),
])
def test_a_verb_final_clause_ends_at_its_verb(language: str, text: str) -> None:
    assert _deadline(language, text)


@pytest.mark.parametrize(("language", "text"), [
    ("ur", "5 tarikh ko court gaya tha phir ghar wapas aaya"),
    ("bn", "৫ তারিখে কোর্টে গিয়েছিলাম"),
])
def test_a_date_before_a_past_verb_is_still_past(language: str, text: str) -> None:
    assert not _deadline(language, text)
