"""The web app: health check, web simulator; channel webhooks and staff pages mount here too."""

from __future__ import annotations

import secrets
from collections import OrderedDict, deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import anyio
from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import text

from bot.replies import Reply
from core.languages import is_rtl
from core.settings import Settings, load_settings
from frontdoor.runtime import Runtime, build_runtime
from frontdoor.web.staff.auth import StaffDenied
from frontdoor.web.staff.pages import staff_denied_handler
from frontdoor.web.staff.routes import staff_router
from frontdoor.web.webhooks import channel_router

__all__ = ["create_app"]

HERE = Path(__file__).resolve().parent
MAX_SIM_CLIENTS = 1000
MAX_SIM_LINES = 200
MAX_FORM_TEXT = 10_000


@dataclass(frozen=True)
class Line:
    who: str  # "client" | "bot"
    text: str
    options: tuple[tuple[str, str], ...] = ()
    language: str | None = None  # the bot's language, so the page can set lang and dir (Arabic, Urdu: rtl)

    @property
    def direction(self) -> str:
        if self.language is None:
            return "auto"
        return "rtl" if is_rtl(self.language) else "ltr"


class Transcripts:
    """What the simulator shows: recent lines per simulated client, in memory only."""

    def __init__(self) -> None:
        self._lines: OrderedDict[str, deque[Line]] = OrderedDict()

    def get(self, client: str) -> list[Line]:
        return list(self._lines.get(client, ()))

    def add(self, client: str, line: Line) -> None:
        lines = self._lines.setdefault(client, deque(maxlen=MAX_SIM_LINES))
        lines.append(line)
        self._lines.move_to_end(client)
        while len(self._lines) > MAX_SIM_CLIENTS:
            self._lines.popitem(last=False)


def _valid_client(client: str | None) -> bool:
    return bool(client) and len(client or "") <= 64 and all(c.isalnum() or c == "-" for c in client or "")


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

    app = FastAPI(title="Frontdoor", lifespan=lifespan, docs_url=None, redoc_url=None)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    transcripts = Transcripts()
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
        return JSONResponse({"status": "ok" if ok else "error", "database": "ok" if ok else "unreachable"},
                            status_code=200 if ok else 503)

    @app.get("/", response_class=HTMLResponse)
    async def index(request: Request) -> Response:
        return templates.TemplateResponse(request, "index.html", {})

    @app.get("/simulator", response_class=HTMLResponse)
    async def simulator(request: Request, client: str | None = None, channel: str = "sms") -> Response:
        if not _valid_client(client):
            return RedirectResponse(f"/simulator?client=web-{secrets.token_hex(4)}", status_code=303)
        assert client is not None
        channel = channel if channel in ("sms", "telegram") else "sms"
        return templates.TemplateResponse(request, "simulator.html", {
            "client": client, "channel": channel, "lines": transcripts.get(client), "error": None,
        })

    @app.post("/simulator", response_class=HTMLResponse)
    async def simulator_send(request: Request, client: Annotated[str, Form()],
                             text_: Annotated[str, Form(alias="text")] = "",
                             channel: Annotated[str, Form()] = "sms") -> Response:
        channel = channel if channel in ("sms", "telegram") else "sms"
        if not _valid_client(client):
            return RedirectResponse("/simulator", status_code=303)
        if len(text_) > MAX_FORM_TEXT:
            return templates.TemplateResponse(request, "simulator.html", {
                "client": client, "channel": channel, "lines": transcripts.get(client),
                "error": f"That message is too long ({len(text_)} characters; the limit is {MAX_FORM_TEXT}).",
            }, status_code=413)
        handled = await state["runtime"].conversations.handle(channel, f"sim-{client}", text_)
        transcripts.add(client, Line("client", text_))
        for reply in handled.replies:
            transcripts.add(client, _line(reply, handled.language))
        return RedirectResponse(f"/simulator?client={client}&channel={channel}#end", status_code=303)

    app.state.runtime_holder = state

    app.include_router(channel_router())
    app.include_router(staff_router())
    app.add_exception_handler(StaffDenied, staff_denied_handler)
    return app


def _line(reply: Reply, language: str) -> Line:
    return Line("bot", reply.text, tuple((o.key, o.label) for o in reply.options), language)
