"""No dead ends, no junk stored: the engine on its own, at every step of the journey.

A client who does not understand a question, or whom we do not understand, is never
asked the same thing over and over: the second miss at a step brings the simplest form
of the question (numbered choices) and "0 = talk to a person"; "what?" gets an
explanation and is never stored as an answer.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import itertools

import pytest

from bot.effects import CreateReferral, RecordConsent, RecordUnmetNeed
from bot.engine import Env, Inbound, Outcome, handle
from bot.names import extract_name
from bot.replies import Reply, render_plain
from bot.state import State, Step
from core.languages import LANGUAGE_CODES
from directory.areas import resolve_place
from directory.matching import DirectorySnapshot, MatchRequest, ServiceRecord
from nlu.phrases import load_phrases
from nlu.questions import is_dont_know, is_question_back
from nlu.result import FoundDate, NluResult

NOW = dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC)
PLAIN = NluResult()
HOUSING = NluResult(categories=("housing",), dates=(FoundDate(dt.date(2026, 12, 1), "next tuesday"),))
ALL_STEPS = sorted(v for k, v in vars(Step).items() if k.isupper())


def _service(sid: str, categories: tuple[str, ...], areas: tuple[tuple[str, str], ...], *,
             referrals: bool = True) -> ServiceRecord:
    return ServiceRecord(
        id=sid, organization_id=f"org-{sid}", organization_name=sid.title(), name=sid, description="",
        categories=categories, areas=areas, languages=frozenset({"en"}), interpreters=False, free=True,
        fees_description="Free", accepts_referrals=referrals, capacity_per_week=10, response_days=2,
        phone="01632 960001", email=None, url=None, contact_methods=("sms",),
    )


SNAPSHOT = DirectorySnapshot((
    _service("law", ("housing",), (("local_authority", "Luton"),)),
    _service("cab", ("employment", "debt"), (("local_authority", "Luton"),)),
    _service("refuge", ("domestic_abuse", "housing", "employment"), (("national", "England"),), referrals=False),
    _service("ukline", ("employment",), (("national", "United Kingdom"),), referrals=False),
))


def _env(channel: str = "sms") -> Env:
    counter = itertools.count(1)
    return Env(now=NOW, channel=channel, directory=SNAPSHOT,
               new_id=lambda: f"00000000-0000-0000-0000-{next(counter):012d}")


def _say(state: State, text: str, nlu: NluResult = PLAIN, env: Env | None = None) -> Outcome:
    return handle(state, Inbound(text, nlu), env or _env())


def _text(outcome: Outcome) -> str:
    return "\n".join(render_plain(r) for r in outcome.replies)


def _offers_person(replies: list[Reply]) -> bool:
    return any(option.key == "0" for reply in replies for option in reply.options)


# The journey to one referral, a state saved at every step it passes: the date is read back with the
# issues, contact is one question (not safe to leave messages, so "when is it safe" follows).
_SCRIPT = [("hi", PLAIN), ("1", PLAIN), ("court next tuesday", HOUSING), ("yes", PLAIN), ("1", PLAIN),
           ("yes", PLAIN), ("LU2 7AB", PLAIN), ("no", PLAIN), ("mornings", PLAIN), ("yes", PLAIN),
           ("Anna", PLAIN)]


def _states_at_every_step() -> dict[str, State]:
    states: dict[str, State] = {Step.START: State()}
    state = State()
    for text, nlu in _SCRIPT:
        state = _say(state, text, nlu).state
        states.setdefault(state.step, copy.deepcopy(state))
    base = states[Step.POSTCODE]
    tenure = states[Step.TENURE]
    states[Step.DEADLINE_ASK] = dataclasses.replace(
        copy.deepcopy(tenure), step=Step.DEADLINE_ASK, deadline=None, deadline_text=None, urgent=False,
        done_steps=[*tenure.done_steps, Step.TENURE, Step.DEADLINE_CONFIRM])
    detours = {
        # Steps the shorter journey reaches only from some answers (a date not read back with the issues,
        # a contact way chosen without a yes or no) or only from states saved before it (needs on their own).
        Step.DEADLINE_CONFIRM: {"done_steps": [Step.TENURE]}, Step.NEEDS: {}, Step.SAFE_MESSAGE: {},
        Step.OTHER_LANGUAGE: {}, Step.CHOOSE_CATEGORIES: {},
        Step.CONTACT_DETAIL: {"contact_method": "email"}, Step.CRISIS_SAFE: {"return_step": Step.TENURE},
        Step.CONFIRM_DELETE: {"return_step": Step.TENURE}, Step.RESUME: {"return_step": Step.TENURE},
        Step.CALLBACK_CONSENT: {"before_callback": Step.TENURE},
    }
    for step, changes in detours.items():
        states.setdefault(step, dataclasses.replace(copy.deepcopy(base), step=step, **changes))
    return states


STATES = _states_at_every_step()


def test_every_step_is_reached() -> None:
    assert sorted(STATES) == ALL_STEPS


@pytest.mark.parametrize("junk", ["what?", "🙂", "???", "blorp"])
@pytest.mark.parametrize("step", ALL_STEPS)
def test_no_step_loops_more_than_twice_without_the_simple_choice_and_a_person(step: str, junk: str) -> None:
    """Five off-script messages in a row: from the second at one step on, numbers and "0" are offered."""
    state, at_step, transcript = STATES[step], 0, []
    for _ in range(5):
        before = state.step
        outcome = _say(state, junk)
        transcript.append(f"[{before}] > {junk}\n{_text(outcome)}")
        state = outcome.state
        at_step = at_step + 1 if state.step == before else 0
        if at_step >= 2 or (at_step == 1 and state.misses >= 2):
            if state.step == Step.CALLBACK_CONSENT:  # this is the person route: 1 yes, 2 no
                assert [o.key for o in outcome.replies[-1].options] == ["1", "2"], "\n\n".join(transcript)
            else:
                assert _offers_person(outcome.replies), "\n\n".join(transcript)
        if before != Step.NAME or is_question_back(junk):  # which names are refused is _on_name's own check
            assert not any(isinstance(e, CreateReferral) for e in outcome.effects), "\n\n".join(transcript)
    assert "what" not in (state.description, state.name, state.deadline_text, state.safe_times)


@pytest.mark.parametrize("step", [s for s in ALL_STEPS if s not in (Step.START, Step.CALLBACK_CONSENT)])
def test_zero_after_two_misses_asks_consent_then_queues_a_callback(step: str) -> None:
    state = STATES[step]
    for junk in ("what?", "what?"):
        state = _say(state, junk).state
    asked = _say(state, "0")
    assert asked.state.step == Step.CALLBACK_CONSENT
    assert "Can someone from the advice network contact you?" in _text(asked)
    assert not asked.effects, "nothing is sent before the client says yes"
    done = _say(asked.state, "yes")
    consents = [e for e in done.effects if isinstance(e, RecordConsent)]
    referrals = [e for e in done.effects if isinstance(e, CreateReferral)]
    assert len(consents) == 1 and consents[0].granted and consents[0].organization_id == "network"
    assert consents[0].wording_text.startswith("Can someone from the advice network contact you?")
    assert len(referrals) == 1 and referrals[0].organization_id == "network"
    assert referrals[0].consent_id == consents[0].consent_id and referrals[0].routing["callback"] is True
    assert referrals[0].routing["asked_at"] == (Step.CHOOSE_CATEGORIES if step == Step.DESCRIBE else step)
    assert done.state.step == Step.DONE and "Your reference is FD-" in _text(done)
    later = _say(done.state, "thanks")
    assert "We have asked the advice network to contact you" in _text(later)


def test_declining_the_callback_goes_back_to_the_question() -> None:
    state = STATES[Step.TENURE]
    for text in ("what?", "banana", "0"):
        state = _say(state, text).state
    outcome = _say(state, "no")
    assert outcome.state.step == Step.TENURE and "About your home" in _text(outcome)
    assert [e.granted for e in outcome.effects if isinstance(e, RecordConsent)] == [False]
    assert not any(isinstance(e, CreateReferral) for e in outcome.effects)


def test_zero_is_an_ordinary_answer_before_two_misses() -> None:
    outcome = _say(STATES[Step.TENURE], "0")
    assert outcome.state.step == Step.TENURE and "didn't understand" in _text(outcome)


def test_the_simple_form_of_a_menu_is_numbers_only() -> None:
    state = _say(STATES[Step.TENURE], "banana").state
    outcome = _say(state, "banana")
    last = outcome.replies[-1]
    assert last.text == "Please reply with a number."
    assert [o.key for o in last.options] == ["1", "2", "3", "4", "5", "0"]
    assert _say(outcome.state, "2").state.tenure == "social_rent"


def test_simple_deadline_question_takes_one_for_no_date() -> None:
    state = STATES[Step.DEADLINE_ASK]
    for text in ("yes", "what?"):
        state = _say(state, text).state
    outcome = _say(state, "1")
    assert outcome.state.step == Step.COURT_PAPERS
    assert outcome.state.deadline is None and outcome.state.deadline_text is None


def test_a_describe_step_that_misses_twice_offers_the_list_of_problems() -> None:
    state = STATES[Step.DESCRIBE]
    first = _say(state, "yes")
    assert first.state.step == Step.DESCRIBE and first.state.description == ""
    second = _say(first.state, "1")
    assert second.state.step == Step.CHOOSE_CATEGORIES and second.state.description == ""
    assert _offers_person(second.replies)
    chosen = _say(second.state, "3")
    assert chosen.state.categories == ["housing"] and chosen.state.description == ""


# ---------------------------------------------------------------------------
# Questions back: explained, never stored


@pytest.mark.parametrize("step", ALL_STEPS)
def test_a_question_back_is_explained_and_the_question_asked_again(step: str) -> None:
    state = STATES[step]
    if step == Step.START:
        return  # the first message gets the welcome and the language menu
    outcome = _say(state, "what do you mean")
    assert outcome.state.step == step
    assert len(outcome.replies) >= 2 and "didn't understand" not in outcome.replies[0].text
    stored = {f.name: getattr(outcome.state, f.name) for f in dataclasses.fields(State)}
    assert "what do you mean" not in {v for v in stored.values() if isinstance(v, str)}
    assert outcome.state.description == state.description


def test_each_step_has_its_own_explanation() -> None:
    explanations = {step: _say(STATES[step], "why?").replies[0].text for step in ALL_STEPS if step != Step.START}
    assert len(set(explanations.values())) == len(explanations)


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_questions_back_are_known_in_every_language(language: str) -> None:
    phrases = load_phrases(language).conversation
    assert all(is_question_back(p, language) for p in phrases.questions_back)
    assert all(is_dont_know(p, language) for p in phrases.dont_know)
    assert is_question_back("?", language) and is_question_back("what?", language)
    assert not is_question_back("my landlord wants me out of my flat by friday", language)


@pytest.mark.parametrize("text", ["yes", "no", "1", "what?", "maybe", "no idea", "👍"])
def test_a_description_must_look_like_one(text: str) -> None:
    outcome = _say(STATES[Step.DESCRIBE], text)
    assert outcome.state.step == Step.DESCRIBE and outcome.state.description == ""


@pytest.mark.parametrize("text", ["yes", "1", "what?", "maybe"])
def test_a_date_must_look_like_one(text: str) -> None:
    state = STATES[Step.DEADLINE_ASK]
    for _ in range(3):
        state = _say(state, text).state
        assert state.deadline_text is None


@pytest.mark.parametrize("text", ["not that i know of", "no date", "don't know", "Dunno", "no idea"])
def test_not_knowing_a_date_is_an_answer(text: str) -> None:
    outcome = _say(STATES[Step.DEADLINE_ASK], text)
    assert outcome.state.step == Step.COURT_PAPERS
    assert outcome.state.deadline is None and outcome.state.deadline_text is None


@pytest.mark.parametrize(("text", "language", "name"), [
    ("its Dave", "en", "Dave"), ("it's Dave", "en", "Dave"), ("my name is Dave", "en", "Dave"),
    ("I'm Dave", "en", "Dave"), ("Dave", "en", "Dave"), ("Mary Jane O'Neil", "en", "Mary Jane O'Neil"),
    ("nazywam się Anna", "pl", "Anna"), ("Mam na imię Ania.", "pl", "Ania"), ("mă numesc Ioana", "ro", "Ioana"),
    ("mera naam Ali hai", "ur", "Ali"), ("میرا نام علی ہے", "ur", "علی"), ("amar nam Rahim", "bn", "Rahim"),
    ("اسمي فاطمة", "ar", "فاطمة"), ("magacaygu waa Cali", "so", "Cali"), ("chamo-me João", "pt", "João"),
    ("мене звати Олена", "uk", "Олена"), ("fy enw i yw Siân", "cy", "Siân"), ("its", "en", "its"),
])
def test_the_name_alone_is_kept(text: str, language: str, name: str) -> None:
    assert extract_name(text, language) == name


def test_its_dave_is_sent_as_dave() -> None:
    outcome = _say(STATES[Step.NAME], "its Dave")
    referrals = [e for e in outcome.effects if isinstance(e, CreateReferral)]
    assert referrals and all(r.client_name == "Dave" for r in referrals)
    assert "Done, Dave." in _text(outcome)


# ---------------------------------------------------------------------------
# Tenure, honest endings, places


@pytest.mark.parametrize(("text", "tenure"), [
    ("I rent from the council", "social_rent"), ("housing association", "social_rent"),
    ("I rent from a private landlord", "private_rent"), ("I rent a flat", "private_rent"),
    ("renting privately", "private_rent"), ("council tenant", "social_rent"), ("1", "private_rent"),
])
def test_tenure_words(text: str, tenure: str) -> None:
    assert _say(STATES[Step.TENURE], text).state.tenure == tenure


def _to_postcode(postcode: str, nlu: NluResult) -> list[Outcome]:
    state = dataclasses.replace(copy.deepcopy(STATES[Step.POSTCODE]), categories=list(nlu.categories))
    outcomes = []
    for text in (postcode, "1", "no", "yes"):
        outcome = _say(state, text)
        outcomes.append(outcome)
        state = outcome.state
    return outcomes


def test_a_postcode_outside_the_networks_is_told_so_and_gets_only_services_that_cover_it() -> None:
    outcomes = _to_postcode("CF24 4HQ", NluResult(categories=("employment",)))
    said = "\n".join(_text(o) for o in outcomes)
    assert "we don't cover CF24 4HQ yet" in said
    assert "Refuge" not in said, "an England-only service never covers Cardiff"
    assert "Ukline can help with Work" in said, "a UK-wide service does"
    assert outcomes[-1].state.step == Step.DONE and outcomes[-1].state.outside_area
    assert "I have not sent your details to anyone" in said
    assert "Your details have been sent" not in said


def test_nothing_found_says_so_and_records_the_need_as_outside_the_area() -> None:
    outcomes = _to_postcode("CF24 4HQ", NluResult(categories=("housing",)))
    said = "\n".join(_text(o) for o in outcomes)
    assert "I couldn't find a service for you this time, and I have not sent your details to anyone" in said
    needs = [e for o in outcomes for e in o.effects if isinstance(e, RecordUnmetNeed)]
    assert [(n.category, n.reason) for n in needs] == [("housing", "outside_area")]
    again = _say(outcomes[-1].state, "ok thanks")
    assert "Your details have been sent" not in _text(again)
    assert "I couldn't find a service for you this time" in _text(again)


def test_the_closing_line_after_a_referral_says_it_was_sent() -> None:
    outcome = _say(STATES[Step.DONE], "thanks")
    assert "Your details have been sent" in _text(outcome)


def test_national_services_cover_only_their_nations() -> None:
    cardiff, luton, border = resolve_place("CF24 4HQ"), resolve_place("LU2 7AB"), resolve_place("SY1 1AA")
    assert cardiff is not None and cardiff.nation == "Wales" and not cardiff.covered
    assert luton is not None and luton.nation == "England" and luton.covered
    assert border is not None and border.nation is None
    england = [m.service.id for m in SNAPSHOT.match(MatchRequest("employment", luton, "en"))]
    wales = [m.service.id for m in SNAPSHOT.match(MatchRequest("employment", cardiff, "en"))]
    across = [m.service.id for m in SNAPSHOT.match(MatchRequest("employment", border, "en"))]
    assert set(england) == {"cab", "refuge", "ukline"} and wales == ["ukline"] and across == ["ukline"]
