"""Which messages skip the model: exact answers to what the step asks do; anything more, or a crisis, does not.

One table, several languages: (step, language, message, skips). The service test runs the
same table through ``ConversationService`` with a classifier that records every call.
"""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.conversation import Conversation
from bot.expect import expects, is_exact_answer
from bot.service import ConversationService
from bot.state import Offer, State, Step
from core.db import make_engine, make_sessionmaker
from core.settings import Settings
from nlu.keywords import KeywordClassifier
from nlu.result import NluResult

NOW = dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC)

# (step, language, message, skips the model)
TABLE: list[tuple[str, str, str, bool]] = [
    # menus: option numbers only
    (Step.LANGUAGE, "en", "1", True),
    (Step.LANGUAGE, "en", "99", False),
    (Step.TENURE, "pl", "2", True),
    (Step.CHOOSE_CATEGORIES, "en", "2 3", True),
    (Step.CHOOSE_CATEGORIES, "ro", "1, 4", True),
    (Step.CHOOSE_CATEGORIES, "en", "2 because my landlord wants me out", False),
    (Step.CONTACT_METHOD, "ar", "1", True),
    (Step.TENURE, "en", "1 2", False),  # one choice only
    (Step.NEEDS, "ur", "نہیں", True),
    (Step.NEEDS, "en", "1 3", True),
    # yes / no, in the conversation's language
    (Step.CONFIRM_ISSUES, "en", "yes", True),
    (Step.CONFIRM_ISSUES, "en", "Yes please!", True),
    (Step.CONFIRM_ISSUES, "en", "yes but he hit me again", False),
    (Step.CONFIRM_ISSUES, "en", "no, also my benefits stopped", False),
    (Step.CONSENT, "pl", "tak", True),
    (Step.CONSENT, "pl", "nie dziękuję", True),
    (Step.CONSENT, "pl", "tak, ale on mnie znowu uderzył", False),
    (Step.COURT_PAPERS, "ur", "جی ہاں", True),
    (Step.COURT_PAPERS, "ur", "جی ہاں لیکن مکان مالک نے دھمکی دی", False),
    (Step.SAFE_MESSAGE, "ar", "نعم", True),
    (Step.SAFE_MESSAGE, "ar", "لا", True),
    (Step.SAFE_MESSAGE, "ar", "نعم لكن زوجي يضربني", False),
    (Step.CRISIS_SAFE, "ro", "da", True),
    (Step.CONFIRM_DELETE, "ro", "nu, mulțumesc", True),
    (Step.DEADLINE_CONFIRM, "ro", "da, dar proprietarul m-a amenințat", False),
    (Step.CONSENT, "en", "maybe", False),
    (Step.CONSENT, "en", "1", True),
    # a date, a postcode, a contact detail, a name
    (Step.DEADLINE_ASK, "en", "15/01", True),
    (Step.DEADLINE_ASK, "pl", "nie", True),
    (Step.DEADLINE_ASK, "en", "next tuesday i think", False),
    (Step.POSTCODE, "en", "LU2 7AB", True),
    (Step.POSTCODE, "pl", "lu27ab", True),
    (Step.POSTCODE, "en", "LU2 7AB but I am staying with my sister", False),
    (Step.CONTACT_DETAIL, "en", "+44 7700 900123", True),
    (Step.NAME, "en", "Anna", True),
    (Step.NAME, "pl", "Anna Kowalska", True),
    (Step.NAME, "ar", "فاطمة", True),
    (Step.NAME, "en", "my landlord changed the locks", False),
    # free text always goes to the model
    (Step.DESCRIBE, "en", "yes", False),
    (Step.DESCRIBE, "pl", "1", False),
    (Step.DONE, "en", "thanks", False),
    (Step.SAFE_TIMES, "en", "after 6pm", False),
    # commands are exact at every step
    (Step.DESCRIBE, "en", "HELP", True),
    (Step.POSTCODE, "pl", "pomoc", True),
]

