"""Steps and statuses are StrEnums: one list each, and saved as the plain strings they always were."""

from __future__ import annotations

import json

from bot.outbox import FINAL, NOT_ARRIVING, OPEN, PROBLEMS, OutboxStatus
from bot.state import State, Step
from referrals.actions import OPEN_STATUSES, TRANSITIONS
from referrals.models import STATUSES, ReferralStatus


def test_a_saved_state_is_plain_json_and_comes_back_as_steps() -> None:
    state = State(step=Step.NAME, return_step=Step.POSTCODE, done_steps=[Step.TENURE, Step.POSTCODE])
    saved = json.loads(json.dumps(state.to_json()))
    assert saved["step"] == "name" and saved["done_steps"] == ["tenure", "postcode"]
    back = State.from_json(saved)
    assert back == state and back.step is Step.NAME and back.return_step is Step.POSTCODE
    assert all(isinstance(s, Step) for s in back.done_steps)


def test_an_old_state_saved_as_strings_still_loads() -> None:
    back = State.from_json({"step": "consent", "return_step": None, "unknown_key": 1})
    assert back.step is Step.CONSENT and back.return_step is None and back.done_steps == []


def test_referral_statuses_have_one_source() -> None:
    assert tuple(ReferralStatus) == STATUSES
    assert [str(s) for s in STATUSES] == ["new", "accepted", "contacted", "declined", "closed", "withdrawn"]
    assert set(TRANSITIONS) == set(STATUSES) and set(OPEN_STATUSES) < set(STATUSES)
    assert all(set(after) <= set(STATUSES) for after in TRANSITIONS.values())


def test_outbox_statuses_partition() -> None:
    assert set(OPEN) | set(FINAL) == set(OutboxStatus) and not set(OPEN) & set(FINAL)
    assert set(PROBLEMS) < set(NOT_ARRIVING) <= set(FINAL)
