"""A client's conversation state: plain data, saved as JSON between messages."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from typing import Any

__all__ = ["Offer", "State", "Step"]


class Step(StrEnum):
    """The journey's steps; members are strings, so saved states stay readable JSON."""

    START = "start"
    LANGUAGE = "language"
    OTHER_LANGUAGE = "other_language"
    DESCRIBE = "describe"
    CONFIRM_ISSUES = "confirm_issues"
    CHOOSE_CATEGORIES = "choose_categories"
    TENURE = "tenure"
    DEADLINE_CONFIRM = "deadline_confirm"
    DEADLINE_ASK = "deadline_ask"
    COURT_PAPERS = "court_papers"
    POSTCODE = "postcode"
    CONTACT_METHOD = "contact_method"
    CONTACT_DETAIL = "contact_detail"
    NEEDS = "needs"
    SAFE_MESSAGE = "safe_message"
    SAFE_TIMES = "safe_times"
    CONSENT = "consent"
    NAME = "name"
    DONE = "done"
    CRISIS_SAFE = "crisis_safe"
    CONFIRM_DELETE = "confirm_delete"
    RESUME = "resume"
    CALLBACK_CONSENT = "callback_consent"  # "0 = talk to a person": may the network contact them?


@dataclass
class Offer:
    """One organisation we propose to the client, for one or more of their issues."""

    organization_id: str
    organization_name: str
    service_ids: list[str]
    categories: list[str]
    referral: bool  # True: core partner with capacity (consent asked); False: signpost
    free: bool
    fees: str
    response_days: int | None
    reasons: list[list[str]]  # [code, value] pairs, rendered in the client's language
    phone: str | None = None
    url: str | None = None
    consent: bool | None = None  # None until asked
    consent_id: str | None = None
    service_names: list[str] = field(default_factory=list)
    fees_in_english: bool = False  # the directory has no translation of the charges for the client's language


@dataclass
class State:
    step: Step = Step.START
    language: str = "en"
    language_chosen: bool = False
    other_language: str | None = None  # the client's language when we don't support it
    description: str = ""
    categories: list[str] = field(default_factory=list)
    tenure: str | None = None
    court_papers: bool | None = None
    deadline: str | None = None  # ISO date
    deadline_text: str | None = None
    deadline_retries: int = 0
    postcode: str | None = None
    area: str | None = None  # local authority
    place_label: str | None = None
    place_districts: list[str] = field(default_factory=list)
    place_retries: int = 0
    place_nation: str | None = None  # the nation of a postcode outside the networks' areas
    outside_area: bool = False  # a valid UK postcode the networks do not cover
    contact_method: str | None = None  # sms, phone, telegram, email
    contact_detail: str | None = None  # a number or email when not the one they message from
    needs: list[str] = field(default_factory=list)  # keys of prompts.NEEDS_OPTIONS
    safe_to_message: bool | None = None
    safe_to_text: bool | None = None
    safe_times: str | None = None
    urgent: bool = False
    crisis: bool = False
    offers: list[Offer] = field(default_factory=list)
    offer_index: int = 0
    name: str | None = None
    done_steps: list[Step] = field(default_factory=list)  # questions already answered
    return_step: Step | None = None  # where to go back to after a detour (help, language, crisis)
    stopped: bool = False
    last_seen: str | None = None  # ISO datetime of the last inbound message
    referral_refs: list[str] = field(default_factory=list)
    misses: int = 0  # answers in a row we did not understand (or questions back) at this step
    before_callback: str | None = None  # the step to go back to when they decline the callback
    callback: bool = False  # the client asked to talk to a person and the network was sent their details
    interpreter_language: str | None = None  # the interpreter's language or dialect, in their words ("Sylheti")
    profile_name: str | None = None  # the name on their Telegram profile, offered at the name question
    taken: list[str] = field(default_factory=list)  # facts taken from their words, read back once to confirm

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> State:
        """Rebuild a state, ignoring keys this version doesn't know (old saved states)."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["offers"] = [Offer(**o) for o in values.get("offers", [])]
        if "step" in values:
            values["step"] = Step(values["step"])
        if values.get("return_step"):
            values["return_step"] = Step(values["return_step"])
        values["done_steps"] = [Step(s) for s in values.get("done_steps", [])]
        return cls(**values)

    @property
    def deadline_date(self) -> dt.date | None:
        return dt.date.fromisoformat(self.deadline) if self.deadline else None
