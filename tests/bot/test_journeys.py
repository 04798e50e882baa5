"""Scripted English conversations, end to end: service + keyword classifier + real database.

Each journey is a table of (client message, text the bot's reply must contain),
followed by checks on what was written: referrals, consents, unmet needs.
Every journey runs on SQLite and on PostgreSQL (the ``db_url`` fixture).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.conversation import Conversation
from bot.replies import render_plain
from bot.service import ConversationService
from directory.models import Service
from referrals.models import Consent, Referral, Signpost, UnmetNeed

Check = Callable[[Session], None]

# The route every journey shares once the issues are confirmed and routing asked, for a Luton client
# contacted by text (the channel they use), messages OK and no extra needs (one question), consenting.
LUTON_TAIL = [
    ("LU2 7AB", "safe to leave you messages"),
    ("yes", "Can I send"),
]


@dataclass
class Journey:
    turns: list[tuple[str, str | None]]
    check: Check | None = None
    channel: str = "sms"
    advance_before: dict[int, dt.timedelta] = field(default_factory=dict)  # turn index -> clock jump


def referrals(session: Session) -> list[Referral]:
    return list(session.scalars(select(Referral).order_by(Referral.created_at, Referral.id)))


def expect_referrals(*categories: str, urgent: bool | None = None, name: str | None = "Anna") -> Check:
    """Referrals exist for exactly these categories, each to a service that covers it, with consent."""

    def check(session: Session) -> None:
        found = referrals(session)
        assert sorted(c for r in found for c in r.categories) == sorted(categories)
        for referral in found:
            service = session.get(Service, referral.service_id)
            assert service is not None and service.accepts_referrals
            assert set(referral.categories) <= set(service.category_ids)
            assert referral.consent.granted and referral.consent.organization_id == referral.organization_id
            assert referral.consent.wording_text.startswith("Can I send")
            assert referral.client_name == name
            assert [a.action for a in referral.audit] == ["created"]
            if urgent is not None:
                assert referral.urgent is urgent
    return check


def _start(description: str) -> list[tuple[str, str | None]]:
    return [("hi", "Which language"), ("1", "In your own words"), (description, "I think you need help with")]


def _through_consent(name: str = "Anna") -> list[tuple[str, str | None]]:
    return [("yes", None), (name, "Your reference is FD-")]


JOURNEYS: dict[str, Journey] = {
    # The JOURNEY.md example: the date and the landlord read back with the issues, one consent for both.
    "housing_and_debt_like_journey_md": Journey(
        _start("got a letter from landlord saying get out by 15 jan. also behind on council tax and bailiffs sent "
               "a letter") + [
            ("yes", "court or tribunal"),
            ("no", "postcode or town"),
        ] + LUTON_TAIL + [("yes", "What name"), ("Anna", "Done, Anna")],
        expect_referrals("housing", "debt", urgent=False),
    ),
    "benefits_bristol": Journey(
        _start("my universal credit was stopped and i have no money for food") + [
            ("yes", "date you must act by"), ("no", "postcode"), ("BS5 6XY", "safe to leave you messages"),
            ("phone call", "leave you a message or voicemail"), ("yes", "Can I send"),
        ] + _through_consent(),
        lambda s: (expect_referrals("benefits")(s),
                   _assert(referrals(s)[0].communication_needs["contact_method"] == "phone")),
    ),
    "debt_ipswich": Journey(
        _start("i owe money on 3 credit cards and a payday loan, they keep phoning me") + [
            ("yes", "date you must act by"),
            ("no", "court or tribunal"), ("no", "postcode"), ("IP4 1AA", "safe to leave you messages"),
            ("text is fine, yes", "Can I send"),
        ] + _through_consent(),
        expect_referrals("debt"),
    ),
    "employment_luton": Journey(
        _start("i was sacked from my job without notice and they havent paid my wages") + [
            ("yes", "date you must act by"), ("no", "postcode"),
        ] + LUTON_TAIL + _through_consent(),
        expect_referrals("employment"),
    ),
    "immigration_bristol": Journey(
        _start("home office refused my visa extension, what can i do") + [
            ("yes", "date you must act by"), ("no", "postcode"), ("Bristol", "safe to leave you messages"),
            ("1", "Can I send"),
        ] + _through_consent(),
        expect_referrals("immigration"),
    ),
    "family_suffolk": Journey(
        _start("my ex wont let me see my kids since we separated") + [
            ("yes", "date you must act by"),
            ("no", "court or tribunal"), ("yes", "postcode"), ("Lowestoft", "safe to leave you messages"),
            ("1", "Can I send"),
        ] + _through_consent(),
        expect_referrals("family"),
    ),
    "domestic_abuse_asks_safe_times": Journey(
        _start("my partner controls all my money and checks my phone, i am scared of him") + [
            ("yes", "date you must act by"),
            ("no", "postcode"), ("LU1 3CD", "safe to leave you messages"),
            ("no", "When is it safe"), ("weekday mornings after 9", "Can I send"),
        ] + _through_consent(),
        lambda s: (expect_referrals("domestic_abuse")(s),
                   _assert(referrals(s)[0].communication_needs["safe_times"] == "weekday mornings after 9"),
                   _assert(referrals(s)[0].communication_needs["safe_to_message"] is False)),
    ),
    "consumer_bristol": Journey(
        _start("i bought a faulty washing machine and the shop refuses a refund") + [
            ("yes", "date you must act by"),
            ("no", "postcode"), ("BS1 4DJ", "safe to leave you messages"), ("1", None),
        ],
        lambda s: _assert(not referrals(s) or all(r.categories == ["consumer"] for r in referrals(s))),
    ),
    "health_and_care_luton": Journey(
        _start("my mum needs a care package and social services wont assess her") + [
            ("yes", "date you must act by"),
            ("no", "postcode"), ("LU3 2AA", "safe to leave you messages"), ("1", None),
        ],
        lambda s: _assert(all(r.categories == ["health_social_care"] for r in referrals(s))),
    ),
    "other_chosen_from_menu": Journey(
        [("hi", None), ("1", None), ("asdkjh qwe", "Which of these is it about"),
         ("12", "date you must act by"), ("no", "postcode"), ("LU4 0AB", "safe to leave you messages"), ("1", None)],
        lambda s: _assert(all(r.categories == ["other"] for r in referrals(s))),
    ),
    "multi_issue_three_problems": Journey(
        _start("landlord wants me out, i am behind on council tax and my universal credit was sanctioned") + [
            ("yes", "date you must act by"), ("no", "court or tribunal"), ("no", "postcode"),
        ] + LUTON_TAIL + [("yes", "What name"), ("Anna", "Done, Anna")],
        lambda s: (_assert({c for r in referrals(s) for c in r.categories} == {"housing", "debt", "benefits"}),
                   _assert(referrals(s)[0].routing["tenure"] == "private_rent")),
    ),
    "deadline_next_tuesday_is_urgent": Journey(
        [("hi", "Which language"), ("1", "In your own words"),
         ("my court hearing for eviction is next tuesday", "I have: must act by Tuesday 1 December"),
         ("yes", "About your home"), ("1", "court or tribunal"), ("yes", "postcode"),
         ] + LUTON_TAIL + _through_consent(),
        lambda s: (expect_referrals("housing", urgent=True)(s),
                   _assert(referrals(s)[0].deadline == dt.date(2026, 12, 1)),
                   _assert(referrals(s)[0].routing == {"tenure": "private_rent", "court_papers": True})),
    ),
    "deadline_typed_as_day_month": Journey(
        _start("the council says they will evict me") + [
            ("yes", "date you must act by"), ("sometime soon", "couldn't read that date"),
            ("14/12", "14 December"), ("no", "postcode"),
        ] + LUTON_TAIL + _through_consent(),
        lambda s: _assert(referrals(s)[0].deadline == dt.date(2026, 12, 14) and not referrals(s)[0].urgent),
    ),
    "crisis_in_the_middle": Journey(
        _start("my landlord is threatening me and wants me out") + [
            ("yes", "date you must act by"), ("no", "court or tribunal"), ("no", "postcode"),
            ("he is outside with a knife and says he will kill me", "call 999"),
            ("yes", "postcode or town"),
        ] + LUTON_TAIL + _through_consent(),
        lambda s: (_assert(all(r.urgent and r.crisis for r in referrals(s))), _assert(len(referrals(s)) >= 1)),
    ),
    "crisis_as_first_message": Journey(
        [("he hit me again and says he'll kill me", "999"), ("yes", "Which language"), ("1", "I think you need help"),
         ("yes", "date you must act by"), ("no", "postcode")],
        lambda s: _assert(s.scalars(select(Conversation)).one().state["crisis"] is True),
    ),
    "consent_refused_signposts": Journey(
        _start("i have been sacked for being pregnant") + [
            ("yes", "date you must act by"), ("no", "postcode"),
        ] + LUTON_TAIL[:-1] + [("yes", "Can I send"), ("no", "contact"), ],
        lambda s: (_assert(referrals(s) == []),
                   _assert(all(not c.granted for c in s.scalars(select(Consent)))),
                   _assert(s.scalars(select(Consent)).first() is not None),
                   _assert(any(p.reason == "consent_refused" for p in s.scalars(select(Signpost))))),
    ),
    "no_service_is_unmet_need": Journey(
        _start("my son was excluded from school and they wont give him his EHCP support") + [
            ("yes", "date you must act by"),
            ("no", "postcode"), ("IP14 1AA", "safe to leave you messages"), ("1", "couldn't find"),
        ],
        lambda s: (_assert(referrals(s) == []),
                   _assert([(u.category, u.reason) for u in s.scalars(select(UnmetNeed))]
                           == [("education", "no_service")])),
    ),
    "help_mid_flow_repeats_question": Journey(
        _start("bailiffs are coming about my council tax") + [
            ("yes", "date you must act by"),
            ("no", "court or tribunal"), ("help", "We don't give legal advice"), ("no", "postcode"),
        ] + LUTON_TAIL + _through_consent(),
        expect_referrals("debt"),
    ),
    "stop_then_start": Journey(
        _start("i owe money to the council") + [
            ("STOP", "not get any more messages"), ("hello?", None), ("yes", None),
            ("START", "I think you need help with"), ("yes", "date you must act by"),
            ("no", "court or tribunal"),
            ("no", "postcode"),
        ] + LUTON_TAIL + _through_consent(),
        expect_referrals("debt"),
    ),
    "restart_mid_flow": Journey(
        _start("my landlord wont fix the mould") + [
            ("yes", "date you must act by"), ("restart", "start again"), ("my universal credit stopped", "Benefits"),
            ("yes", "date you must act by"), ("no", "postcode"),
        ] + LUTON_TAIL + _through_consent(),
        expect_referrals("benefits"),
    ),
    "nonsense_is_handled": Journey(
        [("hi", None), ("🙂🙂🙂", "didn't understand"), ("1", None), ("xqzv plk", "Which of these"),
         ("lalala", "didn't understand"), ("3", "About your home"), ("banana", "didn't understand"), ("1", None),
         ("no", None), ("no", "postcode"), ("nowhere at all", "couldn't find that place"),
         ("LU2 7AB", "safe to leave you messages")],
        lambda s: _assert(s.scalars(select(Conversation)).one().step == "contact_method"),
    ),
    "language_change_mid_flow": Journey(
        _start("my employer is not paying me") + [
            ("yes", "date you must act by"),
            ("language", "Which language"), ("English", "date you must act by"), ("no", "postcode"),
        ] + LUTON_TAIL + _through_consent(),
        expect_referrals("employment"),
    ),
    "delete_my_data_after_referral": Journey(
        _start("my landlord is evicting me") + [
            ("yes", None), ("no", None), ("no", "postcode"),
        ] + LUTON_TAIL + _through_consent() + [
            ("delete my data", "delete everything"), ("yes", "has been deleted"),
        ],
        lambda s: (_assert(all(r.status == "withdrawn" and r.client_name is None for r in referrals(s))),
                   _assert(s.scalars(select(Conversation)).all() == [])),
    ),
    "idle_client_is_asked_to_continue": Journey(
        _start("my council tax bill is wrong and i cant pay it") + [
            ("yes", "date you must act by"),
            ("no", "court or tribunal"), ("no", "Welcome back"), ("1", "court or tribunal"), ("no", "postcode"),
        ] + LUTON_TAIL + _through_consent(),
        expect_referrals("debt"),
        advance_before={5: dt.timedelta(hours=5)},
    ),
    "other_language_needs_interpreter": Journey(
        [("hi", None), ("11", "Which language do you speak"), ("Tigrinya", "interpreter"),
         ("landlord eviction", "Housing"), ("yes", None), ("no", None), ("no", "postcode")]
        + LUTON_TAIL + _through_consent(),
        lambda s: (_assert(referrals(s)[0].communication_needs["interpreter"] is True),
                   _assert(referrals(s)[0].communication_needs["other_language"] == "Tigrinya")),
    ),
    "first_message_is_the_story": Journey(
        [("hi i need help my landlord says i have to leave", "Reply LANGUAGE to change it")],
        lambda s: _assert(s.scalars(select(Conversation)).one().step == "confirm_issues"),
    ),
    "first_message_without_a_clear_language_gets_the_menu": Journey(
        [("landlord eviction", "Which language"), ("English", "Housing")],
        lambda s: _assert(s.scalars(select(Conversation)).one().step == "confirm_issues"),
    ),
    "telegram_phone_call_asks_number": Journey(
        _start("i was dismissed unfairly") + [
            ("yes", "date you must act by"), ("no", "postcode"), ("LU2 7AB", "message you here on Telegram"),
            ("3", "phone number"), ("my number is 07700 900123", "leave you a message"), ("yes", "Can I send"),
        ] + _through_consent(),
        lambda s: _assert(referrals(s)[0].communication_needs["contact_detail"] == "+447700900123"),
        channel="telegram",
    ),
    "confused_client_is_offered_a_person": Journey(
        [("hi", "Which language"), ("1", "In your own words"), ("what?", "Tell me what the problem is"),
         ("what do you mean", "0 Talk to a person"), ("3", "About your home"),
         ("I rent from the council", "date you must act by"), ("not that i know of", "court or tribunal"),
         ("why?", "Papers from a court"), ("eh, yes no", "0 Talk to a person"),
         ("0", "Can someone from the advice network contact you?"), ("yes", "Your reference is FD-"),
         ("thanks", "We have asked the advice network to contact you")],
        lambda s: (_assert([(r.organization_id, r.categories, r.routing["tenure"], r.routing["callback"])
                            for r in referrals(s)] == [("network", ["housing"], "social_rent", True)]),
                   _assert(referrals(s)[0].consent.granted and referrals(s)[0].consent.organization_id == "network"),
                   _assert(referrals(s)[0].summary == "" and referrals(s)[0].deadline_text is None),
                   _assert(referrals(s)[0].client_name is None)),
    ),
    "council_tenant_called_dave": Journey(
        _start("the council says they will evict me") + [
            ("yes", "date you must act by"),
            ("what do you mean", "court hearing"), ("no date", "court or tribunal"), ("no", "postcode"),
        ] + LUTON_TAIL + [("yes", "What name"), ("its Dave", "Done, Dave.")],
        lambda s: (expect_referrals("housing", name="Dave")(s),
                   _assert(referrals(s)[0].routing["tenure"] == "social_rent"),
                   _assert(referrals(s)[0].deadline is None and referrals(s)[0].deadline_text is None),
                   _assert(referrals(s)[0].summary == "the council says they will evict me")),
    ),
    "cardiff_is_told_we_dont_cover_it": Journey(
        _start("i was sacked and they havent paid my wages") + [
            ("yes", "date you must act by"), ("no", "postcode"),
            ("CF24 4HQ", "we don't cover CF24 4HQ yet"),
            ("1", "I couldn't find a service for you this time, and I have not sent your details to anyone"),
            ("thanks", "I have not sent your details to anyone"),
        ],
        lambda s: (_assert(referrals(s) == []),
                   _assert(list(s.scalars(select(Signpost))) == []),
                   _assert([(u.category, u.reason) for u in s.scalars(select(UnmetNeed))]
                           == [("employment", "outside_area")])),
    ),
    "signposted_only_is_not_told_details_were_sent": Journey(
        _start("i have been sacked for being pregnant") + [
            ("yes", "date you must act by"), ("no", "postcode"),
        ] + LUTON_TAIL[:-1] + [("yes", "Can I send"), ("no", "I have not sent your details to anyone"),
                               ("ok", "I have not sent your details to anyone")],
        lambda s: _assert(referrals(s) == []),
    ),
}


def _assert(condition: bool) -> None:
    assert condition


def _sent(service: ConversationService) -> list[Referral]:
    with service._factory() as session:  # noqa: SLF001 - tests read what was written
        return referrals(session)


@pytest.mark.parametrize("name", list(JOURNEYS))
def test_journey(name: str, service: ConversationService, clock, db_url: str) -> None:
    journey = JOURNEYS[name]
    address = "+447700900123" if journey.channel == "sms" else "9000123"
    transcript: list[str] = []
    for index, (text, expected) in enumerate(journey.turns):
        if index in journey.advance_before:
            clock.now += journey.advance_before[index]
        handled = service.handle_sync(journey.channel, address, text)
        reply = "\n".join(render_plain(r) for r in handled.replies)
        transcript.append(f"> {text}\n{reply}")
        if expected is not None:
            assert expected in reply, "\n\n".join(transcript)
        if not any(r.organization_id for r in _sent(service)):
            assert "Your details have been sent" not in reply, "\n\n".join(transcript)
    if journey.check is not None:
        with service._factory() as session:  # noqa: SLF001 - tests read what was written
            journey.check(session)


def test_stop_means_silence(service: ConversationService) -> None:
    service.handle_sync("sms", "+447700900555", "hi")
    assert service.handle_sync("sms", "+447700900555", "stop").replies
    for text in ("hello", "1", "help", "my landlord is evicting me"):
        assert service.handle_sync("sms", "+447700900555", text).replies == []


def test_conversation_survives_a_restart(db_url: str, clock) -> None:
    """A new service (as after a crash or deploy) carries on where the client stopped."""
    from core.db import make_engine, make_sessionmaker
    from core.settings import Settings
    from nlu.keywords import KeywordClassifier

    def new_service() -> ConversationService:
        return ConversationService(make_sessionmaker(make_engine(db_url)), KeywordClassifier(),
                                   Settings(database_url=db_url), clock=clock)

    first = new_service()
    for text in ("hi", "1", "my landlord wants me out"):
        first.handle_sync("sms", "+447700900777", text)
    second = new_service()
    reply = "\n".join(r.text for r in second.handle_sync("sms", "+447700900777", "yes").replies)
    assert "date you must act by" in reply  # "landlord" was read back as renting privately: no tenure question
