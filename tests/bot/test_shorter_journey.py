"""The shorter journey (issue 19): what the first message said is kept, one consent question for every
organisation, one contact question, the language menu skipped when the language is plain.

The engine on its own (no database); consent safety is asserted on the effects it returns.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from bot.choices import read_consent
from bot.effects import CreateReferral, RecordConsent
from bot.engine import Env, Inbound, Outcome, handle
from bot.facts import guess_language, read_facts
from bot.replies import render_plain
from bot.state import State, Step
from core.languages import LANGUAGE_CODES
from directory.matching import DirectorySnapshot, ServiceRecord
from nlu.phrases import load_phrases
from nlu.result import FoundDate, NluResult

NOW = dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC)
TODAY = NOW.date()
PLAIN = NluResult()
TWO = NluResult(categories=("housing", "debt"), dates=(FoundDate(dt.date(2027, 1, 15), "15 jan"),))


def _service(sid: str, org: str, categories: tuple[str, ...]) -> ServiceRecord:
    return ServiceRecord(
        id=sid, organization_id=f"org-{sid}", organization_name=org, name=sid, description="",
        categories=categories, areas=(("local_authority", "Luton"),), languages=frozenset({"en"}),
        interpreters=True, free=True, fees_description="Free", accepts_referrals=True, capacity_per_week=10,
        response_days=2, phone="01632 960001", email=None, url=None, contact_methods=("sms",),
    )


SNAPSHOT = DirectorySnapshot((_service("law", "Luton Law Centre", ("housing",)),
                              _service("cab", "Citizens Advice Luton", ("debt",))))


def _env(channel: str = "sms") -> Env:
    counter = itertools.count(1)
    return Env(now=NOW, channel=channel, directory=SNAPSHOT,
               new_id=lambda: f"00000000-0000-0000-0000-{next(counter):012d}")


def _run(messages: list[tuple[str, NluResult]], channel: str = "sms", **inbound: str) -> tuple[State, list[Outcome]]:
    state, env, outcomes = State(), _env(channel), []
    for text, nlu in messages:
        outcome = handle(state, Inbound(text, nlu, **inbound), env)  # type: ignore[arg-type]
        outcomes.append(outcome)
        state = outcome.state
    return state, outcomes


def _text(outcome: Outcome) -> str:
    return "\n".join(render_plain(r) for r in outcome.replies)


STORY = "got a letter from landlord saying get out by 15 jan. also behind on council tax and bailiffs sent a letter"
TO_CONSENT = [(STORY, TWO), ("yes", PLAIN), ("no", PLAIN), ("LU2 7AB", PLAIN), ("yes", PLAIN)]


def test_the_first_message_is_taken_and_read_back_in_one_line() -> None:
    state, outcomes = _run([(STORY, TWO)])
    said = _text(outcomes[0])
    assert state.language == "en" and state.language_chosen and "Reply LANGUAGE to change it" in said
    assert "Which language" not in said, "an English story needs no language menu"
    assert "I have: must act by" in said and "private landlord" in said
    assert state.step == Step.CONFIRM_ISSUES and state.tenure == "private_rent"


def test_two_issues_reach_one_consent_question_naming_both() -> None:
    state, outcomes = _run(TO_CONSENT)
    question = _text(outcomes[-1])
    assert state.step == Step.CONSENT
    assert "1 Luton Law Centre" in question and "2 Citizens Advice Luton" in question
    assert len(TO_CONSENT) == 5  # story, yes, court papers, postcode, contact+safety: nothing asked twice


@pytest.mark.parametrize(("answer", "granted"), [
    ("yes", {"org-law", "org-cab"}), ("yes to all", {"org-law", "org-cab"}), ("both", {"org-law", "org-cab"}),
    ("1 only", {"org-law"}), ("just 2", {"org-cab"}), ("no", set()),
])
def test_consent_is_recorded_per_organisation(answer: str, granted: set[str]) -> None:
    state, outcomes = _run([*TO_CONSENT, (answer, PLAIN), ("Anna", PLAIN)])
    effects = [e for o in outcomes for e in o.effects]
    consents = [e for e in effects if isinstance(e, RecordConsent)]
    assert sorted(c.organization_id for c in consents) == ["org-cab", "org-law"], "one consent row each"
    assert {c.organization_id for c in consents if c.granted} == granted
    assert all(c.wording_text.startswith("Can I send") and "Luton Law Centre" in c.wording_text for c in consents)
    referrals = [e for e in effects if isinstance(e, CreateReferral)]
    assert {r.organization_id for r in referrals} == granted
    by_id = {c.consent_id: c for c in consents}
    assert all(by_id[r.consent_id].granted and by_id[r.consent_id].organization_id == r.organization_id
               for r in referrals)


@pytest.mark.parametrize("answer", ["1 not 2", "not 1", "3", "yes but not them", "maybe 1", "1 or 2?", "no 1",
                                    "tak 1 nie 2", "جی نہیں 1", "only"])
def test_an_unclear_subset_records_nothing_and_asks_again(answer: str) -> None:
    state, outcomes = _run([*TO_CONSENT, (answer, PLAIN)])
    assert state.step == Step.CONSENT
    assert not [e for e in outcomes[-1].effects if isinstance(e, RecordConsent | CreateReferral)]


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_a_subset_answer_with_a_negation_word_is_never_a_consent(language: str) -> None:
    """Any negation word of the language beside option numbers: asked again, never read as yes."""
    for negation in load_phrases(language).answers.negations:
        for text in (f"{negation} 1", f"1 {negation}", f"1 {negation} 2", f"{negation} 1 2"):
            assert read_consent(text, language, 2) in (None, frozenset()), (language, text)


def test_the_consent_question_loops_at_most_twice_before_the_person_route() -> None:
    state, outcomes = _run([*TO_CONSENT, ("blorp", PLAIN), ("1 not 2", PLAIN)])
    last = outcomes[-1]
    assert any(o.key == "0" for r in last.replies for o in r.options), _text(last)
    state, outcomes = _run([*TO_CONSENT, ("blorp", PLAIN), ("1 not 2", PLAIN), ("0", PLAIN)])
    assert state.step == Step.CALLBACK_CONSENT and not outcomes[-1].effects


def test_the_contact_question_loops_at_most_twice_before_the_person_route() -> None:
    state, outcomes = _run(TO_CONSENT[:-1] + [("blorp", PLAIN), ("???", PLAIN)])
    assert state.step == Step.CONTACT_METHOD
    assert any(o.key == "0" for r in outcomes[-1].replies for o in r.options), _text(outcomes[-1])


def test_everything_in_the_first_message_takes_at_most_six_messages() -> None:
    housing = NluResult(categories=("housing",), dates=(FoundDate(dt.date(2026, 12, 15), "15/12"),))
    first = "Hi my name is Anna, I live at LU2 7AB. My landlord says I must leave by 15/12. Text me after 5 please."
    state, outcomes = _run([(first, housing), ("yes", PLAIN), ("no", PLAIN), ("yes", PLAIN), ("yes", PLAIN)])
    assert state.step == Step.DONE and state.name == "Anna" and state.safe_times == "after 5"
    referral = next(e for o in outcomes for e in o.effects if isinstance(e, CreateReferral))
    assert referral.client_name == "Anna" and referral.postcode == "LU2 7AB"
    assert referral.communication_needs["contact_method"] == "sms"
    assert referral.communication_needs["safe_times"] == "after 5"


def test_saying_the_read_back_is_wrong_forgets_what_was_taken() -> None:
    housing = NluResult(categories=("housing",))
    state, _ = _run([("my landlord wants me out, I live in LU2 7AB", housing), ("no", PLAIN)])
    assert state.step == Step.CHOOSE_CATEGORIES
    assert state.postcode is None and state.tenure is None and Step.POSTCODE not in state.done_steps


def test_an_interpreter_language_in_the_story_is_a_need_not_a_switch() -> None:
    housing = NluResult(categories=("housing",))
    state, _ = _run([("my landlord wants me out and I need an interpreter for Polish", housing)])
    assert state.language == "en" and state.needs == ["interpreter"] and state.interpreter_language == "Polish"


def test_a_sylheti_interpreter_is_kept_in_the_referral() -> None:
    housing = NluResult(categories=("housing",))
    story = "বাড়িওয়ালা আমাকে বাড়ি থেকে বের করে দিতে চায়, আমার সিলেটি দোভাষী লাগবে"
    state, outcomes = _run([(story, housing), ("হ্যাঁ", PLAIN), ("না", PLAIN), ("না", PLAIN), ("LU2 7AB", PLAIN),
                            ("হ্যাঁ", PLAIN), ("হ্যাঁ", PLAIN), ("রহিম", PLAIN)])
    assert state.language == "bn" and state.step == Step.DONE
    referral = next(e for o in outcomes for e in o.effects if isinstance(e, CreateReferral))
    assert referral.communication_needs["interpreter"] is True
    assert referral.communication_needs["interpreter_language"] == "Sylheti"


def test_end_of_the_month_is_a_deadline_in_ukrainian() -> None:
    facts = read_facts("орендодавець каже виїхати до кінця місяця", "uk", TODAY)
    assert facts.month_end == dt.date(2026, 11, 30)


def test_contact_times_and_a_call_are_kept_from_the_contact_answer() -> None:
    state, _ = _run(TO_CONSENT[:-1] + [("call me after 5", PLAIN)])
    assert state.contact_method == "phone" and state.safe_times == "after 5"
    assert state.step == Step.SAFE_MESSAGE, "a way without a yes or no: the safety question on its own"


def test_telegram_offers_the_profile_name_and_uses_the_app_language() -> None:
    housing = NluResult(categories=("housing",))
    state, outcomes = _run([("/start", PLAIN)], channel="telegram", profile_name="Ola", language_code="pl")
    assert state.language == "pl" and state.step == Step.DESCRIBE
    script = [("/start", PLAIN), ("właściciel chce mnie wyrzucić", housing), ("tak", PLAIN), ("nie", PLAIN),
              ("nie", PLAIN), ("LU2 7AB", PLAIN), ("tak", PLAIN), ("tak", PLAIN)]
    state, outcomes = _run(script, channel="telegram", profile_name="Ola", language_code="pl")
    assert state.step == Step.NAME and "Ola" in _text(outcomes[-1])
    done = handle(state, Inbound("tak", PLAIN, "Ola", "pl"), _env("telegram"))
    referral = next(e for e in done.effects if isinstance(e, CreateReferral))
    assert referral.client_name == "Ola"


@pytest.mark.parametrize(("text", "language"), [
    ("my landlord wants me out of the flat", "en"), ("właściciel mieszkania chce mnie wyrzucić", "pl"),
    ("proprietarul vrea să mă dea afară din casă", "ro"), ("مجھ پر کونسل ٹیکس کا قرض ہے", "ur"),
    ("صاحب البيت يريد طردي من الشقة", "ar"), ("орендодавець каже виїхати", "uk"), ("hi", None),
    ("landlord eviction", None),
])
def test_the_language_is_guessed_only_when_plain(text: str, language: str | None) -> None:
    assert guess_language(text) == language


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_every_menu_option_has_words_in_every_language(language: str) -> None:
    from nlu.phrases import MENUS

    options = load_phrases(language).journey.options
    for menu in ("tenure", "contact", "needs", "resume"):
        assert set(options.get(menu, {})) == set(MENUS[menu]), (language, menu)
