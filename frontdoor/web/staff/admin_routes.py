"""Org admins manage their organisation's advisers; org and network admins read the staff audit trail.

Access is decided in ``referrals.access`` (``check_account_admin``,
``check_audit_access``); anything out of reach answers 404.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from core.db import transaction
from frontdoor.web.staff.auth import runtime_of, signed_in, signed_in_form
from frontdoor.web.staff.pages import StaffRoute, not_found, page
from referrals.access import NotVisible, check_account_admin, check_audit_access
from staff.accounts import AccountError, create_account, deactivate, list_accounts
from staff.audit import recent_events
from staff.models import StaffAccount
from staff.passwords import MIN_PASSWORD_CHARS, PasswordRejected
from staff.sessions import SignedIn

__all__ = ["admin_router"]

log = logging.getLogger("frontdoor.web.staff.admin")
Who = Annotated[SignedIn, Depends(signed_in)]
FormWho = Annotated[SignedIn, Depends(signed_in_form)]


def _accounts_page(request: Request, who: SignedIn, *, error: str | None = None, done: str | None = None,
                   status_code: int = 200) -> Response:
    with runtime_of(request).sessions() as session:
        accounts = list_accounts(session, who.account.organization_id)
    return page(request, "staff_accounts.html", {"accounts": accounts, "error": error, "done": done,
                                                 "min_chars": MIN_PASSWORD_CHARS}, status_code, who)


def admin_router() -> APIRouter:
    router = APIRouter(prefix="/staff", route_class=StaffRoute)

    @router.get("/accounts", response_class=HTMLResponse)
    def accounts(request: Request, who: Who, done: str | None = None) -> Response:
        try:
            check_account_admin(who.account, who.account)
        except NotVisible:
            return not_found(request, who, "page")
        return _accounts_page(request, who, done=done if done in ("created", "deactivated") else None)

    @router.post("/accounts", response_class=HTMLResponse)
    def add_adviser(request: Request, who: FormWho, email: Annotated[str, Form()] = "",
                    name: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "") -> Response:
        try:
            check_account_admin(who.account, who.account)
        except NotVisible:
            return not_found(request, who, "page")
        try:
            with transaction(runtime_of(request).sessions) as session:
                made = create_account(session, email=email, name=name, role="adviser",
                                      organization_id=who.account.organization_id, password=password,
                                      at=dt.datetime.now(dt.UTC), by=who.account.id)
        except (AccountError, PasswordRejected) as exc:
            return _accounts_page(request, who, error=f"Not added: {exc}.", status_code=400)
        log.info("staff account created", extra={"account_id": made.id, "by_account_id": who.account.id})
        return RedirectResponse("/staff/accounts?done=created", status_code=303)

    @router.post("/accounts/{account_id}/deactivate", response_class=HTMLResponse)
    def deactivate_account(request: Request, account_id: str, who: FormWho) -> Response:
        try:
            with transaction(runtime_of(request).sessions) as session:
                target = check_account_admin(who.account, session.get(StaffAccount, account_id[:36]))
                if target.id == who.account.id:  # an organisation must not lock out its last admin by accident
                    raise NotVisible("account")
                deactivate(session, target, at=dt.datetime.now(dt.UTC), by=who.account.id)
        except NotVisible:
            return not_found(request, who, "account")
        log.info("staff account deactivated", extra={"account_id": account_id, "by_account_id": who.account.id})
        return RedirectResponse("/staff/accounts?done=deactivated", status_code=303)

    @router.get("/audit", response_class=HTMLResponse)
    def audit(request: Request, who: Who) -> Response:
        try:
            scope = check_audit_access(who.account)
        except NotVisible:
            return not_found(request, who, "page")
        with runtime_of(request).sessions() as session:
            events = recent_events(session, organization_id=scope)
            names = dict(session.query(StaffAccount.id, StaffAccount.name).all())
        return page(request, "staff_audit.html", {"events": events, "names": names, "scope": scope}, who=who)

    return router
