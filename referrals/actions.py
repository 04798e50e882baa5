"""Every change to consent and referrals, as one verb each (write + audit in one place).

Callers pass the session of their transaction; nothing here commits, so a
referral, its consent, its audit row and the conversation state land together.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.text import MAX_ADVISER_MESSAGE_CHARS, MAX_STAFF_NOTE_CHARS
from directory.models import Organization
from referrals.access import (
    NotVisible,
    check_network_access,
    check_org_settings_access,
    check_queue_access,
    check_referral_access,
    check_reroute_access,
)
from referrals.mail_outbox import MailOutbox, MailStatus, enqueue_mail
from referrals.models import (
    STATUSES,
    AuditEvent,
    Consent,
    OrganizationSettings,
    Referral,
    ReferralMessage,
    ReferralStatus,
    Signpost,
    UnmetNeed,
)
from referrals.outcomes import load_framework
from staff.audit import record_event
from staff.models import StaffAccount

__all__ = [
    "MAX_TARGET_HOURS", "MessageSender", "ReferralError", "Rerouter", "StatusNotifier", "change_status",
    "create_referral", "do_change_status", "do_close_referral", "do_decline", "do_reroute", "do_retry_mail",
    "do_send_message",
    "do_set_service_level", "do_view_queue", "do_view_referral", "erased_time", "record_first_contact", "staff_actor",
    "flag_urgent", "record_client_message", "record_consent", "record_signpost", "record_unmet_need", "reroute",
    "set_opt_out", "withdraw_client_data",
]

_S = ReferralStatus
OPEN_STATUSES: tuple[ReferralStatus, ...] = (_S.NEW, _S.ACCEPTED, _S.CONTACTED)
# Which status may follow which: a referral "will go somewhere" and is tracked to an outcome.
TRANSITIONS: dict[str, tuple[ReferralStatus, ...]] = {
    _S.NEW: (_S.ACCEPTED, _S.DECLINED, _S.WITHDRAWN),
    _S.ACCEPTED: (_S.CONTACTED, _S.DECLINED, _S.CLOSED, _S.WITHDRAWN),
    _S.CONTACTED: (_S.CLOSED, _S.WITHDRAWN),
    _S.DECLINED: (),
    _S.CLOSED: (),
    _S.WITHDRAWN: (),
}
REDACTED = "[deleted at the client's request]"
# Tells the client about a status change (the bot's outbox lives above this floor, so it is passed in).
StatusNotifier = Callable[[Session, Referral, str, dt.datetime], None]
# Queues an adviser's message to the client on their channel; returns its SMS segments (None off SMS).
MessageSender = Callable[[Session, Referral, str, dt.datetime], int | None]
# Offers the client the next matching service after a decline (the bot's side); returns what happened.
Rerouter = Callable[[Session, Referral, dt.datetime], str]
# An adviser may write to a client once the referral is taken on.
MESSAGE_STATUSES: tuple[ReferralStatus, ...] = (_S.ACCEPTED, _S.CONTACTED)


class ReferralError(ValueError):
    """A change that would break a referral's rules (no consent, bad transition)."""


def _audit(session: Session, referral: Referral, *, at: dt.datetime, actor: str, action: str,
           from_status: str | None = None, to_status: str | None = None, **detail: Any) -> None:
    session.add(AuditEvent(referral_id=referral.id, at=at, actor=actor, action=action,
                           from_status=from_status, to_status=to_status, detail=detail))


def record_consent(session: Session, *, consent_id: str | None, client_channel: str, client_address: str,
                   organization_id: str, granted: bool, wording_version: str, wording_text: str,
                   language: str, at: dt.datetime) -> Consent:
    consent = Consent(
        id=consent_id or str(uuid.uuid4()), client_channel=client_channel, client_address=client_address,
        organization_id=organization_id, granted=granted, wording_version=wording_version,
        wording_text=wording_text, language=language, channel=client_channel, created_at=at,
    )
    session.add(consent)
    return consent


