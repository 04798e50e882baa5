"""Tell the client, in their language and on their channel, when an adviser moves their referral.

A warm referral is only warm if the client knows where it stands: accepted,
declined (and that we can look for someone else) or closed. The message goes
through the outbox in the caller's transaction, so it is sent exactly when the
status change commits; the outbox itself keeps quiet for clients who sent STOP.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from bot.channels.base import Composer
from bot.i18n import get_translator
from bot.outbox import enqueue
from bot.replies import Reply
from core.categories import N_
from directory.models import Organization
from referrals.models import Referral, ReferralStatus

__all__ = ["STATUS_NOTICES", "notify_status_change", "status_notice"]

STATUS_NOTICES: dict[str, str] = {
    ReferralStatus.ACCEPTED: N_("%(organization)s has accepted your request (reference %(reference)s). They "
                                "will contact you soon."),
    ReferralStatus.DECLINED: N_("%(organization)s cannot take your request (reference %(reference)s). Reply "
                                "RESTART and we will look for another service."),
    ReferralStatus.CLOSED: N_("Your request with %(organization)s (reference %(reference)s) is now closed. Reply "
                              "RESTART if you need help again."),
}


def status_notice(language: str, status: str, *, organization: str, reference: str) -> Reply | None:
    """The client's message for a new status, or None when the status needs no message."""
    template = STATUS_NOTICES.get(status)
    if template is None:
        return None
    t = get_translator(language)
    return Reply(t.gettext(template) % {"organization": organization, "reference": reference})


def notify_status_change(session: Session, referral: Referral, status: str, *,
                         composers: dict[str, Composer], now: dt.datetime) -> list[int]:
    """Queue the notice for ``status`` to the referral's client; returns the outbox ids (none if not needed)."""
    composer = composers.get(referral.client_channel)
    if (composer is None or not referral.client_address or referral.status == ReferralStatus.WITHDRAWN
            or referral.simulated):  # a simulator client has no real address to message
        return []
    organization = session.get(Organization, referral.organization_id)
    reply = status_notice(referral.language, status, reference=referral.reference,
                          organization=organization.name if organization else referral.organization_id)
    if reply is None:
        return []
    return enqueue(session, channel=referral.client_channel, address=referral.client_address,
                   drafts=composer.compose([reply]), now=now, conversation_id=referral.conversation_id,
                   key_prefix=f"status:{referral.id}:{status}:{len(referral.audit)}")
