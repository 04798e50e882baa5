"""Language detection: our ten languages (also typed in Latin letters), "other", and None when unsure."""

from __future__ import annotations

import pytest

from nlu.language import SUPPORTED, LanguageDetector, default_detector, warm_up_texts
from nlu.romanised import romanised_language


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return default_detector()


@pytest.mark.parametrize(("text", "language"), [
    ("my landlord has told me I have to leave by the end of the month", "en"),
    ("Mae fy landlord wedi dweud bod rhaid i mi adael y tŷ erbyn diwedd y mis", "cy"),
    ("Właściciel mieszkania powiedział, że muszę się wyprowadzić do końca miesiąca", "pl"),
    ("Proprietarul mi-a spus că trebuie să mă mut până la sfârșitul lunii", "ro"),
    ("میرے مالک مکان نے کہا ہے کہ مجھے مہینے کے آخر تک گھر خالی کرنا ہوگا", "ur"),
    ("আমার বাড়িওয়ালা বলেছে মাসের শেষে বাড়ি ছেড়ে দিতে হবে", "bn"),
    ("صاحب البيت قال لازم اطلع من الشقة قبل آخر الشهر", "ar"),
    ("Mulkiilaha guriga wuxuu igu yiri waa inaad ka baxdaa dhamaadka bisha", "so"),
    ("O meu senhorio disse que tenho de sair da casa até ao fim do mês", "pt"),
    ("Мій орендодавець сказав, що я маю виїхати до кінця місяця", "uk"),
    # typed in Latin letters
    ("mere landlord ne kaha hai ke mahine ke aakhir tak ghar khali karo", "ur"),
    ("amar bariwala bolse maser sheshe bari chere dite hobe", "bn"),
    # English words for British things inside another language
    ("mae'r council wedi stopio fy housing benefit a dwi ddim yn gwybod pam", "cy"),
    ("میرا universal credit بند ہو گیا ہے اور council tax بھی باقی ہے", "ur"),
    # languages we do not serve: an interpreter route, never forced onto one of ours
    ("mi casero quiere echarme del piso antes de fin de mes", "other"),
    ("mon propriétaire veut que je quitte l'appartement avant la fin du mois", "other"),
])
def test_detects_each_language(detector: LanguageDetector, text: str, language: str) -> None:
    assert detector.detect(text).language == language


@pytest.mark.parametrize("text", ["hi", "ok", "", "123", "help me"])
def test_too_short_to_tell(detector: LanguageDetector, text: str) -> None:
    guess = detector.detect(text)
    assert guess.language is None and guess.confidence == 0.0


def test_script_settles_short_bengali_and_ukrainian(detector: LanguageDetector) -> None:
    assert detector.detect("সাহায্য দরকার").language == "bn"
    assert detector.detect("допоможіть будь ласка").language == "uk"


def test_romanised_lists_leave_other_latin_languages_alone() -> None:
    assert romanised_language("bhai mera UC sanction ho gaya hai") == ("ur", pytest.approx(0.571, abs=0.01))
    assert romanised_language("my landlord wants me out by friday") is None
    assert romanised_language("kirada waa la kordhiyay mana bixin karo") is None
    assert romanised_language("ميرا مالک") is None


def test_warm_up_reads_real_messages_of_every_language() -> None:
    """Every language's letters are in the warm-up, so no client's first message waits for a model to load."""
    texts = warm_up_texts()
    detector = default_detector()
    found = {detector.detect(text).language for text in texts}
    assert set(SUPPORTED) <= found
    assert all("](" not in text for text in texts)  # entity annotations taken out
    assert any("گ" in text for text in texts) and any("ے" in text for text in texts)  # the letters that stalled
