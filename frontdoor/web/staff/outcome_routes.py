"""Closing a referral with an outcome, outcome counts, service levels (target time to first contact) and
the network's overdue list.

Access is decided in ``referrals.access``; changes go through the ``do_*``
verbs in ``referrals.actions`` (check, write, audit, notify together). The
counts and the overdue list are metadata only: network admins see them without
any client's name, contact or words. Logs carry ids only.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from functools import partial
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.channels.registry import build_composers
from bot.notifications import notify_status_change
from bot.reroute import offer_next_service
from core.db import transaction
from directory.models import Organization
from frontdoor.web.staff.auth import runtime_of, signed_in, signed_in_form
from frontdoor.web.staff.pages import StaffRoute, error_page, not_found, page
from referrals.access import (
    NotVisible,
    can_see_network,
    check_network_access,
    check_org_settings_access,
    check_outcome_report_access,
)
from referrals.actions import (
    MAX_TARGET_HOURS,
    ReferralError,
    do_close_referral,
    do_reroute,
    do_retry_mail,
    do_set_service_level,
)
from referrals.mail_outbox import mail_problems
from referrals.models import Referral
from referrals.service_levels import outcome_counts, overdue_referrals, settings_of
from staff.models import StaffAccount
from staff.sessions import SignedIn

__all__ = ["ReferralPage", "can_set_target", "outcome_router"]

log = logging.getLogger("frontdoor.web.staff.outcomes")
Who = Annotated[SignedIn, Depends(signed_in)]
FormWho = Annotated[SignedIn, Depends(signed_in_form)]
ReferralPage = Callable[..., Response]  # routes._referral_page: shows the referral again with an error


def can_set_target(account: StaffAccount, organization_id: str) -> bool:
    try:
        check_org_settings_access(account, organization_id)
    except NotVisible:
        return False
    return True


def _settings_page(request: Request, who: SignedIn, organization_id: str, *, error: str | None = None,
                   saved: bool = False, status_code: int = 200) -> Response:
    with runtime_of(request).sessions() as session:
        organization = session.get(Organization, organization_id)
        if organization is None:
            return not_found(request, who, "organisation")
        settings = settings_of(session, organization_id)
        context = {
            "org_id": organization_id, "org_name": organization.name, "directory_email": organization.email,
            "hours": settings.first_contact_hours if settings else None,
            "referral_email": settings.referral_email if settings else None,
            "max_hours": MAX_TARGET_HOURS, "error": error, "saved": saved,
        }
    return page(request, "staff_settings.html", context, status_code, who)


def _parse_hours(raw: str) -> int | None:
    text = raw.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 6):
        raise ReferralError("the target must be a whole number of hours")
    return int(text)


def outcome_router(referral_page: ReferralPage) -> APIRouter:
    router = APIRouter(prefix="/staff", route_class=StaffRoute)

    @router.post("/referral/{referral_id}/close", response_class=HTMLResponse)
    def close(request: Request, referral_id: str, who: FormWho, outcome: Annotated[str, Form()] = "",
              note: Annotated[str, Form()] = "") -> Response:
        runtime = runtime_of(request)
        composers = build_composers(runtime.settings)

        def notify(session: Session, row: Referral, status: str, at: dt.datetime) -> None:
            notify_status_change(session, row, status, composers=composers, now=at)

        try:
            with transaction(runtime.sessions) as session:
                do_close_referral(session, who.account, referral_id, outcome, at=dt.datetime.now(dt.UTC),
                                  note=note, notify=notify)
        except NotVisible:
            return not_found(request, who, "referral")
        except ReferralError as exc:  # rolled back: nothing was written, nothing sent
            return referral_page(request, who, referral_id, error=f"Not closed: {exc}.", status_code=409)
        log.info("referral closed by staff", extra={"referral_id": referral_id, "outcome": outcome,
                                                    "account_id": who.account.id})
        return RedirectResponse(f"/staff/referral/{quote(referral_id, safe='')}?changed=closed", status_code=303)

    @router.get("/outcomes", response_class=HTMLResponse)
    def outcomes(request: Request, who: Who) -> Response:
        try:
            scope = check_outcome_report_access(who.account)
        except NotVisible:
            return not_found(request, who, "page")
        with runtime_of(request).sessions() as session:
            rows = outcome_counts(session, scope)
        return page(request, "staff_outcomes.html", {"rows": rows, "scope": scope}, who=who)

    @router.get("/settings/{organization_id}", response_class=HTMLResponse)
    def settings_form(request: Request, organization_id: str, who: Who, saved: str | None = None) -> Response:
        if not can_set_target(who.account, organization_id):
            return not_found(request, who, "organisation")
        return _settings_page(request, who, organization_id, saved=saved == "1")

    @router.post("/settings/{organization_id}", response_class=HTMLResponse)
    def settings_save(request: Request, organization_id: str, who: FormWho,
                      first_contact_hours: Annotated[str, Form()] = "",
                      referral_email: Annotated[str, Form()] = "") -> Response:
        try:
            hours = _parse_hours(first_contact_hours)
            with transaction(runtime_of(request).sessions) as session:
                do_set_service_level(session, who.account, organization_id, first_contact_hours=hours,
                                     referral_email=referral_email, at=dt.datetime.now(dt.UTC))
        except NotVisible:
            return not_found(request, who, "organisation")
        except ReferralError as exc:
            if not can_set_target(who.account, organization_id):
                return not_found(request, who, "organisation")
            return _settings_page(request, who, organization_id, error=f"Not saved: {exc}.", status_code=400)
        log.info("service level set", extra={"organization_id": organization_id, "account_id": who.account.id})
        return RedirectResponse(f"/staff/settings/{quote(organization_id, safe='')}?saved=1", status_code=303)

    @router.get("/overdue", response_class=HTMLResponse)
    def overdue(request: Request, who: Who) -> Response:
        try:
            check_network_access(who.account)
        except NotVisible:
            return not_found(request, who, "page")
        with runtime_of(request).sessions() as session:
            rows = overdue_referrals(session, now=dt.datetime.now(dt.UTC))
            failing = mail_problems(session)
            names = dict(session.execute(select(Organization.id, Organization.name).where(
                Organization.id.in_({m.organization_id for m in failing}))).all())
        rerouted = request.query_params.get("rerouted")
        return page(request, "staff_overdue.html", {"rows": rows, "failing": failing, "org_names": names,
                                                    "rerouted": REROUTE_RESULTS.get(rerouted or "")}, who=who)

    @router.post("/overdue/{referral_id}/reroute", response_class=HTMLResponse)
    def reroute_overdue(request: Request, referral_id: str, who: FormWho) -> Response:
        """A network admin offers the client of an overdue referral the next service; the client decides (consent)."""
        try:
            check_network_access(who.account)
        except NotVisible:
            return not_found(request, who, "page")
        runtime = runtime_of(request)
        offer_next = partial(offer_next_service, composers=build_composers(runtime.settings), why="overdue",
                             directory=runtime.conversations.directory)
        try:
            with transaction(runtime.sessions) as session:
                result = do_reroute(session, who.account, referral_id, at=dt.datetime.now(dt.UTC),
                                    offer_next=offer_next)
        except NotVisible:
            return not_found(request, who, "referral")
        log.info("overdue referral re-routed", extra={"referral_id": referral_id, "account_id": who.account.id,
                                                      "result": result})
        return RedirectResponse(f"/staff/overdue?rerouted={quote(result, safe='')}", status_code=303)

    @router.post("/overdue/mail/{mail_id:int}/retry", response_class=HTMLResponse)
    def retry_mail(request: Request, mail_id: int, who: FormWho) -> Response:
        """A network admin sends a given-up new-referral email again (after the organisation's address is fixed)."""
        try:
            with transaction(runtime_of(request).sessions) as session:
                previous_attempts = do_retry_mail(session, who.account, mail_id, at=dt.datetime.now(dt.UTC))
        except NotVisible:
            return not_found(request, who, "email" if can_see_network(who.account) else "page")
        except ReferralError as exc:
            return error_page(request, 409, "Not sent again", f"Not sent again: {exc}.", who)
        log.info("partner email retried by staff", extra={"mail_id": mail_id, "previous_attempts": previous_attempts,
                                                          "account_id": who.account.id})
        return RedirectResponse("/staff/overdue?rerouted=mail_retried", status_code=303)

    return router


# What the client was offered after a network admin's re-route (the result codes of bot.reroute).
REROUTE_RESULTS = {
    "offered": "The client has been offered the next matching service and asked for their consent.",
    "no_match": "No other service matches: the client has been told, and the unmet need recorded.",
    "mail_retried": "The email will be sent again, to the organisation's referral email as it is now.",
}
