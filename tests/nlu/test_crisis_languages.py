"""Crisis in every language, as good as English: threats to life, violence now, gas or carbon monoxide,
a child at risk; with and without diacritics and in romanised script; tagged domestic abuse when a
partner, spouse or ex is named beside the danger. Written for issue 21 from what clients write, not
from the held-out splits."""

from __future__ import annotations

import datetime as dt

import anyio
import pytest

from nlu.keywords import KeywordClassifier

TODAY = dt.date(2026, 12, 4)
CASES = [
    # (language, message, crisis, domestic abuse tagged)
    ("ro", "sotul meu m-a batut si zice ca ma omoara", True, True),
    ("ro", "soțul meu m-a bătut și zice că mă omoară", True, True),
    ("ro", "miroase a gaz in tot apartamentul", True, False),
    ("pl", "mąż mnie bije teraz", True, True),
    ("pl", "maz mnie bije teraz", True, True),
    ("pl", "czuję gaz w mieszkaniu a dzieci śpią", True, False),
    ("pl", "czujnik czadu piszczy", True, False),
    ("en", "I can smell gas and the kids are asleep", True, False),
    ("en", "the carbon monoxide alarm keeps going off", True, False),
    ("en", "my husband says he will kill me tonight", True, True),
    ("cy", "mae'r larwm carbon monocsid yn canu", True, False),
    ("cy", "mae fy ngwr yn mynd i ladd fi", True, True),
    ("ur", "shohar mujhe maar raha hai abhi", True, True),
    ("ur", "میرا شوہر کہتا ہے جان سے مار دے گا", True, True),
    ("ur", "ghar mein gas ki bu aa rahi hai", True, False),
    ("bn", "amar shami amake marche ekhon", True, True),
    ("bn", "রান্নাঘরে গ্যাসের গন্ধ", True, False),
    ("ar", "زوجي يضربني هلق", True, True),
    ("ar", "في ريحة غاز قوية بالبيت", True, False),
    ("so", "ninkayga wuu i dilayaa", True, True),
    ("so", "guriga ur gaas ayaa ka imanaya", True, False),
    ("pt", "o meu marido disse que me mata, ele vai me matar", True, True),
    ("pt", "ha cheiro a gas em casa", True, False),
    ("pt", "há cheiro a gás em casa", True, False),
    ("uk", "мій чоловік каже що вб'є мене", True, True),
    ("uk", "в квартирі запах газу", True, False),
    ("uk", "cholovik kazhe vbye mene", True, True),
    # Not a crisis: everyday words that share a phrase's words.
    ("en", "my gas bill is too high", False, False),
    ("en", "my back is killing me", False, False),
    ("ro", "factura la gaz e prea mare", False, False),
    ("pl", "rachunek za gaz jest za wysoki", False, False),
    ("pt", "a conta do gás está muito alta", False, False),
]


@pytest.mark.parametrize(("language", "text", "crisis", "abuse"), CASES)
def test_crisis_in_every_language(language: str, text: str, crisis: bool, abuse: bool) -> None:
    classifier = KeywordClassifier()
    for lang in (language, None):
        result = anyio.run(lambda lang=lang: classifier.classify(text, language=lang, today=TODAY))
        assert result.crisis is crisis, (lang, text)
        if crisis:
            assert ("domestic_abuse" in result.categories) is abuse, (lang, text, result.categories)