def create_referral(session: Session, *, consent_id: str, at: dt.datetime, actor: str = "bot",
                    **fields: Any) -> Referral:
    """Write a referral; refuses unless a granted consent for the same organisation exists."""
    session.flush()
    consent = session.get(Consent, consent_id)
    if consent is None or not consent.granted or consent.withdrawn_at is not None:
        raise ReferralError("no granted consent for this referral")
    if consent.organization_id != fields.get("organization_id"):
        raise ReferralError("consent names a different organisation")
    referral = Referral(
        id=fields.pop("id", None) or str(uuid.uuid4()), consent_id=consent_id, status=ReferralStatus.NEW,
        client_channel=consent.client_channel, client_address=consent.client_address,
        created_at=at, updated_at=at, **fields,
    )
    session.add(referral)
    session.flush()
    _audit(session, referral, at=at, actor=actor, action="created", to_status=ReferralStatus.NEW,
           consent_id=consent_id, urgent=referral.urgent)
    if not referral.simulated:
        _queue_partner_email(session, referral, at)
    return referral


def referral_email_of(session: Session, organization_id: str) -> str | None:
    """Where an organisation's new-referral notices go: its own setting, else the directory's email."""
    settings = session.get(OrganizationSettings, organization_id)
    if settings is not None and settings.referral_email:
        return settings.referral_email
    organization = session.get(Organization, organization_id)
    return organization.email if organization is not None and organization.email else None


def _queue_partner_email(session: Session, referral: Referral, at: dt.datetime) -> None:
    """The "you have a new referral" email, queued with the referral (sent by referrals.mail_worker)."""
    address = referral_email_of(session, referral.organization_id)
    if address:
        enqueue_mail(session, key=f"new_referral:{referral.id}", kind="new_referral",
                     organization_id=referral.organization_id, referral_id=referral.id, to_address=address, now=at)


def change_status(session: Session, referral: Referral, to_status: str, *, actor: str, at: dt.datetime,
                  note: str | None = None, extra: dict[str, Any] | None = None) -> None:
    """Move a referral along its lifecycle, with an audit row; refuses impossible moves."""
    if to_status not in STATUSES:
        raise ReferralError(f"unknown status {to_status!r}")
    if to_status not in TRANSITIONS[referral.status]:
        raise ReferralError(f"a {referral.status} referral cannot become {to_status}")
    from_status = referral.status
    referral.status, referral.updated_at = to_status, at
    if to_status == ReferralStatus.CONTACTED:
        record_first_contact(referral, at)
    detail = {**(extra or {}), **({"note": note} if note else {})}
    _audit(session, referral, at=at, actor=actor, action="status", from_status=from_status,
           to_status=to_status, **detail)


def record_first_contact(referral: Referral, at: dt.datetime) -> None:
    """The first time an adviser reached the client (marked contacted, or wrote to them): ends "overdue"."""
    if referral.first_contact_at is None:
        referral.first_contact_at = at


def _open_referrals(session: Session, channel: str, address: str) -> list[Referral]:
    return list(session.scalars(
        select(Referral).where(Referral.client_channel == channel, Referral.client_address == address,
                               Referral.status.in_(OPEN_STATUSES))
    ))


def flag_urgent(session: Session, *, channel: str, address: str, at: dt.datetime, reason: str) -> int:
    """Mark the client's open referrals urgent (a crisis message after they were sent)."""
    referrals = _open_referrals(session, channel, address)
    for referral in referrals:
        if not referral.urgent:
            referral.urgent, referral.crisis, referral.updated_at = True, True, at
            _audit(session, referral, at=at, actor="bot", action="flagged_urgent", reason=reason)
    return len(referrals)


def set_opt_out(session: Session, *, channel: str, address: str, opted_out: bool, at: dt.datetime) -> None:
    """STOP/START: the adviser sees that the client does not want messages."""
    for referral in _open_referrals(session, channel, address):
        if referral.client_opted_out != opted_out:
            referral.client_opted_out, referral.updated_at = opted_out, at
            _audit(session, referral, at=at, actor="client", action="opted_out" if opted_out else "opted_in")


def erased_time(at: dt.datetime) -> dt.datetime:
    """A redacted row's time: the day only, so it cannot be joined to other rows by the exact moment."""
    return at.replace(hour=0, minute=0, second=0, microsecond=0)


