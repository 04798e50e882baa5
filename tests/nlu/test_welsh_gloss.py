"""The English gloss that lets the sentence encoder read Welsh (the Rasa featurizer's ``gloss_welsh``)."""

from __future__ import annotations

import pytest

from nlu.rasa_project.frontdoor_rasa.welsh_gloss import gloss, looks_welsh


def test_a_welsh_message_is_glossed_word_for_word() -> None:
    # "nhroi allan" is the phrase "troi allan" (evict) after a nasal mutation; "o'r", "yn" carry no topic
    assert gloss("mae'r landlord eisiau fy nhroi allan o'r tŷ") == "is landlord want my evict house"
    assert gloss("dwi mewn dyled a mae'r beilïaid yn dod fory") == "I am in debt is bailiffs come tomorrow"


@pytest.mark.parametrize(("welsh", "english"), [
    ("fy nhŷ i", "house"),  # nasal mutation of tŷ
    ("ei dŷ o", "house"),  # soft mutation
    ("ei thŷ hi", "house"),  # aspirate mutation
    ("fy mhlant", "children"),  # nasal mutation of plant
    ("ei blant", "children"),  # soft mutation of plant
    ("y gyngor", "council"),  # soft mutation of cyngor
])
def test_mutated_words_are_found_from_their_base_form(welsh: str, english: str) -> None:
    glossed = gloss(f"dwi wedi {welsh}")
    assert glossed is not None and english in glossed.split(" ")


def test_phrases_win_over_their_words() -> None:
    glossed = gloss("mae'r dreth gyngor yn rhy uchel a dwi methu talu")
    assert glossed is not None and "council tax" in glossed


@pytest.mark.parametrize("text", [
    "Właściciel chce mnie eksmitować, mam dwoje dzieci i nie mam pieniędzy",  # Polish "mam": I have, not mother
    "my landlord wants me out by friday and I have two children",
    "Mi-au oprit universal credit și nu am bani de mâncare",
    "mera universal credit band ho gaya hai aur ghar mein khana nahi hai",
    "Mulkiilaha guriga ayaa doonaya inuu iga saaro guriga",
    "",
    "🙂🙂",
    "ok",
])
def test_other_languages_are_left_alone(text: str) -> None:
    assert not looks_welsh(text)
    assert gloss(text) is None


def test_a_long_or_odd_message_does_not_break_it() -> None:
    text = "dwi wedi " + "blah " * 2000 + "a mae nhw'n 😡 dod"
    glossed = gloss(text)
    assert glossed is not None and glossed.startswith("I am has") and glossed.endswith("come")
