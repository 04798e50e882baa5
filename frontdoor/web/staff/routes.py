"""Staff pages: referral queues by urgency, one referral in full, status changes, and failed messages.

Why here: advisers must see deadlines, opt-outs and messages that never
arrived before they contact a client. Every route depends on the signed-in
account (``frontdoor.web.staff.auth``); what it may see or change is decided by
``referrals.access`` and done by the ``do_*`` actions, which audit as they go.
Out-of-reach records answer 404, exactly as missing ones. Logs carry ids only.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.channels.registry import build_composers
from bot.handoff import preview_segments, send_adviser_message
from bot.notifications import notify_status_change
from bot.outbox_retry import NotRetried, do_retry_message
from bot.reroute import offer_next_service
from core.db import transaction
from core.text import MAX_STAFF_NOTE_CHARS
from frontdoor.web.staff.account_routes import account_router
from frontdoor.web.staff.admin_routes import admin_router
from frontdoor.web.staff.auth import runtime_of, signed_in, signed_in_form
from frontdoor.web.staff.data import QUEUE_FILTERS, load_queue, load_referral, org_summaries, organization_name
from frontdoor.web.staff.directory_routes import directory_router
from frontdoor.web.staff.format import days_left, days_left_text, uk_today
from frontdoor.web.staff.outcome_routes import can_set_target, outcome_router
from frontdoor.web.staff.pages import StaffRoute, error_page, not_found, page
from frontdoor.web.staff.problems import list_problems
from frontdoor.web.staff.signin_routes import signin_router
from referrals.access import NotVisible, can_see_network, organization_scope, sees_client_details
from referrals.actions import (
    ReferralError,
    do_change_status,
    do_decline,
    do_send_message,
    do_view_queue,
    do_view_referral,
)
from referrals.models import STATUSES, Referral
from referrals.service_levels import target_hours
from staff.models import StaffAccount
from staff.sessions import SignedIn

__all__ = ["staff_router"]

log = logging.getLogger("frontdoor.web.staff.routes")
Who = Annotated[SignedIn, Depends(signed_in)]
FormWho = Annotated[SignedIn, Depends(signed_in_form)]


def actor_names(session: Session, actors: list[str]) -> dict[str, str]:
    """``staff:<account id>`` -> the account's name, for showing an audit trail."""
    ids = {a.removeprefix("staff:") for a in actors if a.startswith("staff:")}
    if not ids:
        return {}
    rows = session.execute(select(StaffAccount.id, StaffAccount.name).where(StaffAccount.id.in_(ids)))
    return {f"staff:{account_id}": name for account_id, name in rows}


def _referral_page(request: Request, who: SignedIn, referral_id: str, *, error: str | None = None,
                   changed: str | None = None, status_code: int = 200, draft: str = "",
                   preview: bool = False, notice: str | None = None, reason: str = "") -> Response:
    now = dt.datetime.now(dt.UTC)
    try:
        with transaction(runtime_of(request).sessions) as session:
            do_view_referral(session, who.account, referral_id, at=now)
            detail = load_referral(session, referral_id)
            names = actor_names(session, [e.actor for e in detail.audit]) if detail else {}
    except NotVisible:
        return not_found(request, who, "referral")
    if detail is None:
        return not_found(request, who, "referral")
    segments = preview_segments(detail.referral, detail.organization_name, draft) if preview and draft else None
    return page(request, "staff_referral.html", {
        "d": detail, "r": detail.referral, "error": error, "changed": changed, "actor_names": names,
        "days_left_text": days_left_text(detail.referral.deadline, uk_today()), "draft": draft,
        "segments": segments, "notice": notice, "reason": reason,
    }, status_code, who)


