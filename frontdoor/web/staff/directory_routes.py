"""Directory admin pages under /staff/directory/: edit, review, publish, history, revert, "still correct".

Every change goes through a ``do_*`` verb of ``staff.directory_admin`` (access
check, write and staff audit in one transaction); these routes only read forms,
call verbs and render. Out-of-reach records answer 404 exactly like missing
ones. After a publish commits, the matcher's cached snapshot is dropped so the
next client is matched on the new data.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from core.db import transaction
from directory.diff import diff_records
from directory.forms import FormResult, FormValues, organization_from_form, service_from_form
from directory.freshness import stale_services
from directory.history_models import DirectoryVersion
from directory.models import Service
from directory.versions import VersionError, draft_for, drafts, published_record, versions
from frontdoor.web.staff.auth import runtime_of, signed_in, signed_in_form
from frontdoor.web.staff.directory_view import (
    account_names,
    choices,
    organization_locations,
    organization_values,
    scope_services,
    service_values,
)
from frontdoor.web.staff.pages import StaffRoute, error_page, not_found, page
from staff.directory_admin import (
    NotEditable,
    can_publish,
    check_draft,
    check_record,
    directory_scope,
    do_discard_draft,
    do_mark_verified,
    do_publish,
    do_revert,
    do_save_draft,
)
from staff.sessions import SignedIn

__all__ = ["directory_router"]

log = logging.getLogger("frontdoor.web.staff.directory")
Who = Annotated[SignedIn, Depends(signed_in)]
FormWho = Annotated[SignedIn, Depends(signed_in_form)]
DONE = {"verified": "Marked as still correct.", "published": "Published: matching uses it from now on.",
        "discarded": "Draft discarded.", "reverted": "Reverted: the old version is published again.",
        "revert_drafted": "The old version is now a draft for a network admin to publish."}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def _form(request: Request) -> FormValues:
    form = await request.form()
    return {key: [str(v) for v in form.getlist(key)] for key in form}


def _index(request: Request, who: SignedIn, done: str | None) -> Response:
    try:
        scope = directory_scope(who.account)
    except NotEditable:
        return not_found(request, who, "page")
    runtime = runtime_of(request)
    with runtime.sessions() as session:
        pending = drafts(session, scope)
        names = account_names(session, {d.created_by for d in pending})
        stale = stale_services(session, organization_id=scope, now=_now(),
                               stale_days=runtime.settings.directory_stale_days)
        services = scope_services(session, scope)
        record_names = {(d.kind, d.record_id): (d.record.get("name") or d.record_id) for d in pending}
    return page(request, "staff_directory.html", {
        "drafts": pending, "names": names, "record_names": record_names, "stale": stale, "services": services,
        "stale_days": runtime.settings.directory_stale_days, "scope": scope, "done": DONE.get(done or ""),
        "can_publish": can_publish(who.account)}, who=who)


def _edit_context(session: Session, kind: str, record: dict[str, Any]) -> dict[str, Any]:
    if kind == "service":
        return {"v": service_values(record), "choices": choices(),
                "org_locations": organization_locations(session, str(record["organization_id"]))}
    return {"v": organization_values(record), "choices": choices()}


def _edit_page(request: Request, who: SignedIn, kind: str, record_id: str, *, result: FormResult | None = None,
               status_code: int = 200) -> Response:
    with runtime_of(request).sessions() as session:
        try:
            check_record(session, who.account, kind, record_id)
        except NotEditable:
            return not_found(request, who, "organisation" if kind == "organization" else "service")
        draft = draft_for(session, kind, record_id)
        record = result.record if result else (draft.record if draft else published_record(session, kind, record_id))
        assert record is not None
        context = _edit_context(session, kind, record)
    template = "staff_directory_service.html" if kind == "service" else "staff_directory_org.html"
    errors = result.errors if result else {}
    return page(request, template, {**context, "record_id": record_id, "kind": kind, "errors": errors,
                                    "has_draft": draft is not None and result is None}, status_code, who)


def _save(request: Request, who: SignedIn, kind: str, record_id: str, form: FormValues) -> Response:
    runtime = runtime_of(request)
    with runtime.sessions() as session:
        try:
            row = check_record(session, who.account, kind, record_id)
        except NotEditable:
            return not_found(request, who, "organisation" if kind == "organization" else "service")
        draft = draft_for(session, kind, record_id)
        base = draft.record if draft else published_record(session, kind, record_id)
        assert base is not None
        if isinstance(row, Service):
            locations = [ident for ident, _ in organization_locations(session, row.organization_id)]
            result = service_from_form(form, base, locations)
        else:
            result = organization_from_form(form, base)
    if not result.ok:
        return _edit_page(request, who, kind, record_id, result=result, status_code=400)
    try:
        with transaction(runtime.sessions) as session:
            saved = do_save_draft(session, who.account, kind, result.record, at=_now())
            draft_id = saved.id
    except NotEditable:
        return not_found(request, who, "service")
    log.info("directory draft saved", extra={"kind": kind, "record_id": record_id, "account_id": who.account.id})
    return RedirectResponse(f"/staff/directory/draft/{draft_id}", status_code=303)


def _review(request: Request, who: SignedIn, draft_id: int) -> Response:
    with runtime_of(request).sessions() as session:
        try:
            draft = check_draft(session, who.account, draft_id)
        except NotEditable:
            return not_found(request, who, "draft")
        current = published_record(session, draft.kind, draft.record_id)
        changes = diff_records(draft.kind, current, draft.record)
        names = account_names(session, {draft.created_by})
    return page(request, "staff_directory_review.html", {
        "draft": draft, "changes": changes, "names": names, "can_publish": can_publish(who.account),
        "title": draft.record.get("name") or draft.record_id}, who=who)


def _history(request: Request, who: SignedIn, kind: str, record_id: str) -> Response:
    with runtime_of(request).sessions() as session:
        try:
            check_record(session, who.account, kind, record_id)
        except NotEditable:
            return not_found(request, who, "record")
        rows = versions(session, kind, record_id)
        current = published_record(session, kind, record_id)
        names = account_names(session, {v.published_by for v in rows} | {v.drafted_by for v in rows})
    entries = [{"v": v, "changes": diff_records(kind, rows[i + 1].record if i + 1 < len(rows) else None, v.record)
                if i + 1 < len(rows) else []} for i, v in enumerate(rows)]
    return page(request, "staff_directory_history.html", {
        "entries": entries, "names": names, "kind": kind, "record_id": record_id,
        "title": (current or {}).get("name") or record_id, "can_publish": can_publish(who.account)}, who=who)


def directory_router() -> APIRouter:
    router = APIRouter(prefix="/staff/directory", route_class=StaffRoute)

    @router.get("/", response_class=HTMLResponse)
    def index(request: Request, who: Who, done: str | None = None) -> Response:
        return _index(request, who, done)

    for kind, part in (("organization", "organization"), ("service", "service")):
        _record_routes(router, kind, part)

    @router.post("/service/{service_id}/verify", response_class=HTMLResponse)
    def verify(request: Request, service_id: str, who: FormWho) -> Response:
        return _then_index(request, who, "service", "verified",
                           lambda session: do_mark_verified(session, who.account, service_id, at=_now()))

    @router.get("/draft/{draft_id:int}", response_class=HTMLResponse)
    def review(request: Request, draft_id: int, who: Who) -> Response:
        return _review(request, who, draft_id)

    @router.post("/draft/{draft_id:int}/publish", response_class=HTMLResponse)
    def publish(request: Request, draft_id: int, who: FormWho) -> Response:
        try:
            with transaction(runtime_of(request).sessions) as session:
                version = do_publish(session, who.account, draft_id, at=_now())
                kind, record_id = version.kind, version.record_id
        except NotEditable:
            return not_found(request, who, "draft")
        except VersionError as exc:
            return error_page(request, 409, "Not published", f"This draft no longer fits the directory: {exc}", who)
        log.info("directory record published", extra={"kind": kind, "record_id": record_id,
                                                      "account_id": who.account.id})
        return RedirectResponse(f"/staff/directory/history/{kind}/{record_id}?done=published", status_code=303)

    @router.post("/draft/{draft_id:int}/discard", response_class=HTMLResponse)
    def discard(request: Request, draft_id: int, who: FormWho) -> Response:
        return _then_index(request, who, "draft", "discarded",
                           lambda session: do_discard_draft(session, who.account, draft_id, at=_now()))

    return router


def _then_index(request: Request, who: FormWho, what: str, done: str, verb: Callable[[Session], object]) -> Response:
    """Run one directory verb in its own transaction: back to the index saying ``done``, or 404 when this
    account may not touch ``what``."""
    try:
        with transaction(runtime_of(request).sessions) as session:
            verb(session)
    except NotEditable:
        return not_found(request, who, what)
    return RedirectResponse(f"/staff/directory/?done={done}", status_code=303)


def _record_routes(router: APIRouter, kind: str, part: str) -> None:
    """Edit, save, history and revert of one kind of record (organisation or service)."""

    @router.get(f"/{part}/{{record_id}}", response_class=HTMLResponse, name=f"edit_{kind}")
    def edit(request: Request, record_id: str, who: Who) -> Response:
        return _edit_page(request, who, kind, record_id)

    @router.post(f"/{part}/{{record_id}}", response_class=HTMLResponse, name=f"save_{kind}")
    async def save(request: Request, record_id: str, who: FormWho) -> Response:
        form = await _form(request)
        return await run_in_threadpool(_save, request, who, kind, record_id, form)

    @router.get(f"/history/{part}/{{record_id}}", response_class=HTMLResponse, name=f"history_{kind}")
    def history(request: Request, record_id: str, who: Who) -> Response:
        return _history(request, who, kind, record_id)

    @router.post(f"/history/{part}/{{record_id}}/revert/{{number:int}}", response_class=HTMLResponse,
                 name=f"revert_{kind}")
    def revert(request: Request, record_id: str, number: int, who: FormWho) -> Response:
        try:
            with transaction(runtime_of(request).sessions) as session:
                result = do_revert(session, who.account, kind, record_id, number, at=_now())
                published = isinstance(result, DirectoryVersion)
        except NotEditable:
            return not_found(request, who, "version")
        except VersionError as exc:
            return error_page(request, 409, "Not reverted", f"That version no longer fits the directory: {exc}", who)
        if published:
                return RedirectResponse(f"/staff/directory/history/{part}/{record_id}?done=reverted", status_code=303)
        return RedirectResponse("/staff/directory/?done=revert_drafted", status_code=303)
