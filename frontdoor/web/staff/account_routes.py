"""One's own account: turning on two-step sign-in (TOTP) without JavaScript.

The page shows the secret as a QR code (an inline SVG: scanned by the app's
camera, with no script and no image request), as text and as an
``otpauth://`` URI (typed or pasted into an authenticator app); a code from the app turns it on, and from
then on sign-in asks for a code. The secret is never shown again once on, and
never logged. Network admins are sent here until they have done it.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated

import segno
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from core.db import transaction
from frontdoor.web.staff.auth import runtime_of, set_cookie, signed_in, signed_in_form
from frontdoor.web.staff.pages import StaffRoute, page
from frontdoor.web.staff.signin_routes import landing_page
from staff.models import StaffAccount
from staff.second_factor import confirm_totp, must_enrol, offer_totp, totp_on
from staff.sessions import SignedIn, open_session
from staff.totp import provisioning_uri

__all__ = ["account_router"]

log = logging.getLogger("frontdoor.web.staff.account")
Who = Annotated[SignedIn, Depends(signed_in)]
FormWho = Annotated[SignedIn, Depends(signed_in_form)]


def _grouped(secret: str) -> str:
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _qr_code(uri: str) -> Markup:
    """The otpauth URI as an inline SVG QR code (error correction M: still reads from a scuffed screen)."""
    return Markup(segno.make(uri, error="m").svg_inline(scale=4, title="QR code of the key for your authenticator app"))


def _account_page(request: Request, who: SignedIn, *, error: str | None = None, done: bool = False,
                  status_code: int = 200) -> Response:
    with transaction(runtime_of(request).sessions) as session:
        account = session.get(StaffAccount, who.account.id)
        assert account is not None
        enabled = totp_on(account)
        secret = None if enabled else offer_totp(session, account)
        uri = provisioning_uri(secret, account.email) if secret else None
        context = {
            "enabled": enabled, "required": must_enrol(account) or account.role == "network_admin",
            "must_enrol": must_enrol(account), "secret": _grouped(secret) if secret else None,
            "uri": uri, "qr_code": _qr_code(uri) if uri else None, "error": error, "done": done,
        }
    return page(request, "staff_account.html", context, status_code, who)


def account_router() -> APIRouter:
    router = APIRouter(prefix="/staff", route_class=StaffRoute)

    @router.get("/account", response_class=HTMLResponse)
    def account(request: Request, who: Who, done: str | None = None) -> Response:
        return _account_page(request, who, done=done == "1")

    @router.post("/account/totp", response_class=HTMLResponse)
    def turn_on(request: Request, who: FormWho, code: Annotated[str, Form()] = "") -> Response:
        now = dt.datetime.now(dt.UTC)
        with transaction(runtime_of(request).sessions) as session:
            account = session.get(StaffAccount, who.account.id, with_for_update=True)
            assert account is not None
            ok = confirm_totp(session, account, code, at=now)  # ends every session, this one too
            token = open_session(session, account, now=now) if ok else None
        if token is None:
            return _account_page(request, who, error="That code did not match. Check the time on your phone and "
                                                     "type the newest code.", status_code=400)
        log.info("staff second factor turned on", extra={"account_id": who.account.id})
        response = RedirectResponse(landing_page(account) if who.account.role == "network_admin"
                                    else "/staff/account?done=1", status_code=303)
        set_cookie(request, response, token)
        return response

    return router
