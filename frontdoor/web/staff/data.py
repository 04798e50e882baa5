"""What the staff pages show, read from the database: organisations, queues, one referral.

Kept apart from the web layer so the ordering rule (urgent, then nearest
deadline, then oldest) and the "can we reach this client" flags live in one
place and read the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, select
from sqlalchemy.orm import Session, selectinload

from bot.outbox import ChannelContact, OutboxMessage, delivery_problems
from core.categories import CATEGORY_IDS, get_category
from core.languages import get_language
from core.phones import display_phone
from directory.models import Organization, Service
from frontdoor.web.staff.problems import PROBLEM_STATUSES
from referrals.actions import MESSAGE_STATUSES, OPEN_STATUSES, TRANSITIONS
from referrals.models import STATUSES, AuditEvent, Referral, ReferralMessage, ReferralStatus
from referrals.service_levels import is_overdue, target_hours

__all__ = [
    "QUEUE_FILTERS", "DeliveryProblem", "OrgSummary", "QueueRow", "ReferralDetail", "category_labels",
    "contact_summary", "load_queue", "load_referral", "needs_summary", "org_summaries", "organization_name",
]

QUEUE_FILTERS = ("open", *STATUSES, "all")  # "open": new, accepted or contacted (the default)
QUEUE_LIMIT = 500

_NEED_LABELS = {
    "interpreter": "Interpreter",
    "bsl": "British Sign Language",
    "large_print": "Large print",
    "easy_read": "Easy read",
    "audio": "Audio",
    "braille": "Braille",
    "support_person": "Support person or advocate",
}
_CONTACT_LABELS = {"sms": "Text message", "phone": "Phone call", "telegram": "Telegram message", "email": "Email"}
_TENURE_LABELS = {
    "private_rent": "Rents from a private landlord",
    "social_rent": "Rents from the council or a housing association",
    "owner": "Owns their home",
    "no_home": "Has no home now",
    "other": "Something else",
}


@dataclass(frozen=True)
class OrgSummary:
    id: str
    name: str
    accepts_referrals: bool
    new: int
    urgent: int  # open and urgent
    delivery_problems: int  # open, and messages to the client are not arriving


@dataclass(frozen=True)
class QueueRow:
    id: str
    reference: str
    created_at: dt.datetime
    categories: list[str]
    deadline: dt.date | None
    urgent: bool
    crisis: bool
    status: str
    client_name: str | None
    contact: str
    needs: list[str]
    cautions: list[str]
    opted_out: bool
    blocked: bool
    delivery_problems: bool
    overdue: bool = False  # past the organisation's target time to first contact, nobody has reached the client


@dataclass(frozen=True)
class DeliveryProblem:
    """One message that did not arrive: never its text."""

    id: int
    status: str
    error_code: str | None
    attempts: int
    at: dt.datetime


@dataclass(frozen=True)
class ReferralDetail:
    referral: Referral
    organization_name: str
    service_name: str
    categories: list[str]
    contact: str
    needs: list[str]
    cautions: list[str]
    routing: list[tuple[str, str]]
    opted_out: bool
    blocked: bool
    problems: list[DeliveryProblem]
    next_statuses: tuple[str, ...]
    audit: list[AuditEvent] = field(default_factory=list)
    can_close: bool = False  # closing takes an outcome (its own form), not a plain status change
    thread: list[ReferralMessage] = field(default_factory=list)  # adviser and client messages, oldest first
    can_message: bool = False  # taken on (accepted or contacted): the adviser may write to the client


def category_labels(ids: list[str]) -> list[str]:
    return [get_category(c).label if c in CATEGORY_IDS else c for c in ids]


def contact_summary(needs: dict[str, Any], channel: str) -> str:
    """How the client asked to be contacted, and the detail if it differs from the channel they used."""
    method = needs.get("contact_method") or channel
    label = _CONTACT_LABELS.get(str(method), str(method))
    detail = needs.get("contact_detail")
    if detail and method in ("sms", "phone"):
        detail = display_phone(str(detail))  # stored as E.164, read by people in the national format
    return f"{label}: {detail}" if detail else label


def needs_summary(needs: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Communication needs as short phrases, and the cautions an adviser must read before first contact."""
    items: list[str] = []
    code = str(needs.get("language") or "")
    language = get_language(code)
    other = needs.get("other_language")
    if other:
        items.append(f"Speaks {other}")
    elif code:
        items.append(language.english_name if language else code)
    if needs.get("interpreter"):
        items.append("Interpreter needed")
    items += [_NEED_LABELS.get(str(n), str(n)) for n in needs.get("needs") or () if n != "interpreter"]
    cautions: list[str] = []
    if needs.get("safe_to_text") is False:
        cautions.append("Not safe to text: reply only when the client writes")
    if needs.get("safe_to_message") is False:
        cautions.append("Not safe to leave a message")
    elif needs.get("safe_to_message") is True:
        items.append("Messages OK")
    if needs.get("safe_times"):
        cautions.append(f"Safe times: {needs['safe_times']}")
    return items, cautions