def withdraw_client_data(session: Session, *, channel: str, address: str, at: dt.datetime) -> int:
    """"Delete my data": withdraw open referrals, withdraw consents, redact personal fields.

    The referral rows and their audit trail stay (the partner must see it was
    withdrawn, and on which day) but hold no personal data afterwards: no name,
    address, words, postcode, deadline, needs or staff notes, and only the day
    of each event, so no exact time joins them back to anything else.
    """
    referrals = list(session.scalars(
        select(Referral).where(Referral.client_channel == channel, Referral.client_address == address)
    ))
    for referral in referrals:
        if referral.status in OPEN_STATUSES:
            change_status(session, referral, ReferralStatus.WITHDRAWN, actor="client", at=at)
        referral.client_name = None
        referral.client_address = REDACTED
        referral.summary = REDACTED
        referral.postcode = None
        referral.deadline = None
        referral.deadline_text = None
        referral.communication_needs = {}
        referral.routing = {}
        referral.outcome_note = REDACTED if referral.outcome_note else None
        for message in session.scalars(select(ReferralMessage).where(ReferralMessage.referral_id == referral.id)):
            message.body, message.at = REDACTED, erased_time(message.at)
        referral.created_at = erased_time(referral.created_at)
        referral.updated_at = erased_time(at)
        _audit(session, referral, at=at, actor="client", action="redacted")
        session.flush()
        for event in session.scalars(select(AuditEvent).where(AuditEvent.referral_id == referral.id)):
            event.at = erased_time(event.at)
            if "note" in (event.detail or {}):  # staff notes may name the client
                event.detail = {**event.detail, "note": REDACTED}
    for consent in session.scalars(
        select(Consent).where(Consent.client_channel == channel, Consent.client_address == address)
    ):
        consent.withdrawn_at = erased_time(consent.withdrawn_at or at)
        consent.created_at = erased_time(consent.created_at)
        consent.client_address = REDACTED
    return len(referrals)


def record_unmet_need(session: Session, *, category: str, area: str | None, language: str, reason: str,
                      at: dt.datetime) -> None:
    session.add(UnmetNeed(category=category, area=area, language=language, reason=reason, created_at=at))


def record_client_message(session: Session, referral: Referral, *, at: dt.datetime, urgent: bool) -> None:
    """A client's message went to the adviser's thread: audited without its words."""
    _audit(session, referral, at=at, actor="client", action="message_received", urgent=urgent)


def record_signpost(session: Session, *, category: str, service_id: str, reason: str, area: str | None,
                    language: str, at: dt.datetime) -> None:
    session.add(Signpost(category=category, service_id=service_id, reason=reason, area=area,
                         language=language, created_at=at))


# --- staff actions: check access, write, audit and notify together ---------------------------------------------


def staff_actor(account: StaffAccount) -> str:
    """The audit actor on referral rows: the account id, never a name someone typed."""
    return f"staff:{account.id}"


def do_view_queue(session: Session, account: StaffAccount, organization_id: str, *, at: dt.datetime) -> None:
    """Open an organisation's queue; audited when the queue shows client names (not for network metadata)."""
    check_queue_access(account, organization_id)
    if account.organization_id == organization_id:
        record_event(session, at=at, account_id=account.id, action="viewed_queue", organization_id=organization_id)


def do_view_referral(session: Session, account: StaffAccount, referral_id: str, *, at: dt.datetime) -> Referral:
    """Open a client record: refused (NotVisible) outside the account's organisation, audited inside it."""
    referral = check_referral_access(session, account, referral_id)
    record_event(session, at=at, account_id=account.id, action="viewed_referral",
                 organization_id=referral.organization_id, referral_id=referral.id)
    return referral


