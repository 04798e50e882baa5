"""After a partner declines: offer the client the next matching service, asking consent for THAT organisation.

Consent is per organisation, so nothing goes to the next organisation until
the client answers YES to a question naming it; the question and its answer
are stored like the bot's own consent questions (a ``consent`` row). YES makes
a new referral (same problem, words and needs; ``routing.rerouted_from`` names
the declined one); NO, or no other service that can take it, is told to the
client honestly and recorded as unmet need. :func:`offer_next_service` is the
``offer_next`` callback of ``referrals.actions.reroute`` (used when an adviser
declines, and reusable for a network admin's overdue referrals).
"""

from __future__ import annotations

import datetime as dt
import uuid
from functools import partial
from typing import Any, Literal

from babel.lists import format_list
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import prompts
from bot.channels.base import Composer
from bot.handoff_store import ClientHandoff, handoff_row
from bot.i18n import Translator, get_translator
from bot.outbox import enqueue
from bot.replies import Option, Reply
from bot.state import Offer
from core.categories import CATEGORY_IDS
from directory.areas import Place, resolve_place
from directory.matching import DirectoryCache, Match, MatchRequest, load_snapshot
from directory.models import Organization
from nlu.answers import read_answer
from referrals import actions
from referrals.models import Referral
from referrals.queries import service_usage

__all__ = ["NO_MATCH", "OFFERED", "RerouteReason", "answer_reroute", "next_service", "offer_next_service"]

OFFERED, NO_MATCH = "offered", "no_match"

# Why the client is offered another service: their referral was declined, or it passed its target unanswered.
RerouteReason = Literal["declined", "overdue"]


def _place(referral: Referral) -> Place | None:
    if referral.postcode:
        place = resolve_place(referral.postcode)
        if place is not None:
            return place
    if referral.area:
        return Place((), referral.area, None, referral.area, None, None)
    return None


def next_service(session: Session, referral: Referral, *, at: dt.datetime,
                 directory: DirectoryCache | None = None) -> tuple[Match | None, str]:
    """The best service that takes referrals, has room, and is not an organisation this client already has
    (or had) a referral with for this problem; and the problem it is for."""
    category = next((c for c in referral.categories if c in CATEGORY_IDS), "other")
    tried = {r.organization_id for r in session.scalars(
        select(Referral).where(Referral.client_channel == referral.client_channel,
                               Referral.client_address == referral.client_address))
             if category in (r.categories or [])}
    tried.add(referral.organization_id)
    snapshot = load_snapshot(session, cache=directory, usage=partial(service_usage, session, now=at))
    needs = dict(referral.communication_needs or {})
    request = MatchRequest(category, _place(referral), referral.language, bool(needs.get("interpreter")),
                           referral.urgent)
    for match in snapshot.match(request, limit=20):
        if match.is_referral and match.service.organization_id not in tried:
            return match, category
    return None, category


def _offer(match: Match, category: str, language: str) -> Offer:
    service = match.service
    return Offer(organization_id=service.organization_id, organization_name=service.organization_name,
                 service_ids=[service.id], categories=[category], referral=True, free=service.free, fees="",
                 response_days=service.response_days, reasons=[], phone=service.phone, url=service.url,
                 service_names=[service.text_in(language, "name")[0]])


def _first_line(t: Translator, session: Session, referral: Referral, why: RerouteReason) -> str:
    """Why the client hears from us: a decline is said plainly; an overdue referral is not a refusal."""
    organization = session.get(Organization, referral.organization_id)
    values = {"organization": organization.name if organization else referral.organization_id,
              "reference": referral.reference}
    if why == "overdue":
        return t.gettext("%(organization)s has not been able to contact you yet (reference %(reference)s).") % values
    return t.gettext("%(organization)s cannot take your request (reference %(reference)s).") % values


def _yes_no(t: Translator) -> tuple[Option, ...]:
    return (Option("1", t.gettext("Yes")), Option("2", t.gettext("No")))


