"""Sign-in, sign-out and changing one's own password.

Why apart from the queue pages: these are the only staff routes open without
a session, and the only ones that create or end one. Logs say which account
and what happened, never an email typed, a password, a code or a token.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from core.db import transaction
from frontdoor.web.staff.auth import clear_cookie, runtime_of, safe_next, set_cookie, signed_in, signed_in_form
from frontdoor.web.staff.pages import StaffRoute, page
from staff.accounts import change_password
from staff.audit import record_event
from staff.models import StaffAccount
from staff.passwords import MIN_PASSWORD_CHARS, PasswordRejected, check_new_password, verify_password
from staff.second_factor import must_enrol
from staff.sessions import SignedIn, end_session, open_session
from staff.signin import LOCK_MINUTES, sign_in

__all__ = ["landing_page", "signin_router"]

log = logging.getLogger("frontdoor.web.staff.signin")
Who = Annotated[SignedIn, Depends(signed_in)]
FormWho = Annotated[SignedIn, Depends(signed_in_form)]


def landing_page(account: StaffAccount) -> str:
    """Where an account starts: its organisation's queue, or the network overview (after enrolling TOTP)."""
    if must_enrol(account):
        return "/staff/account"
    if account.organization_id and account.role in ("adviser", "org_admin"):
        return f"/staff/queue/{account.organization_id}"
    return "/staff/"


def _login_page(request: Request, next_: str | None, error: str | None, status_code: int = 200) -> Response:
    return page(request, "staff_login.html", {"next": next_ or "", "error": error}, status_code)


def signin_router() -> APIRouter:
    router = APIRouter(prefix="/staff", route_class=StaffRoute)

    @router.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, next_: Annotated[str | None, Query(alias="next")] = None) -> Response:
        return _login_page(request, safe_next(next_), None)

    @router.post("/login", response_class=HTMLResponse)
    def login(request: Request, email: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
              code: Annotated[str, Form()] = "", next_: Annotated[str, Form(alias="next")] = "") -> Response:
        runtime = runtime_of(request)
        now = dt.datetime.now(dt.UTC)
        address = request.client.host if request.client else "unknown"
        with transaction(runtime.sessions) as session:
            result = sign_in(session, email=email, password=password, code=code, address=address, now=now,
                             address_key=runtime.settings.session_secret.get_secret_value())
            token = open_session(session, result.account, now=now) if result.account is not None else None
        target = safe_next(next_)
        if result.outcome == "throttled":
            log.warning("staff sign-in throttled for an address")
            return _login_page(request, target, f"Too many failed sign-ins from here. Try again in {LOCK_MINUTES} "
                                                "minutes.", 429)
        if result.outcome == "locked":
            log.warning("staff sign-in refused: account locked")
            return _login_page(request, target, f"Too many failed sign-ins for this account. Try again in "
                                                f"{LOCK_MINUTES} minutes, or ask your organisation's admin.", 429)
        if result.account is None or token is None:
            log.warning("staff sign-in failed")
            return _login_page(request, target, "Sign-in failed: check your email, password and code.", 401)
        log.info("staff signed in", extra={"account_id": result.account.id, "role": result.account.role})
        response = RedirectResponse(target or landing_page(result.account), status_code=303)
        set_cookie(request, response, token)
        return response

    @router.post("/logout", response_class=HTMLResponse)
    def logout(request: Request, who: FormWho) -> Response:
        with transaction(runtime_of(request).sessions) as session:
            end_session(session, who.token_hash)
            record_event(session, at=dt.datetime.now(dt.UTC), account_id=who.account.id, action="signed_out",
                         organization_id=who.account.organization_id)
        response = RedirectResponse("/staff/login", status_code=303)
        clear_cookie(request, response)
        return response

    @router.get("/password", response_class=HTMLResponse)
    def password_form(request: Request, who: Who) -> Response:
        return page(request, "staff_password.html", {"error": None, "min_chars": MIN_PASSWORD_CHARS}, who=who)

    @router.post("/password", response_class=HTMLResponse)
    def password_change(request: Request, who: FormWho, current: Annotated[str, Form()] = "",
                        new: Annotated[str, Form()] = "", again: Annotated[str, Form()] = "") -> Response:
        def refuse(message: str) -> Response:
            return page(request, "staff_password.html", {"error": message, "min_chars": MIN_PASSWORD_CHARS}, 400,
                        who)

        if not verify_password(who.account.password_hash, current):
            return refuse("Your current password is not right.")
        if new != again:
            return refuse("The two new passwords are not the same.")
        try:
            check_new_password(new)
        except PasswordRejected as exc:
            return refuse(f"Not changed: {exc}.")
        now = dt.datetime.now(dt.UTC)
        with transaction(runtime_of(request).sessions) as session:
            account = session.get(StaffAccount, who.account.id)
            assert account is not None
            change_password(session, account, new, at=now)  # ends every session of the account, this one too
            token = open_session(session, account, now=now)
        log.info("staff password changed", extra={"account_id": who.account.id})
        response = RedirectResponse(landing_page(who.account), status_code=303)
        set_cookie(request, response, token)
        return response

    return router
