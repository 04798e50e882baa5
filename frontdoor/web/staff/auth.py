"""The signed-in staff account, as FastAPI dependencies: one for every page, one more for every form.

Why here: every staff route depends on :func:`signed_in` (GET) or
:func:`signed_in_form` (POST, which also checks the CSRF token), so no route
can forget either. What an account may then see or change is decided in
:mod:`referrals.access`. The session itself is a row in ``staff_session``; the
cookie holds only a random token (HttpOnly, SameSite=Lax, Secure when the
public URL is https) and is never logged.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Form, Request
from fastapi.responses import Response

from frontdoor.web.context import runtime_of
from staff.second_factor import must_enrol
from staff.sessions import SESSION_HOURS, SignedIn, csrf_ok, read_session

__all__ = ["COOKIE_NAME", "StaffDenied", "clear_cookie", "runtime_of", "safe_next", "set_cookie", "signed_in",
           "signed_in_form"]

COOKIE_NAME = "frontdoor_staff"
COOKIE_PATH = "/staff"
# All a network admin without a second factor may reach: turning it on, and signing out.
ENROL_PATHS = frozenset({"/staff/account", "/staff/account/totp", "/staff/logout"})


class StaffDenied(Exception):  # noqa: N818 - an answer to send, not a fault in the code
    """Raised by a dependency: the app answers with a redirect to ``location`` or an error page."""

    def __init__(self, status_code: int, title: str = "", message: str = "", location: str | None = None) -> None:
        super().__init__(title or "staff access denied")
        self.status_code, self.title, self.message, self.location = status_code, title, message, location



def safe_next(target: str | None) -> str | None:
    """Only a staff page of this site: never an open redirect."""
    if (target and target.startswith("/staff/") and "//" not in target and "\\" not in target
            and target.isprintable() and not target.startswith("/staff/login")):
        return target
    return None


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or runtime_of(request).settings.public_base_url.startswith("https://")


def set_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(COOKIE_NAME, token, max_age=SESSION_HOURS * 3600, path=COOKIE_PATH, httponly=True,
                        samesite="lax", secure=_secure(request))


def clear_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(COOKIE_NAME, path=COOKIE_PATH, httponly=True, samesite="lax", secure=_secure(request))


def _current(request: Request) -> SignedIn | None:
    with runtime_of(request).sessions() as session:
        return read_session(session, request.cookies.get(COOKIE_NAME), now=dt.datetime.now(dt.UTC))


def signed_in(request: Request) -> SignedIn:
    """The signed-in account; otherwise a GET is sent to the sign-in page and anything else gets 401.

    A network admin who has not turned on the second factor is sent to ``/staff/account`` from every other page.
    """
    who = _current(request)
    if who is not None and must_enrol(who.account) and request.url.path not in ENROL_PATHS:
        if request.method == "GET":
            raise StaffDenied(303, location="/staff/account")
        raise StaffDenied(403, "Two-step sign-in needed", "Turn on two-step sign-in on your account page first.")
    if who is not None:
        return who
    if request.method == "GET":
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise StaffDenied(303, location=f"/staff/login?next={quote(target, safe='')}")
    raise StaffDenied(401, "Please sign in", "Your session has ended. Sign in again and try once more.")


def signed_in_form(who: Annotated[SignedIn, Depends(signed_in)],
                   csrf: Annotated[str, Form()] = "") -> SignedIn:
    """The signed-in account of a form post whose CSRF token matches its session (else 403)."""
    if not csrf_ok(who, csrf):
        raise StaffDenied(403, "Form expired", "This form is out of date. Go back, reload the page and try again.")
    return who