def do_change_status(session: Session, account: StaffAccount, referral_id: str, to_status: str, *,
                     at: dt.datetime, note: str | None, notify: StatusNotifier) -> tuple[Referral, str]:
    """Move a referral on for its organisation's staff, audit it, and tell the client; returns the old status."""
    if to_status == ReferralStatus.DECLINED:
        raise ReferralError("declining needs a reason: use the Decline form")
    referral = check_referral_access(session, account, referral_id, for_update=True)
    if to_status == ReferralStatus.CLOSED and to_status in TRANSITIONS[referral.status]:
        raise ReferralError("a referral is closed with an outcome: use the Close form")
    from_status = referral.status
    change_status(session, referral, to_status, actor=staff_actor(account), at=at, note=note)
    record_event(session, at=at, account_id=account.id, action="changed_status",
                 organization_id=referral.organization_id, referral_id=referral.id, from_status=from_status,
                 to_status=to_status)
    notify(session, referral, to_status, at)
    return referral, from_status


MAX_TARGET_HOURS = 24 * 30  # a target beyond a month is no service level


def do_close_referral(session: Session, account: StaffAccount, referral_id: str, outcome: str, *,
                      at: dt.datetime, note: str | None, notify: StatusNotifier) -> Referral:
    """Close a referral with exactly one outcome of the shared framework, audit it, and tell the client."""
    referral = check_referral_access(session, account, referral_id, for_update=True)
    framework = load_framework()
    if outcome not in framework.ids:
        raise ReferralError(f"unknown outcome {outcome!r}")
    clean_note = " ".join((note or "").split()) or None
    if clean_note is not None and len(clean_note) > MAX_STAFF_NOTE_CHARS:
        raise ReferralError(f"the note is longer than {MAX_STAFF_NOTE_CHARS} characters")
    if referral.outcome is not None:
        raise ReferralError("this referral already has an outcome")
    from_status = referral.status
    change_status(session, referral, ReferralStatus.CLOSED, actor=staff_actor(account), at=at, note=clean_note,
                  extra={"outcome": outcome, "framework": f"{framework.name}/{framework.version}"})
    referral.outcome, referral.outcome_note, referral.closed_at = outcome, clean_note, at
    record_event(session, at=at, account_id=account.id, action="closed_referral",
                 organization_id=referral.organization_id, referral_id=referral.id, from_status=from_status,
                 outcome=outcome)
    notify(session, referral, ReferralStatus.CLOSED, at)
    return referral


def do_set_service_level(session: Session, account: StaffAccount, organization_id: str, *,
                         first_contact_hours: int | None, referral_email: str | None,
                         at: dt.datetime) -> OrganizationSettings:
    """An organisation's target time to first contact and referral email: its org admin, or a network admin."""
    check_org_settings_access(account, organization_id)
    if session.get(Organization, organization_id) is None:
        raise ReferralError("no such organisation")
    if first_contact_hours is not None and not 1 <= first_contact_hours <= MAX_TARGET_HOURS:
        raise ReferralError(f"the target must be between 1 and {MAX_TARGET_HOURS} hours")
    email = (referral_email or "").strip() or None
    if email is not None and ("@" not in email or len(email) > 254 or not email.isprintable() or " " in email):
        raise ReferralError("the referral email must be one email address")
    settings = session.get(OrganizationSettings, organization_id, with_for_update=True)
    if settings is None:
        settings = OrganizationSettings(organization_id=organization_id, updated_at=at)
        session.add(settings)
    before = {"first_contact_hours": settings.first_contact_hours, "referral_email_set": bool(settings.referral_email)}
    settings.first_contact_hours, settings.referral_email = first_contact_hours, email
    settings.updated_at, settings.updated_by = at, account.id
    record_event(session, at=at, account_id=account.id, action="set_service_level", organization_id=organization_id,
                 before=before, first_contact_hours=first_contact_hours, referral_email_set=email is not None)
    return settings
