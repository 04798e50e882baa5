"""The engine on its own: pure, deterministic, no database."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import itertools

import pytest

from bot.choices import pick_many, pick_one
from bot.effects import CreateReferral, RecordConsent
from bot.engine import Env, Inbound, handle
from bot.i18n import get_translator
from bot.replies import render_plain
from bot.state import Offer, State, Step
from directory.matching import DirectorySnapshot, ServiceRecord
from nlu.answers import read_answer
from nlu.commands import command_in
from nlu.result import FoundDate, NluResult

NOW = dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC)


def _service(sid: str, org: str, categories: tuple[str, ...], *, referrals: bool = True, free: bool = True,
             capacity: int | None = 10) -> ServiceRecord:
    return ServiceRecord(
        id=sid, organization_id=f"org-{sid}", organization_name=org, name=sid, description="",
        categories=categories, areas=(("local_authority", "Luton"),), languages=frozenset({"en", "pl"}),
        interpreters=False, free=free, fees_description="Free" if free else "£150 fixed fee",
        accepts_referrals=referrals, capacity_per_week=capacity, response_days=2, phone="01632 960001",
        email=None, url=None, contact_methods=("sms",),
    )


SNAPSHOT = DirectorySnapshot((
    _service("law", "Luton Law Centre", ("housing",)),
    _service("cab", "Citizens Advice Luton", ("debt", "benefits")),
    _service("sol", "Example Solicitors", ("family",), free=False),
    _service("sign", "Luton Mediation", ("consumer",), referrals=False, capacity=None),
))


def _env() -> Env:
    counter = itertools.count(1)
    return Env(now=NOW, channel="sms", directory=SNAPSHOT,
               new_id=lambda: f"00000000-0000-0000-0000-{next(counter):012d}")


def _run(script: list[tuple[str, NluResult]]) -> tuple[State, list[list[str]], list[object]]:
    state, replies, effects, env = State(), [], [], _env()
    for text, nlu in script:
        outcome = handle(state, Inbound(text, nlu), env)
        state = outcome.state
        replies.append([render_plain(r) for r in outcome.replies])
        effects.extend(outcome.effects)
    return state, replies, effects


HOUSING = NluResult(categories=("housing",), dates=(FoundDate(dt.date(2026, 12, 1), "next tuesday"),))
PLAIN = NluResult()


def test_handle_does_not_mutate_its_input() -> None:
    state = State(step=Step.DESCRIBE, language_chosen=True)
    before = copy.deepcopy(state)
    outcome = handle(state, Inbound("my landlord", HOUSING), _env())
    assert state == before
    assert outcome.state.step == Step.CONFIRM_ISSUES


def test_same_input_same_output() -> None:
    script = [("hi", PLAIN), ("1", PLAIN), ("court next tuesday", HOUSING), ("yes", PLAIN)]
    assert _run(script)[:2] == _run(script)[:2]


def test_deadline_within_two_weeks_makes_referral_urgent() -> None:
    # The date is read back with the issues ("I have: must act by ..."), so "yes" confirms both.
    script = [("hi", PLAIN), ("1", PLAIN), ("court next tuesday", HOUSING), ("yes", PLAIN), ("1", PLAIN),
              ("yes", PLAIN), ("LU2 7AB", PLAIN), ("yes", PLAIN), ("yes", PLAIN), ("Anna", PLAIN)]
    state, replies, effects = _run(script)
    assert state.step == Step.DONE
    referrals = [e for e in effects if isinstance(e, CreateReferral)]
    consents = [e for e in effects if isinstance(e, RecordConsent)]
    assert len(referrals) == 1 and len(consents) == 1
    assert referrals[0].urgent and referrals[0].deadline == dt.date(2026, 12, 1)
    assert referrals[0].consent_id == consents[0].consent_id and consents[0].granted
    # urgent (court in a week) and the centre answers within 2 days: that is a reason worth saying
    assert ("Luton Law Centre can help with Housing (covers LU2; housing; has space this week; free; replies "
            "quickly).") in replies[-3]


def test_paid_service_says_it_charges() -> None:
    family = NluResult(categories=("family",))
    script = [("hi", PLAIN), ("1", PLAIN), ("divorce", family), ("yes", PLAIN), ("no", PLAIN), ("no", PLAIN),
              ("LU2 7AB", PLAIN), ("yes", PLAIN)]
    _state, replies, _ = _run(script)
    offer = "\n".join(replies[-1])
    assert "charges a fee" in offer and "They may charge: £150 fixed fee" in offer


def test_signpost_only_service_needs_no_consent() -> None:
    consumer = NluResult(categories=("consumer",))
    script = [("hi", PLAIN), ("1", PLAIN), ("faulty fridge", consumer), ("yes", PLAIN), ("no", PLAIN),
              ("LU2 7AB", PLAIN), ("yes", PLAIN)]
    state, replies, effects = _run(script)
    assert state.step == Step.DONE
    assert "Please contact them yourself: 01632 960001" in "\n".join(replies[-1])
    assert not any(isinstance(e, RecordConsent) for e in effects)


def test_crisis_reply_comes_first_with_emergency_numbers() -> None:
    crisis = NluResult(categories=("domestic_abuse",), crisis=True)
    state, replies, _ = _run([("hi", PLAIN), ("1", PLAIN), ("he says he will kill me", crisis)])
    first = replies[-1][0]
    assert first.startswith("If you are in danger now, call 999")
    assert "0808 2000 247" in first and "116 123" in first
    assert state.urgent and state.crisis and state.step == Step.CRISIS_SAFE


@pytest.mark.parametrize(("text", "command"), [
    ("help", "help"), ("HELP!", "help"), ("stop", "stop"), ("STOPALL", "stop"), ("/start", "start"),
    ("restart", "restart"), ("change language", "language"), ("delete my data", "delete"),
    ("he won't stop calling me", None), ("i need help with debt", None), ("usuń moje dane", "delete"),
])
def test_commands_only_as_whole_messages(text: str, command: str | None) -> None:
    assert command_in(text) == command


@pytest.mark.parametrize(("text", "answer"), [
    ("yes", "yes"), ("Yep!", "yes"), ("ok", "yes"), ("no", "no"), ("nope", "no"), ("tak", "yes"), ("nie", "no"),
    ("yes right date, no court papers", None), ("no court papers", "no"), ("maybe", None), ("", None),
])
def test_yes_no_words(text: str, answer: str | None) -> None:
    assert read_answer(text, "en") == answer


OPTIONS = [("sms", ["Text message", "text"]), ("phone", ["Phone call", "call"]), ("email", ["Email"])]


@pytest.mark.parametrize(("text", "one", "many"), [
    ("2", "phone", ["phone"]), ("option 3", "email", ["email"]), ("1 2", None, ["sms", "phone"]),
    ("1, 2 and 3", None, ["sms", "phone", "email"]), ("text is fine", "sms", ["sms"]), ("£300", None, []),
    ("7", None, []), ("", None, []),
])
def test_menu_choices(text: str, one: str | None, many: list[str]) -> None:
    assert pick_one(text, OPTIONS) == one
    assert pick_many(text, OPTIONS) == many


def test_confident_detection_of_the_story_switches_language_and_says_how_back() -> None:
    """The client picked English but wrote in Polish: carry on in Polish, and say so."""
    polish = NluResult(categories=("housing",), language="pl")
    state, replies, _ = _run([("hi", PLAIN), ("1", PLAIN), ("wlasciciel chce mnie wyrzucic", polish)])
    assert state.language == "pl" and state.step == Step.CONFIRM_ISSUES
    assert "Polski" in replies[-1][0]


def test_unsure_detection_keeps_the_chosen_language() -> None:
    state, _, _ = _run([("hi", PLAIN), ("1", PLAIN), ("landlord", NluResult(categories=("housing",)))])
    assert state.language == "en"


def test_first_message_story_in_a_supported_language_skips_the_menu() -> None:
    polish = NluResult(categories=("housing",), language="pl")
    state, replies, _ = _run([("wlasciciel chce mnie wyrzucic z mieszkania", polish)])
    assert (state.language, state.language_chosen, state.step) == ("pl", True, Step.CONFIRM_ISSUES)


def test_untranslated_directory_charges_are_shown_in_english_with_a_note() -> None:
    family = NluResult(categories=("family",))
    script = [("hi", PLAIN), ("3", PLAIN), ("rozwod", family), ("tak", PLAIN), ("nie", PLAIN), ("nie", PLAIN),
              ("LU2 7AB", PLAIN), ("tak", PLAIN)]
    state, replies, _ = _run(script)
    assert state.language == "pl"
    offer = "\n".join(replies[-1])
    assert "£150 fixed fee" in offer
    assert state.offers[0].fees_in_english
    assert get_translator("pl").gettext("The details of the charges are in English.") in offer


def test_translated_directory_charges_are_used() -> None:
    record = _service("sol2", "Example Solicitors", ("family",), free=False)
    translated = dataclasses.replace(record, translations={"pl": {"fees_description": "150 £ stała opłata"}})
    assert translated.text_in("pl", "fees_description") == ("150 £ stała opłata", True)
    assert translated.text_in("uk", "fees_description") == ("£150 fixed fee", False)
    assert translated.text_in("en", "fees_description") == ("£150 fixed fee", True)


def test_answering_the_language_menu_in_an_unsupported_language_takes_the_interpreter_route() -> None:
    farsi = NluResult(language="other")
    state, replies, _ = _run([("hi", PLAIN), ("صاحبخانه می خواهد مرا بیرون کند", farsi), ("Farsi", PLAIN)])
    assert state.other_language == "Farsi" and "interpreter" in state.needs
    assert state.language == "en" and state.step == Step.DESCRIBE
    assert "interpreter" in "\n".join(replies[-1])


def _at_consent(language: str) -> State:
    offer = Offer(organization_id="org-law", organization_name="Luton Law Centre", service_ids=["law"],
                  categories=["housing"], referral=True, free=True, fees="", response_days=2, reasons=[])
    return State(step=Step.CONSENT, language=language, language_chosen=True, categories=["housing"],
                 offers=[offer], offer_index=0)


@pytest.mark.parametrize(("language", "text"), [
    ("ur", "جی نہیں"), ("ur", "ji nahi"), ("ur", "nhi"), ("ur", "nai"), ("bn", "না"), ("bn", "জি না"),
    ("ar", "لا"), ("ar", "لأ شكرا"), ("pl", "nie"), ("ro", "nu"), ("so", "maya"), ("pt", "não"), ("uk", "ні"),
    ("cy", "na"), ("en", "no thanks"), ("en", "absolutely not"),
])
def test_a_refusal_is_recorded_as_refused_and_no_referral_is_written(language: str, text: str) -> None:
    outcome = handle(_at_consent(language), Inbound(text, PLAIN), _env())
    consents = [e for e in outcome.effects if isinstance(e, RecordConsent)]
    assert len(consents) == 1 and consents[0].granted is False
    assert outcome.state.offers[0].consent is False
    assert not any(isinstance(e, CreateReferral) for e in outcome.effects)


@pytest.mark.parametrize(("language", "text"), [
    ("ur", "shayad"), ("ur", "haan nahi"), ("bn", "জানি না"), ("ar", "ربما"), ("pl", "nie wiem"),
    ("en", "yes but not them"), ("en", "who are they?"), ("pt", "talvez"), ("uk", "не знаю"), ("en", "yes no"),
])
def test_an_unclear_answer_to_consent_records_nothing_and_asks_again(language: str, text: str) -> None:
    outcome = handle(_at_consent(language), Inbound(text, PLAIN), _env())
    assert not outcome.effects
    assert outcome.state.step == Step.CONSENT and outcome.state.offers[0].consent is None
    assert len(outcome.replies) >= 2 and [o.key for o in outcome.replies[-1].options] == ["1", "2"]  # asked again


@pytest.mark.parametrize(("language", "text"), [
    ("ur", "ji haan"), ("ur", "جی"), ("bn", "ঠিক আছে পাঠান"), ("ar", "ايوا صح"), ("ar", "موافق"), ("pl", "tak"),
])
def test_a_clear_yes_records_consent(language: str, text: str) -> None:
    outcome = handle(_at_consent(language), Inbound(text, PLAIN), _env())
    consents = [e for e in outcome.effects if isinstance(e, RecordConsent)]
    assert len(consents) == 1 and consents[0].granted is True


def test_not_safe_to_text_means_nothing_more_until_the_client_writes() -> None:
    crisis = NluResult(categories=("domestic_abuse",), crisis=True)
    state, replies, _ = _run([("hi", PLAIN), ("1", PLAIN), ("mąż mnie bije teraz", crisis), ("nie", PLAIN)])
    assert state.safe_to_text is False
    assert len(replies[-1]) == 1 and "only reply when you message us" in replies[-1][0]
    state2 = handle(state, Inbound("tak", PLAIN), _env()).state  # the client writes again: we carry on
    assert state2.step != Step.CRISIS_SAFE