# Exact-looking answers that the crisis phrases flag: never skipped.
CRISIS: list[tuple[str, str, str]] = [
    (Step.NAME, "en", "kill myself"),
    (Step.NAME, "en", "I'm not safe"),
]


def _state(step: str, language: str) -> State:
    offer = Offer(organization_id="org-bristol-ca", organization_name="Org", service_ids=["svc-bristol-ca-adviceline"],
                  categories=["housing"], referral=True, free=True, fees="", response_days=2, reasons=[])  # demo ids
    return State(step=step, language=language, language_chosen=True, contact_method="phone",
                 categories=["housing"], description="x", last_seen=NOW.isoformat(), offers=[offer])


@pytest.mark.parametrize(("step", "language", "text", "skips"), TABLE)
def test_exact_answers(step: str, language: str, text: str, skips: bool) -> None:
    assert is_exact_answer(expects(_state(step, language)), text) is skips


class RecordingClassifier:
    """Answers like the keyword classifier, as the model would, and records every message it was asked."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self._keywords = KeywordClassifier()

    async def classify(self, text: str, *, language: str | None, today: dt.date) -> NluResult:
        self.calls.append(text)
        found = self._keywords.classify_sync(text, language=language, today=today)
        return NluResult(categories=found.categories, crisis=found.crisis, dates=found.dates, source="rasa")


class Sources:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def nlu_done(self, source: str, seconds: float) -> None:
        self.seen.append(source)

    def turn_done(self, channel: str, seconds: float) -> None:
        pass


@pytest.fixture
def recording(sqlite_template: Path, tmp_path: Path) -> Iterator[tuple[ConversationService, RecordingClassifier]]:
    path = tmp_path / "frontdoor.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    classifier = RecordingClassifier()
    service = ConversationService(make_sessionmaker(engine), classifier, Settings(database_url=url),
                                  clock=lambda: NOW, observer=Sources())
    yield service, classifier
    engine.dispose()


def _save(service: ConversationService, address: str, state: State) -> None:
    with service._factory() as session, session.begin():  # the test writes the state the client is at
        session.add(Conversation(id=str(uuid.uuid4()), channel="sms", address=address, state=state.to_json(),
                                 step=state.step, created_at=NOW, updated_at=NOW))


def test_service_asks_the_model_only_when_it_can_change_the_answer(
        recording: tuple[ConversationService, RecordingClassifier]) -> None:
    service, classifier = recording
    observed = service.observer
    assert isinstance(observed, Sources)
    for number, (step, language, text, skips) in enumerate(TABLE + [(s, lang, t, False) for s, lang, t in CRISIS]):
        address = f"+4477009{number:05d}"
        _save(service, address, _state(step, language))
        before = len(classifier.calls)
        service.handle_sync("sms", address, text)
        asked = len(classifier.calls) > before
        assert asked is not skips, (step, language, text)
        assert observed.seen[-1] == ("skipped" if skips else "rasa"), (step, language, text)


def test_a_crisis_message_that_looks_exact_still_reaches_the_model_and_the_engine(
        recording: tuple[ConversationService, RecordingClassifier]) -> None:
    service, classifier = recording
    _save(service, "+447700900999", _state(Step.NAME, "en"))
    handled = service.handle_sync("sms", "+447700900999", "kill myself")
    assert classifier.calls == ["kill myself"]
    assert handled.step == Step.CRISIS_SAFE


def test_a_first_message_with_no_saved_state_goes_to_the_model_unless_it_is_a_menu_number(
        recording: tuple[ConversationService, RecordingClassifier]) -> None:
    service, classifier = recording
    service.handle_sync("sms", "+447700900001", "my landlord gave me a letter saying get out")
    service.handle_sync("sms", "+447700900002", "1")
    assert classifier.calls == ["my landlord gave me a letter saying get out"]
