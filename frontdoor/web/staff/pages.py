"""Rendering staff pages: templates, private headers on every answer, and the access-denied answer.

Every staff response says ``no-store`` and ``noindex`` (they hold personal
data), forbids framing, and sets a CSP without inline script: the pages need
none (server-rendered, usable without JavaScript).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from core.text import MAX_STAFF_NOTE_CHARS
from frontdoor.web.staff.auth import StaffDenied
from frontdoor.web.staff.format import iso, uk_date, uk_datetime
from referrals.outcomes import load_framework
from staff.sessions import SignedIn

__all__ = ["STAFF_HEADERS", "StaffRoute", "error_page", "not_found", "page", "staff_denied_handler", "templates"]

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
STAFF_HEADERS = {
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'"
    ),
}

templates = Jinja2Templates(directory=str(TEMPLATES))
templates.env.filters.update(iso=iso, uk_date=uk_date, uk_datetime=uk_datetime)
templates.env.globals.update(outcome_framework=load_framework,  # the shared outcomes (referrals/data/outcomes.yml)
                             max_note=MAX_STAFF_NOTE_CHARS)


class StaffRoute(APIRoute):
    """Adds the private headers to every staff response, errors included."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def with_headers(request: Request) -> Response:
            response = await handler(request)
            response.headers.update(STAFF_HEADERS)
            return response

        return with_headers


def page(request: Request, name: str, context: dict[str, Any], status_code: int = 200,
         who: SignedIn | None = None) -> Response:
    response = templates.TemplateResponse(request, name, {"staff": who, **context}, status_code=status_code)
    response.headers.update(STAFF_HEADERS)
    return response


def error_page(request: Request, status_code: int, title: str, message: str, who: SignedIn | None = None) -> Response:
    return page(request, "staff_error.html", {"title": title, "message": message}, status_code, who)


def not_found(request: Request, who: SignedIn | None, what: str) -> Response:
    """The same answer for "no such thing" and "not yours": existence is not revealed."""
    return error_page(request, 404, "Not found", f"There is no such {what}.", who)


async def staff_denied_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StaffDenied)
    if exc.location is not None:
        response: Response = RedirectResponse(exc.location, status_code=exc.status_code)
        response.headers.update(STAFF_HEADERS)
        return response
    return error_page(request, exc.status_code, exc.title, exc.message)
