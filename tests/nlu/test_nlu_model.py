"""The real trained model, served by Rasa, through the client the app uses: a small table per language.

Messages written for this test (not in the training data or the held-out split),
plain enough that a wrong answer means the model or its serving is broken.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys

import anyio
import pytest

from frontdoor.cli import main
from nlu.rasa_client import RasaClassifier

TODAY = dt.date(2026, 11, 24)

# (language, message, a category that must be found)
TABLE = [
    ("en", "my landlord has given me an eviction notice and I have nowhere to go", "housing"),
    ("en", "I was dismissed from work and my employer still owes me three weeks of wages", "employment"),
    ("cy", "Mae'r landlord eisiau fy nhroi allan o'r tŷ ac mae gen i dri o blant", "housing"),
    ("cy", "Dwi mewn dyled fawr ar gardiau credyd ac mae'r beilïaid yn dod", "debt"),
    ("pl", "Właściciel mieszkania chce mnie eksmitować, dostałam wypowiedzenie", "housing"),
    ("pl", "Pracodawca nie zapłacił mi wypłaty za ostatni miesiąc", "employment"),
    ("ro", "Proprietarul vrea să mă evacueze din apartament luna viitoare", "housing"),
    ("ro", "Mi-au oprit universal credit și nu am bani de mâncare", "benefits"),
    ("ur", "مالک مکان مجھے گھر سے نکالنا چاہتا ہے اور کرایہ بھی بڑھا دیا", "housing"),
    ("ur", "mera universal credit band ho gaya hai aur ghar mein khana nahi hai", "benefits"),
    ("bn", "বাড়িওয়ালা আমাকে বাসা থেকে বের করে দিতে চায়", "housing"),
    ("bn", "home office amar visa refuse kore dise, ekhon ki korbo", "immigration"),
    ("ar", "صاحب البيت بدو يطردني من الشقة وما عندي وين روح", "housing"),
    ("ar", "رفضوا طلب اللجوء تبعي من الهوم أوفيس", "immigration"),
    ("so", "Mulkiilaha guriga ayaa doonaya inuu iga saaro guriga", "housing"),
    ("so", "Shaqada ayaa la iga eryay mushaharkiina lama i siin", "employment"),
    ("pt", "O senhorio quer me despejar e não tenho para onde ir", "housing"),
    ("pt", "Cortaram o meu universal credit e não tenho dinheiro para comida", "benefits"),
    ("uk", "Орендодавець хоче мене виселити з квартири", "housing"),
    ("uk", "Роботодавець не заплатив мені зарплату за місяць", "employment"),
]


@pytest.fixture(scope="module")
def client(rasa_url: str) -> RasaClassifier:
    client = RasaClassifier(rasa_url, timeout=10.0)
    client.warm_up()
    return client


@pytest.mark.parametrize(("language", "text", "category"), TABLE, ids=[f"{lang}-{i}" for i, (lang, _, _) in
                                                                      enumerate(TABLE)])
def test_finds_the_category_and_language(client: RasaClassifier, language: str, text: str, category: str) -> None:
    result = anyio.run(lambda: client.classify(text, language=None, today=TODAY))
    assert result.source in ("rasa", "rasa+keywords")
    assert category in result.categories
    assert result.language == language


def test_several_issues_in_one_message(client: RasaClassifier) -> None:
    text = "my landlord wants me out by friday and I am behind on my council tax, bailiffs have written"
    result = anyio.run(lambda: client.classify(text, language="en", today=TODAY))
    assert {"housing", "debt"} <= set(result.categories)
    assert result.deadline and result.dates and result.dates[0].value == dt.date(2026, 11, 27)


@pytest.mark.parametrize("text", [
    "he is outside with a knife and says he will kill me",
    "Він зараз б'є мене і дітей, я боюся за життя",
    "ami ar bachte chai na, aj rat e sob shesh kore dibo",
])
def test_crisis(client: RasaClassifier, text: str) -> None:
    assert anyio.run(lambda: client.classify(text, language=None, today=TODAY)).crisis


def test_dialogue_intents_and_dates_from_entities(client: RasaClassifier) -> None:
    stop = anyio.run(lambda: client.classify("please stop sending me messages", language="en", today=TODAY))
    assert stop.intent == "stop" and stop.categories == ()
    welsh = anyio.run(lambda: client.classify("Mae'r llys ar 15 Ionawr a dwi angen help gyda'r rhent", language="cy",
                                              today=TODAY))
    assert welsh.deadline and dt.date(2027, 1, 15) in [d.value for d in welsh.dates]


def test_cli_classify_contract(rasa_url: str, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("FRONTDOOR_NLU_URL", rasa_url)
    lines = [{"id": 1, "text": "Właściciel chce mnie eksmitować do 15 stycznia"}, {"id": "b", "text": 5}]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(json.dumps(x) for x in lines) + "\n"))
    code = main(["nlu", "classify", "--today", "2026-11-24"])
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 1  # one bad line
    assert set(out[0]) == {"id", "language", "categories", "crisis", "deadline", "dates", "confidence"}
    assert out[0]["id"] == 1 and out[0]["language"] == "pl" and "housing" in out[0]["categories"]
    assert out[0]["deadline"] is True and out[0]["dates"] == ["2027-01-15"]
    assert 0.0 <= out[0]["confidence"] <= 1.0 and out[0]["crisis"] is False
    assert out[1]["id"] == "b" and "text" in out[1]["error"]
