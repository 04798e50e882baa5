"""Dates and lists as each language writes them in a sentence (weekday and month in full; Welsh "a"/"ac")."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.i18n import get_translator

FRIDAY = dt.date(2027, 1, 15)


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Friday 15 January"),
    ("cy", "Dydd Gwener 15 Ionawr"),
    ("pl", "piątek, 15 stycznia"),
    ("ro", "vineri, 15 ianuarie"),
    ("ur", "جمعہ، 15 جنوری"),
    ("bn", "শুক্রবার, 15 জানুয়ারী"),
    ("ar", "الجمعة، 15 يناير"),
    ("so", "Jimco, 15 Janaayo"),
    ("pt", "sexta-feira, 15 de janeiro"),
    ("uk", "пʼятниця, 15 січня"),
])
def test_dates_have_weekday_and_month_in_full(language: str, expected: str) -> None:
    assert get_translator(language).format_date(FRIDAY) == expected


def test_english_lists_are_british() -> None:
    assert get_translator("en").join(["Housing", "Debt", "Work"]) == "Housing, Debt and Work"


@pytest.mark.parametrize(("items", "expected"), [
    (["Tai", "Addysg"], "Tai ac Addysg"),
    (["Tai", "Dyled", "Cyflogaeth"], "Tai, Dyled a Chyflogaeth"),
    (["Dyled", "Tai"], "Dyled a Thai"),
    (["Dyled", "Plant"], "Dyled a Phlant"),
    (["Dyled", "Chwaraeon"], "Dyled a Chwaraeon"),
    (["Dyled", "Iechyd"], "Dyled ac Iechyd"),
])
def test_welsh_and_takes_its_form_and_mutation(items: list[str], expected: str) -> None:
    assert get_translator("cy").join(items, mutate=True) == expected
    assert "a(c)" not in get_translator("cy").join(items)


def test_welsh_names_keep_their_letters() -> None:
    assert get_translator("cy").join(["Shelter", "Citizens Advice"]) == "Shelter a Citizens Advice"