def _routing(routing: dict[str, Any]) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    for key, value in routing.items():
        if value is None:
            continue
        if key == "tenure":
            shown.append(("Home", _TENURE_LABELS.get(str(value), str(value))))
        elif key == "court_papers":
            shown.append(("Court or tribunal papers", "Yes" if value else "No"))
        else:
            shown.append((key.replace("_", " ").capitalize(), str(value)))
    return shown


def _has_problems() -> ColumnElement[bool]:
    return exists().where(
        OutboxMessage.channel == Referral.client_channel, OutboxMessage.address == Referral.client_address,
        OutboxMessage.status.in_(PROBLEM_STATUSES),
    )


def org_summaries(session: Session) -> list[OrgSummary]:
    """Organisations with a referral queue (they accept referrals, or still hold referrals), with counts."""
    accepting = set(session.scalars(
        select(Service.organization_id).where(Service.accepts_referrals.is_(True)).distinct()
    ))
    is_open = Referral.status.in_(OPEN_STATUSES)
    counts = {
        row.organization_id: row for row in session.execute(
            select(
                Referral.organization_id,
                func.sum(case((Referral.status == ReferralStatus.NEW, 1), else_=0)).label("new"),
                func.sum(case((and_(is_open, Referral.urgent.is_(True)), 1), else_=0)).label("urgent"),
                func.sum(case((and_(is_open, _has_problems()), 1), else_=0)).label("problems"),
            ).where(Referral.simulated.is_(False)).group_by(Referral.organization_id)
        )
    }
    ids = accepting | set(counts)
    names = {org_id: name for org_id, name in session.execute(
        select(Organization.id, Organization.name).where(Organization.id.in_(ids)))}
    summaries = []
    for org_id in ids:
        row = counts.get(org_id)
        summaries.append(OrgSummary(
            id=org_id, name=names.get(org_id, org_id), accepts_referrals=org_id in accepting,
            new=int(row.new or 0) if row else 0, urgent=int(row.urgent or 0) if row else 0,
            delivery_problems=int(row.problems or 0) if row else 0,
        ))
    return sorted(summaries, key=lambda s: (-s.urgent, s.name.casefold(), s.id))


def organization_name(session: Session, organization_id: str) -> str | None:
    """The organisation's name, or None when it has no queue here (unknown, or never had referrals)."""
    name = session.scalar(select(Organization.name).where(Organization.id == organization_id))
    if name is not None:
        return name
    held = session.scalar(select(Referral.id).where(Referral.organization_id == organization_id,
                                                    Referral.simulated.is_(False)).limit(1))
    return organization_id if held is not None else None


