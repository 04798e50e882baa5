"""Handoff routing and decline -> re-route, through the real conversation service (SQLite and PostgreSQL).

A client whose referral an adviser accepted talks to the adviser (the referral's
thread), not the bot; MENU returns them to the bot; crisis phrases still get the
crisis reply and reach the adviser flagged urgent; with several open handoffs
the client is asked which organisation a message is for. A declined referral
is offered to the next matching organisation, with consent asked for that one.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from functools import partial

import pytest
from sqlalchemy import select

from bot.channels.registry import build_composers
from bot.handoff import adviser_message_text, route, send_adviser_message
from bot.handoff_store import ClientHandoff
from bot.i18n import get_translator
from bot.outbox import OutboxMessage
from bot.replies import render_plain
from bot.reroute import NO_MATCH, OFFERED, offer_next_service
from bot.state import State, Step
from core.db import transaction
from core.languages import LANGUAGE_CODES
from core.settings import Settings
from frontdoor.runtime import Runtime
from nlu.commands import command_in, is_menu
from nlu.phrases import load_phrases
from nlu.result import NluResult
from referrals.access import NotVisible
from referrals.actions import (
    ReferralError,
    change_status,
    create_referral,
    do_change_status,
    do_decline,
    do_reroute,
    do_send_message,
    record_consent,
)
from referrals.models import Consent, Referral, ReferralMessage, UnmetNeed
from staff.accounts import create_account
from staff.models import StaffAccount
from tests.support import keyword_runtime

CLIENT = "+447700900321"
FIRST_ORG, NEXT_ORG = "org-luton-ca", "org-luton-law"
# A Luton employment referral to Lea Valley Citizens Advice, as a client makes one.
TURNS = ["hi", "1", "i was sacked from my job without notice and they havent paid my wages", "yes", "no",
         "LU2 7AB", "yes", "yes", "Robin"]


@pytest.fixture
def runtime(db_url: str, clock) -> Iterator[Runtime]:
    with keyword_runtime(Settings(database_url=db_url, outbox_in_app=0), clock) as built:
        yield built


def say(runtime: Runtime, text: str, address: str = CLIENT) -> list[str]:
    return [render_plain(r) for r in runtime.conversations.handle_sync("sms", address, text).replies]


def refer(runtime: Runtime, address: str = CLIENT) -> str:
    for text in TURNS:
        replies = say(runtime, text, address)
    assert any("FD-" in r for r in replies), replies
    with runtime.sessions() as session:
        return session.scalars(select(Referral.id).where(Referral.client_address == address)
                               .order_by(Referral.created_at.desc())).first() or ""


def account(runtime: Runtime, role: str = "adviser", org: str | None = FIRST_ORG) -> StaffAccount:
    with transaction(runtime.sessions) as session:
        return create_account(session, email=f"{uuid.uuid4().hex[:8]}@staff.example.org", name="Ada Adviser",
                              role=role, organization_id=org, password="correct horse battery staple",
                              at=dt.datetime.now(dt.UTC))


def accept(runtime: Runtime, referral_id: str, at: dt.datetime) -> None:
    with transaction(runtime.sessions) as session:
        referral = session.get(Referral, referral_id)
        assert referral is not None
        change_status(session, referral, "accepted", actor="staff:test", at=at)


def thread(runtime: Runtime, referral_id: str) -> list[tuple[str, str, bool]]:
    with runtime.sessions() as session:
        return [(m.direction, m.body, m.urgent) for m in session.scalars(
            select(ReferralMessage).where(ReferralMessage.referral_id == referral_id).order_by(ReferralMessage.id))]


def write_to_client(runtime: Runtime, adviser: StaffAccount, referral_id: str, body: str,
                    at: dt.datetime) -> ReferralMessage:
    composers = build_composers(runtime.settings)
    with transaction(runtime.sessions) as session:
        return do_send_message(session, adviser, referral_id, body, at=at, send=lambda s, r, text, now:
                               send_adviser_message(s, r, text, composers=composers, now=now))


def outbox_bodies(runtime: Runtime) -> list[str]:
    with runtime.sessions() as session:
        return [m.body for m in session.scalars(select(OutboxMessage).where(OutboxMessage.address == CLIENT)
                                                .order_by(OutboxMessage.id))]


def second_referral(runtime: Runtime, organization_id: str, service_id: str, at: dt.datetime) -> str:
    """Another accepted referral of the same client, to another organisation."""
    with transaction(runtime.sessions) as session:
        consent = record_consent(session, consent_id=None, client_channel="sms", client_address=CLIENT,
                                 organization_id=organization_id, granted=True, wording_version="v1",
                                 wording_text="May I send your details?", language="en", at=at)
        referral = create_referral(session, consent_id=consent.id, at=at, reference=f"FD-{uuid.uuid4().hex[:8]}",
                                   language="en", categories=["employment"], summary="unpaid wages",
                                   client_name="Robin", organization_id=organization_id, service_id=service_id)
        change_status(session, referral, "accepted", actor="staff:test", at=at)
        return referral.id


# --- handoff routing ----------------------------------------------------------------------------------------------


def test_before_an_adviser_accepts_the_bot_answers(runtime: Runtime) -> None:
    referral_id = refer(runtime)
    assert say(runtime, "thank you") != []  # the bot's closing line, as before
    assert thread(runtime, referral_id) == []


def test_an_accepted_referral_opens_a_handoff_and_menu_returns_to_the_bot(runtime: Runtime, clock) -> None:
    referral_id = refer(runtime)
    adviser = account(runtime)
    accept(runtime, referral_id, clock())
    clock.advance(minutes=1)
    assert say(runtime, "thanks, when can we talk?") == []  # to the adviser, no bot reply
    assert thread(runtime, referral_id) == [("in", "thanks, when can we talk?", False)]
    clock.advance(minutes=1)
    back = say(runtime, "MENU")
    assert back == [get_translator("en").gettext(
        "You are talking to the bot again. Your adviser can still write to you here, and their next message "
        "will reach you.")]
    assert say(runtime, "help")[0].startswith("We put you in touch")  # the bot again
    assert len(thread(runtime, referral_id)) == 1
    clock.advance(minutes=1)
    write_to_client(runtime, adviser, referral_id, "Can you call us on Monday?", clock())
    clock.advance(minutes=1)
    assert say(runtime, "yes I can") == []  # the adviser wrote again: the handoff is open again
    assert [m[1] for m in thread(runtime, referral_id)] == [
        "thanks, when can we talk?", "Can you call us on Monday?", "yes I can"]
    with runtime.sessions() as session:
        referral = session.get(Referral, referral_id)
        assert referral is not None
        actions = [e.action for e in referral.audit]
        assert actions.count("message_received") == 2 and actions.count("message_sent") == 1
        assert all("text" not in e.detail and "body" not in e.detail for e in referral.audit)  # never words


def test_the_adviser_message_reaches_the_client_in_their_language(runtime: Runtime, clock) -> None:
    referral_id = refer(runtime)
    adviser = account(runtime)
    with pytest.raises(ReferralError, match="accept it first"):
        write_to_client(runtime, adviser, referral_id, "Hello", clock())
    accept(runtime, referral_id, clock())
    message = write_to_client(runtime, adviser, referral_id, "Hello Robin, this is Ada.", clock())
    expected = adviser_message_text("en", "Lea Valley Citizens Advice", "Hello Robin, this is Ada.")
    assert outbox_bodies(runtime)[-1] == expected
    assert message.segments == 1
    with pytest.raises(ReferralError, match="write a message first"):
        write_to_client(runtime, adviser, referral_id, "   ", clock())
    polish = adviser_message_text("pl", "Lea Valley Citizens Advice", "Dzień dobry")
    assert polish != adviser_message_text("en", "Lea Valley Citizens Advice", "Dzień dobry")
    assert "Dzień dobry" in polish and "Lea Valley Citizens Advice" in polish


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_menu_works_in_every_language(runtime: Runtime, language: str, clock) -> None:
    words = load_phrases(language).commands.menu
    assert words and all(is_menu(w) for w in words)
    assert all(command_in(w) == "help" for w in words)  # outside a handoff MENU is HELP, as before
    referral_id = second_referral(runtime, FIRST_ORG, "svc-luton-ca-employment", clock())
    clock.advance(minutes=1)
    state = State(step=Step.DONE, language=language)
    with transaction(runtime.sessions) as session:
        routed = route(session, channel="sms", address=CLIENT, text=words[-1].upper(), nlu=NluResult(),
                       state=state, now=clock())
    assert routed is not None
    assert routed.replies[0].text == get_translator(language).gettext(
        "You are talking to the bot again. Your adviser can still write to you here, and their next message "
        "will reach you.")
    if language != "en":
        assert routed.replies[0].text != get_translator("en").gettext(
            "You are talking to the bot again. Your adviser can still write to you here, and their next "
            "message will reach you."), "not translated"
    with transaction(runtime.sessions) as session:
        after = route(session, channel="sms", address=CLIENT, text="hello", nlu=NluResult(), state=state,
                      now=clock())
    assert after is None and thread(runtime, referral_id) == []  # the bot's again


def test_several_handoffs_ask_which_organisation(runtime: Runtime, clock) -> None:
    first = refer(runtime)
    accept(runtime, first, clock())
    clock.advance(minutes=1)  # oldest first: the numbering is stable
    second = second_referral(runtime, NEXT_ORG, "svc-luton-law-employment", clock())
    clock.advance(minutes=1)
    asked = say(runtime, "I found my contract")
    assert asked == ["Which organisation is your message for? Reply with its number.\n"
                     "1 Lea Valley Citizens Advice\n2 Lea Valley Law Centre"]
    assert thread(runtime, first) == [] and thread(runtime, second) == []
    assert say(runtime, "it says one month notice") == asked  # not a number: asked again, both words kept
    assert say(runtime, "2") == ["Sent to Lea Valley Law Centre."]
    assert thread(runtime, second) == [("in", "I found my contract\nit says one month notice", False)]
    assert thread(runtime, first) == []


def test_a_crisis_in_a_handoff_reaches_the_adviser_urgent_and_gets_the_crisis_reply(runtime: Runtime,
                                                                                    clock) -> None:
    referral_id = refer(runtime)
    accept(runtime, referral_id, clock())
    clock.advance(minutes=1)
    replies = say(runtime, "my ex is outside with a knife and says he will kill me")
    assert any("999" in r for r in replies)  # the bot's crisis reply
    assert thread(runtime, referral_id) == [
        ("in", "my ex is outside with a knife and says he will kill me", True)]
    with runtime.sessions() as session:
        referral = session.get(Referral, referral_id)
        assert referral is not None and referral.urgent and referral.crisis
    replies = say(runtime, "yes")  # the bot's "is it safe?" question is answered to the bot
    assert len(thread(runtime, referral_id)) == 1


def test_stop_always_reaches_the_bot(runtime: Runtime, clock) -> None:
    referral_id = refer(runtime)
    accept(runtime, referral_id, clock())
    assert "START" in say(runtime, "STOP")[0]
    assert thread(runtime, referral_id) == []


# --- decline -> re-route ------------------------------------------------------------------------------------------


def decline(runtime: Runtime, adviser: StaffAccount, referral_id: str, at: dt.datetime,
            reason: str = "No employment adviser until January") -> str:
    composers = build_composers(runtime.settings)
    with transaction(runtime.sessions) as session:
        _row, result = do_decline(session, adviser, referral_id, reason, at=at, offer_next=lambda s, r, now:
                                  offer_next_service(s, r, now, composers=composers))
    return result


def consents(runtime: Runtime) -> list[tuple[str, bool]]:
    with runtime.sessions() as session:
        return [(c.organization_id, c.granted) for c in session.scalars(select(Consent).order_by(Consent.created_at))]


def test_declining_needs_a_reason(runtime: Runtime, clock) -> None:
    referral_id = refer(runtime)
    adviser = account(runtime)
    with pytest.raises(ReferralError, match="give a reason"):
        decline(runtime, adviser, referral_id, clock(), reason="  ")
    with transaction(runtime.sessions) as session, pytest.raises(ReferralError, match="needs a reason"):
        do_change_status(session, adviser, referral_id, "declined", at=clock(), note=None,
                         notify=lambda *_: None)


def test_decline_offers_the_next_service_and_yes_makes_a_new_referral(runtime: Runtime, clock) -> None:
    referral_id = refer(runtime)
    adviser = account(runtime)
    assert decline(runtime, adviser, referral_id, clock()) == OFFERED
    offer = outbox_bodies(runtime)[-2:]
    reference = _reference(runtime, referral_id)
    assert offer[0] == (f"Lea Valley Citizens Advice cannot take your request (reference {reference}). Another "
                        "service may be able to help: Lea Valley Law Centre (Employment and discrimination law).")
    assert offer[1].startswith("Can I send Lea Valley Law Centre your name")
    clock.advance(minutes=5)
    replies = say(runtime, "yes")
    assert replies[0].startswith("Done, Robin. Lea Valley Law Centre has your details")
    with runtime.sessions() as session:
        new = session.scalars(select(Referral).where(Referral.organization_id == NEXT_ORG)).one()
        assert new.status == "new" and new.routing["rerouted_from"] == _reference(runtime, referral_id)
        assert new.client_name == "Robin" and new.categories == ["employment"]
        assert new.consent.organization_id == NEXT_ORG and new.consent.granted
        assert new.consent.wording_text == offer[1].split("\n")[0]
        old = session.get(Referral, referral_id)
        assert old is not None and old.status == "declined"
        assert [e.action for e in old.audit][-2:] == ["status", "rerouted"]
        assert old.audit[-2].detail["note"] == "No employment adviser until January"
    assert consents(runtime) == [(FIRST_ORG, True), (NEXT_ORG, True)]  # a new consent row, for that organisation
    assert replies[1].startswith("Your reference is FD-")


def test_decline_then_no_is_recorded_as_unmet_need(runtime: Runtime, clock) -> None:
    referral_id = refer(runtime)
    assert decline(runtime, account(runtime), referral_id, clock()) == OFFERED
    clock.advance(minutes=5)
    replies = say(runtime, "no")
    assert replies[0].startswith("OK, I won't send them anything. You can contact Lea Valley Law Centre yourself")
    assert "still need help" in replies[0]
    assert consents(runtime) == [(FIRST_ORG, True), (NEXT_ORG, False)]
    with runtime.sessions() as session:
        assert session.scalars(select(Referral.organization_id)).all() == [FIRST_ORG]
        needs = [(n.category, n.reason) for n in session.scalars(select(UnmetNeed))]
        assert ("employment", "reroute_refused") in needs
        assert session.get(ClientHandoff, ("sms", CLIENT)).pending == {}  # type: ignore[union-attr]
    assert say(runtime, "thank you") != []  # the bot answers again


def test_an_unclear_answer_asks_again_and_no_match_is_told_honestly(runtime: Runtime, clock) -> None:
    referral_id = refer(runtime)
    adviser = account(runtime)
    decline(runtime, adviser, referral_id, clock())
    clock.advance(minutes=5)
    again = say(runtime, "what is that")
    assert again[0].startswith("Can I send Lea Valley Law Centre your name")
    say(runtime, "yes")
    with runtime.sessions() as session:
        new_id = session.scalars(select(Referral.id).where(Referral.organization_id == NEXT_ORG)).one()
    law_adviser = account(runtime, org=NEXT_ORG)
    clock.advance(minutes=5)
    assert decline(runtime, law_adviser, new_id, clock()) == NO_MATCH  # both Luton employment partners tried
    told = outbox_bodies(runtime)[-1]
    assert told.startswith("Lea Valley Law Centre cannot take your request") and "found none" in told
    with runtime.sessions() as session:
        needs = [(n.category, n.reason) for n in session.scalars(select(UnmetNeed))]
        assert ("employment", "reroute_no_service") in needs
    assert len(consents(runtime)) == 2  # nothing asked, nothing recorded


def test_a_decline_reaches_the_client_in_their_language(runtime: Runtime, clock) -> None:
    referral_id = refer(runtime)
    with transaction(runtime.sessions) as session:
        referral = session.get(Referral, referral_id)
        assert referral is not None
        referral.language = "pl"
    decline(runtime, account(runtime), referral_id, clock())
    t = get_translator("pl")
    first = outbox_bodies(runtime)[-2]
    assert first.startswith(t.gettext("%(organization)s cannot take your request (reference %(reference)s).")
                            % {"organization": "Lea Valley Citizens Advice",
                               "reference": _reference(runtime, referral_id)})
    assert "cannot take" not in first


def test_reroute_is_for_the_referrals_organisation_or_a_network_admin(runtime: Runtime, clock) -> None:
    referral_id = refer(runtime)
    composers = build_composers(runtime.settings)

    def offer(s, r, now):  # noqa: ANN001, ANN202 - the Rerouter signature
        return offer_next_service(s, r, now, composers=composers)

    for outsider in (account(runtime, org=NEXT_ORG), account(runtime, role="org_admin", org=NEXT_ORG)):
        with transaction(runtime.sessions) as session, pytest.raises(NotVisible):
            do_reroute(session, outsider, referral_id, at=clock(), offer_next=offer)
    with transaction(runtime.sessions) as session:
        assert do_reroute(session, account(runtime, role="network_admin", org=None), referral_id, at=clock(),
                          offer_next=offer) == OFFERED
    with runtime.sessions() as session:
        referral = session.get(Referral, referral_id)
        assert referral is not None and referral.audit[-1].action == "rerouted"


def test_an_overdue_reroute_does_not_tell_the_client_they_were_refused(runtime: Runtime, clock) -> None:
    referral_id = refer(runtime)
    composers = build_composers(runtime.settings)
    network_admin = account(runtime, role="network_admin", org=None)
    with transaction(runtime.sessions) as session:
        assert do_reroute(session, network_admin, referral_id, at=clock(), offer_next=partial(
            offer_next_service, composers=composers, why="overdue")) == OFFERED
    told = outbox_bodies(runtime)[-2]
    assert told.startswith(f"Lea Valley Citizens Advice has not been able to contact you yet (reference "
                           f"{_reference(runtime, referral_id)}). Another service may be able to help")
    assert "cannot take" not in told


def test_delete_my_data_clears_the_thread_and_the_handoff(runtime: Runtime, clock) -> None:
    referral_id = refer(runtime)
    accept(runtime, referral_id, clock())
    clock.advance(minutes=1)
    say(runtime, "my landlord's name is Mr Smith")
    say(runtime, "delete my data")
    say(runtime, "yes")
    assert [m[1] for m in thread(runtime, referral_id)] == ["[deleted at the client's request]"]
    with runtime.sessions() as session:
        assert session.get(ClientHandoff, ("sms", CLIENT)) is None


def _reference(runtime: Runtime, referral_id: str) -> str:
    with runtime.sessions() as session:
        referral = session.get(Referral, referral_id)
        assert referral is not None
        return referral.reference
