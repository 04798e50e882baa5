"""Deployment facts (network name, complaints contact) come from settings, through placeholders."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.channels.registry import build_composers
from bot.engine import Env, Inbound, handle
from bot.notifications import notify_status_change
from bot.outbox import OutboxMessage
from bot.replies import render_plain
from bot.service import ConversationService
from bot.state import State, Step
from core.db import make_engine, make_sessionmaker
from core.settings import Settings
from directory.matching import DirectorySnapshot
from nlu.keywords import KeywordClassifier
from nlu.result import NluResult
from referrals.actions import change_status
from referrals.models import Referral

NOW = dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC)


def _env(**facts: str) -> Env:
    return Env(now=NOW, channel="sms", directory=DirectorySnapshot(()), new_id=lambda: "id", **facts)


def _say(state: State, text: str, env: Env) -> str:
    return "\n".join(render_plain(r) for r in handle(state, Inbound(text, NluResult()), env).replies)


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Hi, this is the free advice line for Lea Valley Advice."),
    ("pl", "Dzień dobry, tu bezpłatna linia porad dla Lea Valley Advice."),
    ("cy", "Helo, dyma'r llinell gyngor am ddim ar gyfer Lea Valley Advice."),
])
def test_the_greeting_names_the_configured_network(language: str, expected: str) -> None:
    said = _say(State(language=language), "hello", _env(network_name="Lea Valley Advice"))
    assert expected in said and "Luton, Bristol" not in said


def test_help_shows_the_configured_complaints_contact() -> None:
    state = State(step=Step.DESCRIBE, language_chosen=True)
    said = _say(state, "help", _env(complaints_contact="complaints@lea-valley.org.uk"))
    assert "We don't give legal advice" in said and "To complain: complaints@lea-valley.org.uk" in said
    polish = _say(State(step=Step.DESCRIBE, language="pl", language_chosen=True), "help",
                  _env(complaints_contact="0300 000 0000"))
    assert "Skargi: 0300 000 0000" in polish


def test_help_without_a_contact_shows_no_made_up_address() -> None:
    said = _say(State(step=Step.DESCRIBE, language_chosen=True), "help", _env())
    assert "We don't give legal advice" in said
    assert "complain" not in said.lower() and "example.org" not in said and "@" not in said


def test_settings_reach_the_client(db_url: str, clock) -> None:
    settings = Settings(database_url=db_url, network_name="Suffolk Advice Network",
                        complaints_contact="complaints@suffolk-advice.org.uk")
    service = ConversationService(make_sessionmaker(make_engine(db_url)), KeywordClassifier(), settings,
                                  clock=clock)
    first = "\n".join(r.text for r in service.handle_sync("sms", "+447700900111", "hi").replies)
    assert "free advice line for Suffolk Advice Network" in first
    service.handle_sync("sms", "+447700900111", "1")
    helped = "\n".join(r.text for r in service.handle_sync("sms", "+447700900111", "help").replies)
    assert "To complain: complaints@suffolk-advice.org.uk" in helped


EMPLOYMENT_LUTON = [
    "hi", "1", "i was sacked from my job without notice and they havent paid my wages", "yes", "no",
    "LU2 7AB", "yes", "yes", "Sam",
]


def test_a_referral_records_its_conversation_and_notices_carry_it(service: ConversationService, clock) -> None:
    handled = [service.handle_sync("sms", "+447700900222", text) for text in EMPLOYMENT_LUTON]
    assert "Your reference is FD-" in handled[-1].replies[-1].text
    conversation_id = handled[-1].conversation_id
    assert conversation_id is not None and {h.conversation_id for h in handled} == {conversation_id}
    with service._factory() as session, session.begin():  # noqa: SLF001 - tests read what was written
        referral = session.scalars(select(Referral)).one()
        assert referral.conversation_id == conversation_id
        change_status(session, referral, "accepted", actor="Adviser", at=clock())
        ids = notify_status_change(session, referral, "accepted", composers=build_composers(Settings()),
                                   now=clock())
        assert ids
        notices = session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids))).all()
        assert {n.conversation_id for n in notices} == {conversation_id}
        assert all("has accepted your request" in n.body for n in notices)
