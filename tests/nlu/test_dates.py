"""Dates inside sentences, in every supported language, as the engine stores them.

Today is Tuesday 24 November 2026 in every case (the journeys' fixed clock).
"""

from __future__ import annotations

import datetime as dt

import pytest

from nlu.dates import find_dates

TODAY = dt.date(2026, 11, 24)


@pytest.mark.parametrize(("language", "text", "expected"), [
    ("en", "my court hearing for eviction is next tuesday", dt.date(2026, 12, 1)),
    ("en", "got a letter saying get out by 15 jan", dt.date(2027, 1, 15)),
    ("en", "14/12", dt.date(2026, 12, 14)),
    ("en", "bailiffs coming friday", dt.date(2026, 11, 27)),
    ("en", "hearing on the 14th", dt.date(2026, 12, 14)),  # the 14th said on the 24th: next month's
    ("en", "tribunal in 2 weeks", dt.date(2026, 12, 8)),
    ("en", "the 3rd of january", dt.date(2027, 1, 3)),
    ("cy", "mae'r gwrandawiad ar 3 Rhagfyr", dt.date(2026, 12, 3)),
    ("cy", "rhaid i mi adael dydd Gwener", dt.date(2026, 11, 27)),
    ("cy", "llys fory", dt.date(2026, 11, 25)),
    ("pl", "rozprawa jest 3 grudnia", dt.date(2026, 12, 3)),
    ("pl", "musze sie wyprowadzic do piatku", dt.date(2026, 11, 27)),
    ("pl", "sąd w poniedziałek", dt.date(2026, 11, 30)),
    ("ro", "trebuie să plec până pe 3 ianuarie", dt.date(2027, 1, 3)),
    ("ro", "trebuie sa plec vineri", dt.date(2026, 11, 27)),
    ("ur", "عدالت میں سماعت 3 دسمبر کو ہے", dt.date(2026, 12, 3)),
    ("ur", "mujhe jumma tak ghar chhorna hai", dt.date(2026, 11, 27)),
    ("bn", "৩ ডিসেম্বর আদালতে শুনানি", dt.date(2026, 12, 3)),
    ("bn", "শুক্রবারের মধ্যে বাসা ছাড়তে হবে", dt.date(2026, 11, 27)),
    ("ar", "الجلسة في 3 ديسمبر", dt.date(2026, 12, 3)),
    ("ar", "لازم اطلع من البيت يوم الجمعة", dt.date(2026, 11, 27)),
    ("so", "maxkamadda waa 3 Diseembar", dt.date(2026, 12, 3)),
    ("so", "waa in aan guriga ka baxaa Jimcaha", dt.date(2026, 11, 27)),
    ("pt", "a audiência é no dia 3 de dezembro", dt.date(2026, 12, 3)),
    ("pt", "tenho de sair até sexta-feira", dt.date(2026, 11, 27)),
    ("uk", "суд 3 грудня", dt.date(2026, 12, 3)),
    ("uk", "треба виїхати до пʼятниці", dt.date(2026, 11, 27)),
    ("uk", "суд у середу", dt.date(2026, 11, 25)),
    # Month names CLDR lacks (``dates.months`` in the phrase files): Levantine, Maghrebi and Moroccan Arabic,
    # Russian in a Ukrainian message, a Ukrainian name typed with a Latin "i".
    ("ar", "المحكمة يوم 15 كانون الثاني", dt.date(2027, 1, 15)),
    ("ar", "الموعد 3 شباط الساعة 10", dt.date(2027, 2, 3)),
    ("ar", "الجلسة 12 جانفي", dt.date(2027, 1, 12)),
    ("ar", "لازم نخرج قبل 20 دجنبر", dt.date(2026, 12, 20)),
    ("uk", "суд 15 января", dt.date(2027, 1, 15)),
    ("uk", "виселення до 20 сiчня", dt.date(2027, 1, 20)),
    ("ar", "9bel 15 decembre ghadi ydiw l'affaire l court", dt.date(2026, 12, 15)),  # French, in Maghrebi Arabizi
    # A time after a day and month is not a year: dateparser reads "9 dec at 10" as 9 December 2110.
    ("en", "hearing 9 dec at 10", dt.date(2026, 12, 9)),
])
def test_finds_the_date_in_the_sentence(language: str, text: str, expected: dt.date) -> None:
    found = find_dates(text, language, TODAY)
    assert found, f"no date found in {text!r}"
    assert found[0].value == expected
    assert found[0].text and found[0].text.lower() in text.lower()


@pytest.mark.parametrize(("language", "text"), [
    ("en", "my employer has not paid my wages for two months"),  # a duration, not a day
    ("en", "he left 3 days ago"),
    ("en", "i owe money on 3 credit cards"),
    ("en", "may i ask something"),  # "may" alone is not a date
    ("en", "sometime soon"),
    ("ro", "am 6 luni de chirie neplatita"),  # "luni" is months here, and Monday elsewhere
    ("pt", "agora não tenho dinheiro"),
    ("pl", "sprawa o dług"),
    ("en", ""),
    ("en", "🙂🙂🙂"),
    ("en", "I look after my mum 24/7"),  # all the time, not 24 July
    ("ro", "nu mai am nimic"),  # "mai" is "more": a month name that is a word too needs a day number
    ("so", "mar 60 saac ayaan shaqeeyaa"),  # "mar" is "once"; 60 is no day, nor the year 2060
])
def test_no_date_where_there_is_none(language: str, text: str) -> None:
    assert find_dates(text, language, TODAY) == ()


def test_unknown_language_and_huge_text_never_raise() -> None:
    assert find_dates("court next tuesday", "xx", TODAY)[0].value == dt.date(2026, 12, 1)
    assert find_dates("x" * 10_000 + " next tuesday", "en", TODAY) == ()  # only the start is scanned
    assert isinstance(find_dates("\x00\x01\ufffd 31/02", "en", TODAY), tuple)  # impossible date: skipped


def test_month_names_give_the_month_of_a_name_said_alone() -> None:
    from nlu.dates import month_names

    assert month_names("en")["october"] == 10
    assert month_names("pl")["marcem"] == 3  # from dates.months in the phrase file
    assert month_names("ar")["شباط"] == 2
