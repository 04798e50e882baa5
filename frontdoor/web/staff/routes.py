"""Staff pages: referral queues by urgency, one referral in full, status changes, and failed messages.

Why here: advisers must see deadlines, opt-outs and messages that never
arrived before they contact a client. Server-rendered, no JavaScript; every
POST carries the session's CSRF token; every response says ``no-store`` and
``noindex`` because these pages hold personal data. Logs carry ids only.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from bot.channels.registry import build_composers
from bot.notifications import notify_status_change
from core.db import transaction
from core.text import MAX_STAFF_NOTE_CHARS
from frontdoor.web.context import runtime_of
from frontdoor.web.staff import auth as staff_auth
from frontdoor.web.staff.auth import StaffSession
from frontdoor.web.staff.data import QUEUE_FILTERS, load_queue, load_referral, org_summaries, organization_name
from frontdoor.web.staff.format import days_left, days_left_text, iso, uk_date, uk_datetime, uk_today
from frontdoor.web.staff.problems import NoSuchMessage, RetryError, list_problems, retry_dead
from referrals.actions import ReferralError, change_status
from referrals.models import STATUSES, Referral

__all__ = ["staff_router"]

log = logging.getLogger("frontdoor.web.staff.routes")
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
STAFF_HEADERS = {
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'"
    ),
}

templates = Jinja2Templates(directory=str(TEMPLATES))
templates.env.filters.update(iso=iso, uk_date=uk_date, uk_datetime=uk_datetime)


class _StaffRoute(APIRoute):
    """Adds the no-cache, no-index and no-framing headers to every staff response, errors included."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def with_headers(request: Request) -> Response:
            response = await handler(request)
            response.headers.update(STAFF_HEADERS)
            return response

        return with_headers


def _page(request: Request, name: str, context: dict[str, Any], status_code: int = 200,
          who: StaffSession | None = None) -> Response:
    return templates.TemplateResponse(request, name, {"staff": who, **context}, status_code=status_code)


def _not_configured(request: Request) -> Response:
    return _page(request, "staff_unavailable.html", {}, status_code=503)


def _safe_next(target: str | None) -> str:
    """Only a staff page of this site: never an open redirect."""
    if (target and target.startswith("/staff/") and "//" not in target and "\\" not in target
            and target.isprintable()):
        return target
    return "/staff/"


def _signed_in(request: Request) -> StaffSession | Response:
    """The staff session, or the response to send instead (503 unconfigured, sign-in redirect, 401)."""
    settings = runtime_of(request).settings
    if not settings.staff_token:
        return _not_configured(request)
    who = staff_auth.read_session(request.cookies.get(staff_auth.COOKIE_NAME),
                                  staff_token=settings.staff_token.get_secret_value(),
                                  session_secret=settings.session_secret.get_secret_value())
    if who is not None:
        return who
    if request.method == "GET":
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/staff/login?next={quote(target, safe='')}", status_code=303)
    return _page(request, "staff_login.html", {"next": "/staff/", "error": "Please sign in first."}, 401)


def _authorised_post(request: Request, csrf: str) -> StaffSession | Response:
    who = _signed_in(request)
    if isinstance(who, Response):
        return who
    if not staff_auth.csrf_ok(who, csrf):
        return _page(request, "staff_error.html", {
            "title": "Form expired", "message": "This form is out of date. Go back, reload the page and try again.",
        }, 403, who)
    return who


def _not_found(request: Request, who: StaffSession, what: str) -> Response:
    return _page(request, "staff_error.html", {"title": "Not found", "message": f"There is no such {what}."},
                 404, who)


