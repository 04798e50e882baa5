"""Talking to an adviser: which client messages go to a referral's thread instead of the bot.

A handoff is open while one of the client's referrals is ACCEPTED or CONTACTED
(an adviser took it on), unless the client sent MENU after the adviser's last
message: from then on the bot answers again, until the adviser writes again.
While a handoff is open:

* the client's messages go to the thread of that referral (with several open
  handoffs the client is asked which organisation a message is for, by number);
* MENU, in any supported language, returns the client to the bot;
* crisis phrases still run on every message: the message is put in every open
  thread, flagged urgent, and the engine gives the crisis reply (safety first);
* STOP, START and "delete my data" always reach the bot, as does the answer
  to the bot's "is it safe to keep messaging?" after a crisis.

After a partner declined a referral (``bot.reroute``), the client's next
message answers the consent question for the next organisation first.

The engine stays pure and unaware of all this: :func:`route` runs in the
service's transaction before the engine and either handles the message here
or returns None so the engine does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.channels.base import Composer
from bot.handoff_store import ClientHandoff, handoff_row
from bot.i18n import Translator, get_translator
from bot.outbox import enqueue
from bot.replies import Option, Reply
from bot.reroute import answer_reroute
from bot.segments import SegmentInfo, count_segments
from bot.state import State, Step
from core.categories import N_
from directory.models import Organization
from nlu.commands import command_in, is_menu
from nlu.result import NluResult
from referrals import actions
from referrals.models import Referral, ReferralMessage, ReferralStatus

__all__ = ["HANDOFF_STATUSES", "HandoffTurn", "adviser_message_text", "open_handoffs", "preview_segments",
           "route", "send_adviser_message"]

HANDOFF_STATUSES = (ReferralStatus.ACCEPTED, ReferralStatus.CONTACTED)
# Commands that must always reach the bot, whoever the client is talking to.
_BOT_COMMANDS = frozenset({"stop", "start", "delete"})
# The answers to questions the bot asked for those reasons ("is it safe?", "delete everything?") are the bot's.
_BOT_STEPS = frozenset({Step.CRISIS_SAFE, Step.CONFIRM_DELETE})
_ADVISER_FRAME = N_("Message from %(organization)s: %(message)s\n(Reply to answer them. Reply MENU for the bot.)")


@dataclass(frozen=True)
class HandoffTurn:
    """The router handled the message: what to say back (often nothing) and whether a referral was made."""

    replies: list[Reply] = field(default_factory=list)
    created_referral: bool = False


def open_handoffs(session: Session, channel: str, address: str, menu_at: dt.datetime | None) -> list[Referral]:
    """The client's referrals an adviser has taken on, oldest first, minus those the client left with MENU."""
    referrals = list(session.scalars(
        select(Referral).where(Referral.client_channel == channel, Referral.client_address == address,
                               Referral.status.in_(HANDOFF_STATUSES), Referral.simulated.is_(False))
        .order_by(Referral.created_at, Referral.id)
    ))
    if menu_at is None:
        return referrals
    since = _aware(menu_at)
    written = set(session.scalars(
        select(ReferralMessage.referral_id).where(
            ReferralMessage.referral_id.in_([r.id for r in referrals]), ReferralMessage.direction == "out",
            ReferralMessage.at > since)
    ))
    return [r for r in referrals if r.id in written]


def _aware(at: dt.datetime) -> dt.datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)  # SQLite returns naive datetimes


def _org_name(session: Session, organization_id: str) -> str:
    organization = session.get(Organization, organization_id)
    return organization.name if organization is not None else organization_id


def _to_thread(session: Session, referral: Referral, text: str, now: dt.datetime, *, urgent: bool = False) -> None:
    session.add(ReferralMessage(referral_id=referral.id, at=now, direction="in", author="client", body=text,
                                segments=None, urgent=urgent))
    referral.updated_at = now
    actions.record_client_message(session, referral, at=now, urgent=urgent)