def do_send_message(session: Session, account: StaffAccount, referral_id: str, body: str, *, at: dt.datetime,
                    send: MessageSender) -> ReferralMessage:
    """An adviser writes to the client: the thread row, the outbox message, the audit rows, together."""
    referral = check_referral_access(session, account, referral_id, for_update=True)
    text = body.strip()
    if not text:
        raise ReferralError("write a message first")
    if len(text) > MAX_ADVISER_MESSAGE_CHARS:
        raise ReferralError(f"a message may be at most {MAX_ADVISER_MESSAGE_CHARS} characters")
    if referral.status not in MESSAGE_STATUSES:
        raise ReferralError(f"a {referral.status} referral cannot be messaged; accept it first")
    segments = send(session, referral, text, at)
    message = ReferralMessage(referral_id=referral.id, at=at, direction="out", author=staff_actor(account),
                              body=text, segments=segments, urgent=False)
    session.add(message)
    referral.updated_at = at
    record_first_contact(referral, at)  # writing to the client is contact: the referral is no longer overdue
    _audit(session, referral, at=at, actor=staff_actor(account), action="message_sent", segments=segments)
    record_event(session, at=at, account_id=account.id, action="sent_message",
                 organization_id=referral.organization_id, referral_id=referral.id)
    session.flush()
    return message


def reroute(session: Session, referral: Referral, *, actor: str, at: dt.datetime, offer_next: Rerouter) -> str:
    """Offer the client the next matching service (they are asked consent for it); audited with the result."""
    result = offer_next(session, referral, at)
    _audit(session, referral, at=at, actor=actor, action="rerouted", result=result)
    return result


def do_decline(session: Session, account: StaffAccount, referral_id: str, reason: str, *, at: dt.datetime,
               offer_next: Rerouter) -> tuple[Referral, str]:
    """Decline with a reason (required), then re-route: the client is offered the next service or told honestly."""
    clean = " ".join(reason.split())[:MAX_STAFF_NOTE_CHARS]
    if not clean:
        raise ReferralError("give a reason for declining")
    referral = check_referral_access(session, account, referral_id, for_update=True)
    from_status = referral.status
    change_status(session, referral, ReferralStatus.DECLINED, actor=staff_actor(account), at=at, note=clean)
    record_event(session, at=at, account_id=account.id, action="declined", organization_id=referral.organization_id,
                 referral_id=referral.id, from_status=from_status)
    return referral, reroute(session, referral, actor=staff_actor(account), at=at, offer_next=offer_next)


def do_reroute(session: Session, account: StaffAccount, referral_id: str, *, at: dt.datetime,
               offer_next: Rerouter) -> str:
    """Re-route a referral (e.g. a network admin's overdue one): the client is asked consent for the next service.

    The old referral's own status is the caller's business (declined already, or to be
    withdrawn or closed with an outcome); this only makes the offer and audits it.
    """
    referral = check_reroute_access(session, account, referral_id)
    result = reroute(session, referral, actor=staff_actor(account), at=at, offer_next=offer_next)
    record_event(session, at=at, account_id=account.id, action="rerouted", organization_id=referral.organization_id,
                 referral_id=referral.id, result=result)
    return result


def do_retry_mail(session: Session, account: StaffAccount, mail_id: int, *, at: dt.datetime) -> int:
    """A network admin sends a given-up new-referral email again, to the organisation's referral email as it
    is NOW (so fixing a wrong address and retrying is the cure), with a fresh set of attempts; audited.

    Refused with NotVisible for anyone but a network admin and for unknown ids, and with ReferralError when the
    email was not given up (it is still being tried, or went) or the organisation has no referral email now.
    Returns the attempts it had.
    """
    check_network_access(account)
    row = session.get(MailOutbox, mail_id, with_for_update=True) if 0 < mail_id < 2**31 else None
    if row is None:
        raise NotVisible(str(mail_id))
    if row.status != MailStatus.DEAD:
        raise ReferralError(f"only an email that was given up can be sent again; this one is {row.status}")
    address = referral_email_of(session, row.organization_id)
    if not address:
        raise ReferralError("the organisation has no referral email: set one on its settings page first")
    previous_attempts, changed_address = row.attempts, address != row.to_address
    row.to_address, row.status, row.attempts, row.lease_until = address, MailStatus.PENDING, 0, None
    row.next_attempt_at, row.updated_at = at, at
    record_event(session, at=at, account_id=account.id, action="retried_email", organization_id=row.organization_id,
                 referral_id=row.referral_id, mail_id=row.id, previous_attempts=previous_attempts,
                 new_address=changed_address)
    return previous_attempts
