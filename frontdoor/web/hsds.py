"""``/hsds/``: the Open Referral HSDS 3.0 read API over the published directory.

Read-only (GET only; anything else is 405), open to any origin (CORS for GET), and
rate limited per client address: past the limit a request gets 429 with ``Retry-After``.
Queries and serialisation live in :mod:`directory.hsds_api`; this module is only HTTP.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from bot.ratelimit import KeyedBuckets
from core.settings import Settings
from directory import hsds_api
from directory.hsds_api import BadQuery, Paging, ServiceFilters
from frontdoor.web.context import runtime_of

__all__ = ["CORS_HEADERS", "hsds_router"]

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
    "Access-Control-Max-Age": "86400",
}
BURST = 30.0  # requests a client may send at once before the per-minute rate applies


def _flag(request: Request, name: str) -> bool:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return False
    if raw.lower() in ("true", "1", "yes"):
        return True
    if raw.lower() in ("false", "0", "no"):
        return False
    raise BadQuery(f"{name} must be true or false, not {raw[:20]!r}")


def _filters(request: Request) -> ServiceFilters:
    q = request.query_params
    if q.get("modified_after"):
        raise BadQuery("modified_after is not supported: this directory keeps no modification times")
    if q.get("format") not in (None, "", "json"):
        raise BadQuery("format: only json is supported")
    return ServiceFilters(search=q.get("search"), taxonomy_term_id=q.get("taxonomy_term_id"),
                          taxonomy_id=q.get("taxonomy_id"), organization_id=q.get("organization_id"),
                          postcode=q.get("postcode"), language=q.get("language"))


def _paging(request: Request) -> Paging:
    return Paging.parse(request.query_params.get("page"), request.query_params.get("per_page"))


def hsds_router(settings: Settings) -> APIRouter:
    router = APIRouter(prefix="/hsds", tags=["hsds"])
    limits = KeyedBuckets(settings.hsds_requests_per_minute / 60.0, BURST)

    async def answer(request: Request, read: Callable[[Session], dict[str, Any] | None], what: str) -> Response:
        wait = limits.try_take(request.client.host if request.client else "unknown")
        if wait > 0:
            return JSONResponse({"detail": "Too many requests: slow down and try again."}, status_code=429,
                                headers={**CORS_HEADERS, "Retry-After": str(math.ceil(wait))})
        sessions = runtime_of(request).sessions

        def run() -> dict[str, Any] | None:
            with sessions() as session:
                return read(session)

        try:
            body = await anyio.to_thread.run_sync(run)
        except BadQuery as problem:
            return JSONResponse({"detail": str(problem)}, status_code=400, headers=CORS_HEADERS)
        if body is None:
            return JSONResponse({"detail": f"No {what} with that id."}, status_code=404, headers=CORS_HEADERS)
        return JSONResponse(body, headers=CORS_HEADERS)

    @router.options("/{path:path}", include_in_schema=False)
    async def preflight(path: str) -> Response:
        return Response(status_code=204, headers=CORS_HEADERS)

    @router.get("/")
    async def meta(request: Request) -> Response:
        return await answer(request, lambda _s: hsds_api.api_meta(), "API")

    @router.get("/services")
    async def services(request: Request) -> Response:
        return await answer(request, lambda s: hsds_api.list_services(
            s, _paging(request), _filters(request), full=_flag(request, "full"),
            minimal=_flag(request, "minimal")), "services")

    @router.get("/services/{service_id}")
    async def service(request: Request, service_id: str) -> Response:
        return await answer(request, lambda s: hsds_api.get_service(s, service_id), "service")

    @router.get("/organizations")
    async def organizations(request: Request) -> Response:
        return await answer(request, lambda s: hsds_api.list_organizations(
            s, _paging(request), search=request.query_params.get("search"), full=_flag(request, "full"),
            full_service=_flag(request, "full_service")), "organizations")

    @router.get("/organizations/{organization_id}")
    async def organization(request: Request, organization_id: str) -> Response:
        return await answer(request, lambda s: hsds_api.get_organization(
            s, organization_id, full_service=_flag(request, "full_service")), "organization")

    @router.get("/taxonomies")
    async def taxonomies(request: Request) -> Response:
        return await answer(request, lambda _s: hsds_api.list_taxonomies(
            _paging(request), request.query_params.get("search")), "taxonomies")

    @router.get("/taxonomies/{taxonomy_id}")
    async def taxonomy(request: Request, taxonomy_id: str) -> Response:
        return await answer(request, lambda _s: hsds_api.get_taxonomy(taxonomy_id), "taxonomy")

    @router.get("/taxonomy_terms")
    async def taxonomy_terms(request: Request) -> Response:
        q = request.query_params
        return await answer(request, lambda _s: hsds_api.list_taxonomy_terms(
            _paging(request), search=q.get("search"), taxonomy_id=q.get("taxonomy_id"),
            parent_id=q.get("parent_id")), "taxonomy terms")

    @router.get("/taxonomy_terms/{term_id}")
    async def taxonomy_term(request: Request, term_id: str) -> Response:
        return await answer(request, lambda _s: hsds_api.get_taxonomy_term(term_id), "taxonomy term")

    @router.get("/service_at_locations")
    async def service_at_locations(request: Request) -> Response:
        return await answer(request, lambda s: hsds_api.list_service_at_locations(
            s, _paging(request), _filters(request), full=_flag(request, "full")), "service at locations")

    return router