def route(session: Session, *, channel: str, address: str, text: str, nlu: NluResult, state: State,
          now: dt.datetime) -> HandoffTurn | None:
    """Handle the message here when the client is talking to an adviser; None: the engine handles it."""
    if state.stopped or not text or command_in(text) in _BOT_COMMANDS or state.step in _BOT_STEPS:
        return None
    row = session.get(ClientHandoff, (channel, address), with_for_update=True)
    pending = dict(row.pending or {}) if row is not None else {}
    handoffs = open_handoffs(session, channel, address, row.menu_at if row is not None else None)
    t = get_translator(state.language)
    if nlu.crisis:  # safety first: the adviser sees it at once, and the bot gives the crisis reply
        for referral in handoffs:
            _to_thread(session, referral, text, now, urgent=True)
        if handoffs:
            actions.flag_urgent(session, channel=channel, address=address, at=now, reason="crisis_in_handoff")
        return None
    if row is not None and pending.get("kind") == "reroute":
        replies, created = answer_reroute(session, row, text, t, now, menu=is_menu(text))
        return HandoffTurn(replies, created)
    if is_menu(text):
        if not handoffs and not pending:
            return None  # not talking to an adviser: MENU is HELP, the engine's
        row = handoff_row(session, channel, address, now)
        row.menu_at, row.pending, row.updated_at = now, {}, now
        return HandoffTurn([Reply(t.gettext("You are talking to the bot again. Your adviser can still write to "
                                            "you here, and their next message will reach you."))])
    if row is not None and pending.get("kind") == "choose":
        return _choose(session, row, pending, text, handoffs, t, now)
    if not handoffs:
        return None
    if len(handoffs) == 1:
        _to_thread(session, handoffs[0], text, now)
        return HandoffTurn()
    row = handoff_row(session, channel, address, now)
    row.pending, row.updated_at = {"kind": "choose", "text": text, "referrals": [r.id for r in handoffs]}, now
    return HandoffTurn([_which(session, handoffs, t)])


def _which(session: Session, handoffs: list[Referral], t: Translator) -> Reply:
    options = tuple(Option(str(n), _org_name(session, r.organization_id)) for n, r in enumerate(handoffs, 1))
    return Reply(t.gettext("Which organisation is your message for? Reply with its number."), options)


def _choose(session: Session, row: ClientHandoff, pending: dict[str, object], text: str,
            handoffs: list[Referral], t: Translator, now: dt.datetime) -> HandoffTurn:
    """The answer to "which organisation?": the held message goes to that thread."""
    held = str(pending.get("text") or "")
    asked = [str(i) for i in pending.get("referrals") or []]  # type: ignore[attr-defined]
    still_open = {r.id: r for r in handoffs}
    choices = [still_open[i] for i in asked if i in still_open]
    picked = text.strip()
    if picked.isdigit() and 1 <= int(picked) <= len(choices):
        referral = choices[int(picked) - 1]
        _to_thread(session, referral, held, now)
        row.pending, row.updated_at = {}, now
        return HandoffTurn([Reply(t.gettext("Sent to %(organization)s.")
                                  % {"organization": _org_name(session, referral.organization_id)})])
    if not choices:  # the handoffs closed meanwhile: the bot takes the message
        row.pending, row.updated_at = {}, now
        return HandoffTurn()
    # Not a number: keep what they wrote with the held message and ask again.
    row.pending = {**pending, "text": f"{held}\n{text}" if held else text, "referrals": [r.id for r in choices]}
    row.updated_at = now
    return HandoffTurn([_which(session, choices, t)])


# --- the adviser's side: what the client receives ---------------------------------------------------------------


def adviser_message_text(language: str, organization: str, body: str) -> str:
    """What the client reads: the organisation's name, the adviser's words, and how to answer (their language)."""
    return get_translator(language).gettext(_ADVISER_FRAME) % {"organization": organization, "message": body}


def preview_segments(referral: Referral, organization: str, body: str) -> SegmentInfo:
    """The SMS segments the client would receive for this draft (shown to the adviser before sending)."""
    return count_segments(adviser_message_text(referral.language, organization, body))


def send_adviser_message(session: Session, referral: Referral, body: str, *, composers: dict[str, Composer],
                         now: dt.datetime) -> int | None:
    """Queue an adviser's message to the client on their channel; returns its SMS segments (None elsewhere)."""
    composer = composers.get(referral.client_channel)
    if composer is None:
        raise actions.ReferralError(f"messages cannot be sent on {referral.client_channel} here")
    text = adviser_message_text(referral.language, _org_name(session, referral.organization_id), body)
    drafts = composer.compose([Reply(text)])
    sent = session.scalar(select(ReferralMessage.id).where(ReferralMessage.referral_id == referral.id)
                          .order_by(ReferralMessage.id.desc()).limit(1)) or 0
    enqueue(session, channel=referral.client_channel, address=referral.client_address, drafts=drafts,
            key_prefix=f"adviser:{referral.id}:{sent}:{now.isoformat()}", now=now,
            conversation_id=referral.conversation_id)
    if referral.client_channel != "sms":
        return None
    return sum(d.segments or count_segments(d.body).segments for d in drafts)