def load_queue(session: Session, organization_id: str, status: str = "open",
               now: dt.datetime | None = None) -> tuple[list[QueueRow], bool]:
    """One organisation's referrals: urgent first, then nearest deadline (none last), then oldest.

    Returns the rows and whether the queue was cut at ``QUEUE_LIMIT``; rows past the organisation's
    target time to first contact are flagged ``overdue``.
    """
    now = now or dt.datetime.now(dt.UTC)
    hours = target_hours(session, organization_id)
    query = (
        select(Referral, ChannelContact.opted_out, ChannelContact.blocked, _has_problems().label("problems"))
        .outerjoin(ChannelContact, and_(ChannelContact.channel == Referral.client_channel,
                                        ChannelContact.address == Referral.client_address))
        .where(Referral.organization_id == organization_id, Referral.simulated.is_(False))  # simulator: never
        .order_by(Referral.urgent.desc(), Referral.deadline.is_(None), Referral.deadline.asc(),
                  Referral.created_at.asc(), Referral.id.asc())
        .limit(QUEUE_LIMIT + 1)
    )
    if status == "open":
        query = query.where(Referral.status.in_(OPEN_STATUSES))
    elif status != "all":
        query = query.where(Referral.status == status)
    rows: list[QueueRow] = []
    for referral, contact_opted_out, contact_blocked, problems in session.execute(query):
        needs = dict(referral.communication_needs or {})
        items, cautions = needs_summary(needs)
        rows.append(QueueRow(
            id=referral.id, reference=referral.reference, created_at=referral.created_at,
            categories=category_labels(list(referral.categories)), deadline=referral.deadline,
            urgent=referral.urgent, crisis=referral.crisis, status=referral.status,
            client_name=referral.client_name, contact=contact_summary(needs, referral.client_channel),
            needs=items, cautions=cautions, opted_out=bool(referral.client_opted_out or contact_opted_out),
            blocked=bool(contact_blocked), delivery_problems=bool(problems),
            overdue=is_overdue(status=referral.status, created_at=referral.created_at,
                               first_contact_at=referral.first_contact_at, hours=hours, now=now),
        ))
    return rows[:QUEUE_LIMIT], len(rows) > QUEUE_LIMIT


def load_referral(session: Session, referral_id: str) -> ReferralDetail | None:
    referral = session.scalar(
        select(Referral).where(Referral.id == referral_id, Referral.simulated.is_(False))
        .options(selectinload(Referral.consent), selectinload(Referral.audit))
    )
    if referral is None:
        return None
    organization = session.get(Organization, referral.organization_id)
    service = session.get(Service, referral.service_id)
    contact = session.get(ChannelContact, (referral.client_channel, referral.client_address))
    needs = dict(referral.communication_needs or {})
    items, cautions = needs_summary(needs)
    problems = [
        DeliveryProblem(id=m.id, status=m.status, error_code=m.error_code, attempts=m.attempts, at=m.updated_at)
        for m in delivery_problems(session, channel=referral.client_channel, address=referral.client_address)
    ]
    return ReferralDetail(
        referral=referral, organization_name=organization.name if organization else referral.organization_id,
        service_name=service.name if service else referral.service_id,
        categories=category_labels(list(referral.categories)), contact=contact_summary(needs, referral.client_channel),
        needs=items, cautions=cautions, routing=_routing(dict(referral.routing or {})),
        opted_out=bool(referral.client_opted_out or (contact is not None and contact.opted_out)),
        blocked=bool(contact is not None and contact.blocked), problems=problems,
        next_statuses=tuple(s for s in TRANSITIONS.get(referral.status, ()) if s != ReferralStatus.CLOSED),
        audit=list(referral.audit), can_close=ReferralStatus.CLOSED in TRANSITIONS.get(referral.status, ()),
        thread=list(session.scalars(select(ReferralMessage).where(ReferralMessage.referral_id == referral.id)
                                    .order_by(ReferralMessage.at, ReferralMessage.id))),
        can_message=referral.status in MESSAGE_STATUSES,
    )