def staff_router() -> APIRouter:
    router = APIRouter(prefix="/staff", route_class=_StaffRoute)

    @router.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, next_: Annotated[str | None, Query(alias="next")] = None) -> Response:
        settings = runtime_of(request).settings
        if not settings.staff_token:
            return _not_configured(request)
        return _page(request, "staff_login.html", {"next": _safe_next(next_), "error": None})

    @router.post("/login", response_class=HTMLResponse)
    def login(request: Request, token: Annotated[str, Form()] = "", name: Annotated[str, Form()] = "",
              next_: Annotated[str, Form(alias="next")] = "/staff/") -> Response:
        settings = runtime_of(request).settings
        if not settings.staff_token:
            return _not_configured(request)
        target = _safe_next(next_)
        if not staff_auth.token_ok(settings.staff_token.get_secret_value(), token):
            log.warning("staff sign-in refused")
            return _page(request, "staff_login.html", {"next": target, "error": "Sign-in failed."}, 401)
        display_name = staff_auth.clean_display_name(name)
        if not display_name:
            return _page(request, "staff_login.html", {
                "next": target, "error": "Please give your name: it is recorded with every change you make.",
            }, 400)
        who = staff_auth.new_session(display_name)
        cookie = staff_auth.sign_session(who, staff_token=settings.staff_token.get_secret_value(),
                                         session_secret=settings.session_secret.get_secret_value())
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            staff_auth.COOKIE_NAME, cookie,
            max_age=staff_auth.MAX_AGE_SECONDS, path="/staff", httponly=True, samesite="strict",
            secure=request.url.scheme == "https" or settings.public_base_url.startswith("https://"),
        )
        return response

    @router.post("/logout", response_class=HTMLResponse)
    def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
        who = _authorised_post(request, csrf)
        if isinstance(who, Response):
            return who
        response = RedirectResponse("/staff/login", status_code=303)
        response.delete_cookie(staff_auth.COOKIE_NAME, path="/staff", httponly=True, samesite="strict")
        return response

    @router.get("/", response_class=HTMLResponse)
    def organisations(request: Request) -> Response:
        who = _signed_in(request)
        if isinstance(who, Response):
            return who
        with runtime_of(request).sessions() as session:
            orgs = org_summaries(session)
        return _page(request, "staff_index.html", {"orgs": orgs}, who=who)

    @router.get("/queue/{organization_id}", response_class=HTMLResponse)
    def queue(request: Request, organization_id: str, status: str = "open") -> Response:
        who = _signed_in(request)
        if isinstance(who, Response):
            return who
        if status not in QUEUE_FILTERS:
            return _page(request, "staff_error.html", {
                "title": "Unknown filter", "message": f"Show one of: {', '.join(QUEUE_FILTERS)}.",
            }, 400, who)
        with runtime_of(request).sessions() as session:
            name = organization_name(session, organization_id)
            if name is None:
                return _not_found(request, who, "organisation")
            rows, cut = load_queue(session, organization_id, status)
        today = uk_today()
        return _page(request, "staff_queue.html", {
            "org_id": organization_id, "org_name": name, "rows": rows, "cut": cut, "status": status,
            "filters": QUEUE_FILTERS, "today": today, "days_left": lambda d: days_left(d, today),
            "days_left_text": lambda d: days_left_text(d, today),
        }, who=who)

    def _referral_page(request: Request, who: StaffSession, referral_id: str, *, error: str | None = None,
                       changed: str | None = None, status_code: int = 200) -> Response:
        with runtime_of(request).sessions() as session:
            detail = load_referral(session, referral_id)
        if detail is None:
            return _not_found(request, who, "referral")
        today = uk_today()
        return _page(request, "staff_referral.html", {
            "d": detail, "r": detail.referral, "error": error, "changed": changed,
            "days_left_text": days_left_text(detail.referral.deadline, today),
        }, status_code, who)

    @router.get("/referral/{referral_id}", response_class=HTMLResponse)
    def referral(request: Request, referral_id: str, changed: str | None = None) -> Response:
        who = _signed_in(request)
        if isinstance(who, Response):
            return who
        return _referral_page(request, who, referral_id, changed=changed if changed in STATUSES else None)

    @router.post("/referral/{referral_id}/status", response_class=HTMLResponse)
    def set_status(request: Request, referral_id: str, csrf: Annotated[str, Form()] = "",
                   to_status: Annotated[str, Form()] = "", note: Annotated[str, Form()] = "") -> Response:
        who = _authorised_post(request, csrf)
        if isinstance(who, Response):
            return who
        runtime = runtime_of(request)
        clean_note = " ".join(note.split())[:MAX_STAFF_NOTE_CHARS] or None
        try:
            with transaction(runtime.sessions) as session:
                row = session.get(Referral, referral_id, with_for_update=True)
                if row is None:
                    return _not_found(request, who, "referral")
                from_status, now = row.status, dt.datetime.now(dt.UTC)
                change_status(session, row, to_status, actor=who.actor, at=now, note=clean_note)
                notify_status_change(session, row, to_status, composers=build_composers(runtime.settings), now=now)
        except ReferralError as exc:  # the transaction rolled back: nothing was written
            code = 400 if to_status not in STATUSES else 409
            return _referral_page(request, who, referral_id, error=f"Not changed: {exc}.", status_code=code)
        runtime.conversations.invalidate_directory()  # open-referral counts feed capacity in matching
        log.info("referral status changed by staff", extra={
            "referral_id": referral_id, "from_status": from_status, "to_status": to_status,
        })
        return RedirectResponse(f"/staff/referral/{quote(referral_id, safe='')}?changed={to_status}",
                                status_code=303)

    @router.get("/outbox", response_class=HTMLResponse)
    def outbox(request: Request, retried: str | None = None) -> Response:
        who = _signed_in(request)
        if isinstance(who, Response):
            return who
        shown = int(retried) if retried and retried.isascii() and retried.isdigit() and len(retried) < 12 else None
        return _outbox_page(request, who, retried=shown)

    def _outbox_page(request: Request, who: StaffSession, *, retried: int | None = None, error: str | None = None,
                     status_code: int = 200) -> Response:
        with runtime_of(request).sessions() as session:
            rows = list_problems(session)
        return _page(request, "staff_outbox.html", {"rows": rows, "retried": retried, "error": error},
                     status_code, who)

    @router.post("/outbox/{outbox_id:int}/retry", response_class=HTMLResponse)
    def retry(request: Request, outbox_id: int, csrf: Annotated[str, Form()] = "") -> Response:
        who = _authorised_post(request, csrf)
        if isinstance(who, Response):
            return who
        try:
            with transaction(runtime_of(request).sessions) as session:
                previous_attempts = retry_dead(session, outbox_id, now=dt.datetime.now(dt.UTC))
        except NoSuchMessage:
            return _not_found(request, who, "message")
        except RetryError as exc:
            return _outbox_page(request, who, error=f"Not retried: {exc}", status_code=409)
        log.info("outbox message retried by staff", extra={"outbox_id": outbox_id,
                                                           "previous_attempts": previous_attempts})
        return RedirectResponse(f"/staff/outbox?retried={outbox_id}", status_code=303)

    return router