def _queues(router: APIRouter) -> None:
    @router.get("/", response_class=HTMLResponse)
    def organisations(request: Request, who: Who) -> Response:
        scope = organization_scope(who.account)
        with runtime_of(request).sessions() as session:
            orgs = [o for o in org_summaries(session) if scope is None or o.id == scope]
        return page(request, "staff_index.html", {"orgs": orgs}, who=who)

    @router.get("/queue/{organization_id}", response_class=HTMLResponse)
    def queue(request: Request, organization_id: str, who: Who, status: str = "open") -> Response:
        if status not in QUEUE_FILTERS:
            return error_page(request, 400, "Unknown filter", f"Show one of: {', '.join(QUEUE_FILTERS)}.", who)
        try:
            with transaction(runtime_of(request).sessions) as session:
                do_view_queue(session, who.account, organization_id, at=dt.datetime.now(dt.UTC))
                name = organization_name(session, organization_id)
                rows, cut = load_queue(session, organization_id, status) if name is not None else ([], False)
                hours = target_hours(session, organization_id)
        except NotVisible:
            return not_found(request, who, "organisation")
        if name is None:
            return not_found(request, who, "organisation")
        today = uk_today()
        return page(request, "staff_queue.html", {
            "org_id": organization_id, "org_name": name, "rows": rows, "cut": cut, "status": status,
            "filters": QUEUE_FILTERS, "today": today, "days_left": lambda d: days_left(d, today),
            "days_left_text": lambda d: days_left_text(d, today),
            "show_client": sees_client_details(who.account), "target_hours": hours,
            "can_set_target": can_set_target(who.account, organization_id),
        }, who=who)

    @router.get("/referral/{referral_id}", response_class=HTMLResponse)
    def referral(request: Request, referral_id: str, who: Who, changed: str | None = None,
                 done: str | None = None) -> Response:
        return _referral_page(request, who, referral_id, changed=changed if changed in STATUSES else None,
                              notice=_NOTICES.get(done or ""))

    @router.post("/referral/{referral_id}/status", response_class=HTMLResponse)
    def set_status(request: Request, referral_id: str, who: FormWho, to_status: Annotated[str, Form()] = "",
                   note: Annotated[str, Form()] = "") -> Response:
        runtime = runtime_of(request)
        clean_note = " ".join(note.split())[:MAX_STAFF_NOTE_CHARS] or None
        composers = build_composers(runtime.settings)

        def notify(session: Session, row: Referral, status: str, at: dt.datetime) -> None:
            notify_status_change(session, row, status, composers=composers, now=at)

        try:
            with transaction(runtime.sessions) as session:
                _row, from_status = do_change_status(session, who.account, referral_id, to_status,
                                                     at=dt.datetime.now(dt.UTC), note=clean_note, notify=notify)
        except NotVisible:
            return not_found(request, who, "referral")
        except ReferralError as exc:  # the transaction rolled back: nothing was written
            code = 400 if to_status not in STATUSES else 409
            return _referral_page(request, who, referral_id, error=f"Not changed: {exc}.", status_code=code)
        log.info("referral status changed by staff", extra={
            "referral_id": referral_id, "from_status": from_status, "to_status": to_status,
            "account_id": who.account.id,
        })
        return RedirectResponse(f"/staff/referral/{quote(referral_id, safe='')}?changed={to_status}",
                                status_code=303)


_NOTICES = {
    "sent": "Message queued for the client on their channel.",
    "offered": "Declined. The client was offered the next matching service and asked for consent.",
    "no_match": "Declined. No other service could take it: the client was told, and it is recorded as unmet need.",
}


