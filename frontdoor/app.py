"""The web app: health check, web simulator; channel webhooks, staff pages and the HSDS API mount here too."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import text

from core.settings import Settings, load_settings
from frontdoor.metrics import CONTENT_TYPE
from frontdoor.runtime import Runtime, build_runtime
from frontdoor.web.hsds import hsds_router
from frontdoor.web.middleware import BodyLimit, SecurityHeaders
from frontdoor.web.simulator import simulator_router
from frontdoor.web.staff.auth import StaffDenied
from frontdoor.web.staff.pages import staff_denied_handler
from frontdoor.web.staff.routes import staff_router
from frontdoor.web.webhooks import channel_router

__all__ = ["create_app"]

HERE = Path(__file__).resolve().parent


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    settings = settings or load_settings()
    state: dict[str, Runtime] = {}

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if runtime is not None:
            state["runtime"] = runtime
        else:
            state["runtime"] = await anyio.to_thread.run_sync(lambda: build_runtime(settings))
        try:
            yield
        finally:
            if runtime is None:
                state["runtime"].close()

    docs = bool(settings.api_docs)  # off by default: the OpenAPI document lists every route, staff ones included
    app = FastAPI(title="Frontdoor", lifespan=lifespan, openapi_url="/openapi.json" if docs else None,
                  docs_url="/docs" if docs else None, redoc_url=None)
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(SecurityHeaders)  # outermost of ours, so a 413 carries the headers too
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals["simulator_enabled"] = settings.simulator_enabled
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.get("/healthz")
    async def healthz() -> Response:
        def check() -> bool:
            try:
                with state["runtime"].engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
                return True
            except Exception:
                return False

        ok = await anyio.to_thread.run_sync(check)
        nlu = await anyio.to_thread.run_sync(state["runtime"].nlu_status)
        return JSONResponse({
            "status": "ok" if ok else "error", "database": "ok" if ok else "unreachable",
            "nlu": {"backend": nlu.backend, "model": nlu.model, "model_ready": nlu.model_ready,
                    "breaker": nlu.breaker, "answering": nlu.answering, "detail": nlu.detail},
        }, status_code=200 if ok else 503)

    @app.get("/metrics")
    async def metrics() -> Response:
        runtime = state["runtime"]
        body = await anyio.to_thread.run_sync(lambda: runtime.metrics.render(runtime.sessions, runtime.nlu_status()))
        return Response(body, media_type=CONTENT_TYPE)

    @app.get("/", response_class=HTMLResponse)
    async def index(request: Request) -> Response:
        return templates.TemplateResponse(request, "index.html", {})

    app.state.runtime_holder = state

    app.include_router(simulator_router(settings))
    app.include_router(channel_router())
    app.include_router(hsds_router(settings))
    app.include_router(staff_router())
    app.add_exception_handler(StaffDenied, staff_denied_handler)
    return app

