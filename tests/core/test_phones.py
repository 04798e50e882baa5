"""Phone numbers a client types are stored as E.164 and shown to people in the national format."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.engine import Env, Inbound, handle
from bot.prompts import clean_contact_detail
from bot.replies import render_plain
from bot.state import State, Step
from core.phones import display_phone, normalise_phone
from directory.matching import DirectorySnapshot
from frontdoor.web.staff.data import contact_summary
from nlu.result import NluResult


@pytest.mark.parametrize(("typed", "stored"), [
    ("07700 900123", "+447700900123"),
    ("+44 7700 900123", "+447700900123"),
    ("447700900123", "+447700900123"),
    ("07700900123", "+447700900123"),
    ("0044 7700 900123", "+447700900123"),
    ("(07700) 900-123", "+447700900123"),
    ("my number is 07700 900123 thanks", "+447700900123"),
    ("07911 123456", "+447911123456"),
    ("020 7946 0958", "+442079460958"),
    ("01632 960001", "+441632960001"),
    ("+48 512 345 678", "+48512345678"),
    ("12345", None),
    ("07700 90012", None),
    ("999", None),
    ("no phone sorry", None),
    ("", None),
])
def test_typed_numbers_become_e164(typed: str, stored: str | None) -> None:
    assert normalise_phone(typed) == stored
    assert clean_contact_detail(typed, "phone") == stored


@pytest.mark.parametrize(("stored", "shown"), [
    ("+447700900123", "07700 900123"),
    ("+442079460958", "020 7946 0958"),
    ("+48512345678", "+48 512 345 678"),
    ("not a number", "not a number"),
])
def test_stored_numbers_are_shown_in_the_national_format(stored: str, shown: str) -> None:
    assert display_phone(stored) == shown


def test_email_is_left_as_an_email() -> None:
    assert clean_contact_detail("it's anna@example.org.", "email") == "anna@example.org"


def test_the_adviser_reads_the_national_format() -> None:
    needs = {"contact_method": "phone", "contact_detail": "+447700900123"}
    assert contact_summary(needs, "telegram") == "Phone call: 07700 900123"


def test_an_invalid_number_is_asked_for_again_and_a_good_one_stored() -> None:
    env = Env(now=dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC), channel="telegram",
              directory=DirectorySnapshot(()), new_id=lambda: "id")
    state = State(step=Step.CONTACT_DETAIL, language_chosen=True, contact_method="phone")
    refused = handle(state, Inbound("12345", NluResult()), env)
    assert refused.state.step == Step.CONTACT_DETAIL and refused.state.contact_detail is None
    said = "\n".join(render_plain(r) for r in refused.replies)
    assert "What phone number should they use?" in said
    taken = handle(refused.state, Inbound("447700900123", NluResult()), env)
    assert taken.state.contact_detail == "+447700900123" and taken.state.step != Step.CONTACT_DETAIL