def _messages(router: APIRouter) -> None:
    """Writing to the client (with an SMS segment preview) and declining with a reason (then re-routing)."""

    @router.post("/referral/{referral_id}/message", response_class=HTMLResponse)
    def message(request: Request, referral_id: str, who: FormWho, body: Annotated[str, Form()] = "",
                action: Annotated[str, Form()] = "send") -> Response:
        if action == "preview":
            return _referral_page(request, who, referral_id, draft=body, preview=True)
        runtime = runtime_of(request)
        composers = build_composers(runtime.settings)

        def send(session: Session, row: Referral, text: str, at: dt.datetime) -> int | None:
            return send_adviser_message(session, row, text, composers=composers, now=at)

        try:
            with transaction(runtime.sessions) as session:
                sent = do_send_message(session, who.account, referral_id, body, at=dt.datetime.now(dt.UTC),
                                       send=send)
                segments = sent.segments
        except NotVisible:
            return not_found(request, who, "referral")
        except ReferralError as exc:
            return _referral_page(request, who, referral_id, error=f"Not sent: {exc}.", draft=body,
                                  status_code=400 if not body.strip() else 409)
        log.info("message sent by staff", extra={"referral_id": referral_id, "account_id": who.account.id,
                                                 "segments": segments})
        return RedirectResponse(f"/staff/referral/{quote(referral_id, safe='')}?done=sent#thread", status_code=303)

    @router.post("/referral/{referral_id}/decline", response_class=HTMLResponse)
    def decline(request: Request, referral_id: str, who: FormWho,
                reason: Annotated[str, Form()] = "") -> Response:
        runtime = runtime_of(request)
        offer_next = partial(offer_next_service, composers=build_composers(runtime.settings),
                             directory=runtime.conversations.directory)
        try:
            with transaction(runtime.sessions) as session:
                _row, result = do_decline(session, who.account, referral_id, reason, at=dt.datetime.now(dt.UTC),
                                          offer_next=offer_next)
        except NotVisible:
            return not_found(request, who, "referral")
        except ReferralError as exc:
            return _referral_page(request, who, referral_id, error=f"Not declined: {exc}.", reason=reason,
                                  status_code=400 if not reason.strip() else 409)
        log.info("referral declined by staff", extra={"referral_id": referral_id, "account_id": who.account.id,
                                                      "result": result})
        return RedirectResponse(f"/staff/referral/{quote(referral_id, safe='')}?changed=declined&done={result}",
                                status_code=303)


def _outbox(router: APIRouter) -> None:
    """Undelivered messages across the network (masked, no text): network admins only."""

    def outbox_page(request: Request, who: SignedIn, **context: Any) -> Response:
        with runtime_of(request).sessions() as session:
            rows = list_problems(session)
        status_code = context.pop("status_code", 200)
        return page(request, "staff_outbox.html", {"rows": rows, "retried": None, "error": None, **context},
                    status_code, who)

    @router.get("/outbox", response_class=HTMLResponse)
    def outbox(request: Request, who: Who, retried: str | None = None) -> Response:
        if not can_see_network(who.account):
            return not_found(request, who, "page")
        shown = int(retried) if retried and retried.isascii() and retried.isdigit() and len(retried) < 12 else None
        return outbox_page(request, who, retried=shown)

    @router.post("/outbox/{outbox_id:int}/retry", response_class=HTMLResponse)
    def retry(request: Request, outbox_id: int, who: FormWho) -> Response:
        try:
            with transaction(runtime_of(request).sessions) as session:
                previous_attempts = do_retry_message(session, who.account, outbox_id, at=dt.datetime.now(dt.UTC))
        except NotVisible:
            return not_found(request, who, "message" if can_see_network(who.account) else "page")
        except NotRetried as exc:
            return outbox_page(request, who, error=f"Not retried: {exc}", status_code=409)
        log.info("outbox message retried by staff", extra={"outbox_id": outbox_id,
                                                           "previous_attempts": previous_attempts})
        return RedirectResponse(f"/staff/outbox?retried={outbox_id}", status_code=303)


def staff_router() -> APIRouter:
    router = APIRouter()
    router.include_router(signin_router())
    pages = APIRouter(prefix="/staff", route_class=StaffRoute)
    _queues(pages)
    _messages(pages)
    _outbox(pages)
    router.include_router(pages)
    router.include_router(admin_router())
    router.include_router(directory_router())
    router.include_router(outcome_router(_referral_page))
    router.include_router(account_router())
    return router
