"""Who may see what: the one place staff access to queues and referrals is decided.

An adviser or org admin sees their own organisation's queue and client
records; a network admin sees every queue's metadata and the network's
aggregates, never a client's name, contact or words. Anything out of reach
raises :class:`NotVisible`, which the web layer answers with 404 so that the
existence of another organisation's referral is not revealed.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from referrals.models import Referral
from staff.models import StaffAccount

__all__ = [
    "NotVisible", "can_manage_accounts", "can_see_network", "check_account_admin", "check_audit_access",
    "check_network_access", "check_org_settings_access", "check_outcome_report_access", "check_queue_access",
    "check_referral_access", "check_reroute_access", "organization_scope", "sees_client_details",
]


class NotVisible(LookupError):
    """Out of this account's reach (or does not exist): the caller answers 404."""


def sees_client_details(account: StaffAccount) -> bool:
    """Names, contacts and words: only the staff of the organisation the client chose."""
    return account.role in ("adviser", "org_admin") and account.organization_id is not None


def can_see_network(account: StaffAccount) -> bool:
    return account.role == "network_admin"


def can_manage_accounts(account: StaffAccount) -> bool:
    return account.role == "org_admin" and account.organization_id is not None


def organization_scope(account: StaffAccount) -> str | None:
    """The one organisation an account is limited to, or None for the whole network."""
    return None if can_see_network(account) else account.organization_id


def check_queue_access(account: StaffAccount, organization_id: str) -> None:
    if can_see_network(account):
        return
    if account.organization_id is None or account.organization_id != organization_id:
        raise NotVisible(organization_id)


def check_referral_access(session: Session, account: StaffAccount, referral_id: str, *,
                          for_update: bool = False) -> Referral:
    """The referral, if this account may open its client record; else NotVisible (unknown ids too)."""
    if not sees_client_details(account) or len(referral_id) > 36:
        raise NotVisible(referral_id)
    referral = session.get(Referral, referral_id, with_for_update=for_update)
    if referral is None or referral.organization_id != account.organization_id:
        raise NotVisible(referral_id)
    return referral


def check_reroute_access(session: Session, account: StaffAccount, referral_id: str) -> Referral:
    """Re-routing: the referral's own organisation, or a network admin for any (overdue) referral.

    A network admin still never sees the client's details: the action returns nothing of them to a page.
    """
    if not can_see_network(account):
        return check_referral_access(session, account, referral_id, for_update=True)
    referral = session.get(Referral, referral_id, with_for_update=True) if len(referral_id) <= 36 else None
    if referral is None or referral.simulated:
        raise NotVisible(referral_id)
    return referral


def check_account_admin(account: StaffAccount, target: StaffAccount | None) -> StaffAccount:
    """An org admin manages their own organisation's accounts (not network admins, not other organisations)."""
    if (not can_manage_accounts(account) or target is None or target.organization_id != account.organization_id
            or target.role == "network_admin"):
        raise NotVisible("account")
    return target


def check_audit_access(account: StaffAccount) -> str | None:
    """The organisation whose audit trail this account may read, None for all; advisers none at all."""
    if can_see_network(account):
        return None
    if can_manage_accounts(account):
        return account.organization_id
    raise NotVisible("audit")


def check_org_settings_access(account: StaffAccount, organization_id: str) -> None:
    """An organisation's settings (service levels): its own org admin, or any network admin."""
    if can_see_network(account):
        return
    if not can_manage_accounts(account) or account.organization_id != organization_id:
        raise NotVisible(organization_id)


def check_outcome_report_access(account: StaffAccount) -> str | None:
    """Outcome counts: an org admin's own organisation, a network admin's whole network (None); advisers none."""
    return check_audit_access(account)


def check_network_access(account: StaffAccount) -> None:
    """Network-wide metadata pages (overdue referrals, undelivered messages): network admins only."""
    if not can_see_network(account):
        raise NotVisible("network")