def offer_next_service(session: Session, referral: Referral, at: dt.datetime, *,
                       composers: dict[str, Composer], why: RerouteReason = "declined",
                       directory: DirectoryCache | None = None) -> str:
    """Tell the client why we write (declined, or overdue) and offer the next service, or say honestly there is none.

    Returns :data:`OFFERED` or :data:`NO_MATCH` (for the audit row). The question is
    remembered in the client's handoff row; their next message answers it.
    """
    t = get_translator(referral.language)
    match, category = next_service(session, referral, at=at, directory=directory)
    lines = [_first_line(t, session, referral, why)]
    row = handoff_row(session, referral.client_channel, referral.client_address, at)
    if match is None:
        actions.record_unmet_need(session, category=category, area=referral.area, language=referral.language,
                                  reason="reroute_no_service", at=at)
        lines.append(t.gettext("I looked for another service that can take your request now and found none. I "
                               "have noted this so the advice network can see the need. Reply RESTART if you "
                               "want to start again."))
        row.pending, row.updated_at = {}, at
        replies = [Reply(" ".join(lines))]
        result = NO_MATCH
    else:
        offer = _offer(match, category, referral.language)
        question = prompts.consent_question(t, offer)
        lines.append(t.gettext("Another service may be able to help: %(organization)s (%(service)s).") % {
            "organization": offer.organization_name, "service": offer.service_names[0]})
        row.pending = {"kind": "reroute", "from_referral": referral.id, "organization_id": offer.organization_id,
                       "organization_name": offer.organization_name, "service_id": match.service.id,
                       "service_name": offer.service_names[0], "category": category,
                       "response_days": offer.response_days, "phone": offer.phone, "url": offer.url,
                       "question": question, "language": referral.language}
        row.updated_at = at
        replies = [Reply(" ".join(lines)), Reply(question, _yes_no(t))]
        result = OFFERED
    composer = composers.get(referral.client_channel)
    if composer is not None and not referral.simulated:
        enqueue(session, channel=referral.client_channel, address=referral.client_address,
                drafts=composer.compose(replies), now=at, conversation_id=referral.conversation_id,
                key_prefix=f"reroute:{referral.id}:{at.isoformat()}")
    return result


def _pending_offer(pending: dict[str, Any]) -> Offer:
    return Offer(organization_id=pending["organization_id"], organization_name=pending["organization_name"],
                 service_ids=[pending["service_id"]], categories=[pending["category"]], referral=True, free=True,
                 fees="", response_days=pending.get("response_days"), reasons=[], phone=pending.get("phone"),
                 url=pending.get("url"), service_names=[pending["service_name"]])


def answer_reroute(session: Session, row: ClientHandoff, text: str, t: Translator, now: dt.datetime, *,
                   menu: bool) -> tuple[list[Reply], bool]:
    """The client's answer to the re-route question: YES refers, NO (or MENU) records unmet need, else ask again.

    Returns the replies and whether a referral was created.
    """
    pending = dict(row.pending)
    old = session.get(Referral, str(pending.get("from_referral")))
    answer = "no" if menu else {"1": "yes", "2": "no"}.get(text.strip()) or read_answer(text, t.language)
    if old is None or answer not in ("yes", "no"):
        if old is None:
            row.pending, row.updated_at = {}, now
            return [], False
        return [Reply(str(pending["question"]), _yes_no(t))], False
    offer = _pending_offer(pending)
    granted = answer == "yes"
    consent = actions.record_consent(
        session, consent_id=None, client_channel=row.channel, client_address=row.address,
        organization_id=offer.organization_id, granted=granted, wording_version="reroute",
        wording_text=str(pending["question"]), language=str(pending.get("language") or t.language), at=now)
    row.pending, row.updated_at = {}, now
    if not granted:
        actions.record_unmet_need(session, category=offer.categories[0], area=old.area, language=old.language,
                                  reason="reroute_refused", at=now)
        return [Reply(prompts.consent_refused_text(t, offer) + " " + t.gettext(
            "I have noted that you still need help, so the advice network can see the need."))], False
    referral_id = str(uuid.uuid4())
    reference = "FD-" + referral_id.replace("-", "")[:8].upper()
    actions.create_referral(
        session, consent_id=consent.id, at=now, id=referral_id, reference=reference,
        conversation_id=old.conversation_id, organization_id=offer.organization_id,
        service_id=offer.service_ids[0], categories=list(offer.categories), summary=old.summary,
        client_name=old.client_name, language=old.language, deadline=old.deadline,
        deadline_text=old.deadline_text, urgent=old.urgent, crisis=old.crisis,
        communication_needs=dict(old.communication_needs or {}),
        routing={**dict(old.routing or {}), "rerouted_from": old.reference}, postcode=old.postcode,
        area=old.area, simulated=old.simulated)
    sent = prompts.referral_sent_text(t, offer, old.client_name, old.deadline)
    refs = t.ngettext("Your reference is %(references)s. Reply HELP any time.",
                      "Your references are %(references)s. Reply HELP any time.", 1) % {
        "references": format_list([reference], locale=t.locale)}
    return [Reply(sent), Reply(refs)], True
