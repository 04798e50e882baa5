"""The web simulator (``/simulator``): write as a client would, without a phone.

Why it is guarded: it runs real turns against the real database, and a probe
showed a cross-site POST sequence putting a referral into a partner's queue.
So it is on only where ``Settings.simulator_enabled`` says (local use by
default), its conversations and referrals are marked simulated (no partner
queue, count, capacity or export includes them, and no notice is sent), every
POST carries a CSRF token, each address is rate limited, and a simulated
client id is unguessable and bound to the browser that was given it (a
signed cookie), so nobody can read or write another person's transcript.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from collections import OrderedDict, deque
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import anyio
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from bot.ratelimit import KeyedBuckets
from bot.replies import Reply
from core.languages import is_rtl
from core.settings import Settings
from frontdoor.runtime import Runtime
from frontdoor.web.context import runtime_of

__all__ = ["simulator_router"]

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
COOKIE = "fd_sim"
MAX_SIM_CLIENTS = 1000
MAX_SIM_LINES = 200
MAX_FORM_TEXT = 10_000
BURST = 10.0


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


class Keys:
    """Signs client ids and CSRF tokens for one browser (the ``fd_sim`` cookie)."""

    def __init__(self, settings: Settings) -> None:
        # With no configured secret a per-process key is fine: a restart only expires open simulator pages.
        secret = settings.session_secret.get_secret_value()
        self._key = secret.encode() if secret else secrets.token_bytes(32)

    def _sign(self, *parts: str) -> str:
        return hmac.new(self._key, "|".join(parts).encode(), hashlib.sha256).hexdigest()

    def new_client(self, browser: str) -> str:
        nonce = secrets.token_hex(12)
        return f"web-{nonce}-{self._sign('client', browser, nonce)[:16]}"

    def owns(self, browser: str | None, client: str | None) -> bool:
        if not browser or not client or len(client) > 64 or not client.isascii():
            return False
        prefix, _, rest = client.partition("-")
        nonce, _, signature = rest.partition("-")
        return prefix == "web" and hmac.compare_digest(signature, self._sign("client", browser, nonce)[:16])

    def csrf(self, browser: str, client: str) -> str:
        return self._sign("csrf", browser, client)[:32]

    def csrf_ok(self, browser: str, client: str, given: str) -> bool:
        return hmac.compare_digest(self.csrf(browser, client), given)


def _browser(request: Request) -> str | None:
    value = request.cookies.get(COOKIE)
    return value if value and len(value) <= 64 and value.isascii() and value.isprintable() else None


def simulator_router(settings: Settings) -> APIRouter:
    router = APIRouter()
    if not settings.simulator_enabled:
        return router  # off: /simulator is simply not there (404)
    templates = Jinja2Templates(directory=str(TEMPLATES))
    templates.env.globals["simulator_enabled"] = True
    transcripts = Transcripts()
    keys = Keys(settings)
    limits = KeyedBuckets(settings.simulator_messages_per_minute / 60.0, BURST)

    def new_client(browser: str | None, channel: str) -> Response:
        browser = browser or secrets.token_urlsafe(18)
        response = RedirectResponse(f"/simulator?client={keys.new_client(browser)}&channel={channel}",
                                    status_code=303)
        response.set_cookie(COOKIE, browser, path="/simulator", httponly=True, samesite="strict")
        return response

    async def page(request: Request, browser: str, client: str, channel: str, error: str | None = None,
                   status_code: int = 200) -> Response:
        runtime: Runtime = runtime_of(request)
        nlu = await anyio.to_thread.run_sync(runtime.nlu_status)  # may ask Rasa: off the event loop
        return templates.TemplateResponse(request, "simulator.html", {
            "client": client, "channel": channel, "lines": transcripts.get(client), "error": error,
            "csrf": keys.csrf(browser, client), "nlu": nlu,  # is the model answering yet?
        }, status_code=status_code)

    @router.get("/simulator", response_class=HTMLResponse)
    async def simulator(request: Request, client: str | None = None, channel: str = "sms") -> Response:
        channel = channel if channel in ("sms", "telegram") else "sms"
        browser = _browser(request)
        if browser is None or client is None or not keys.owns(browser, client):
            return new_client(browser, channel)
        return await page(request, browser, client, channel)

    @router.post("/simulator", response_class=HTMLResponse)
    async def simulator_send(request: Request, client: Annotated[str, Form()] = "",
                             text_: Annotated[str, Form(alias="text")] = "",
                             channel: Annotated[str, Form()] = "sms",
                             csrf: Annotated[str, Form()] = "") -> Response:
        channel = channel if channel in ("sms", "telegram") else "sms"
        browser = _browser(request)
        if browser is None or not keys.owns(browser, client) or not keys.csrf_ok(browser, client, csrf):
            return PlainTextResponse("This simulator page has expired: open /simulator again.", status_code=403)
        wait = limits.try_take(request.client.host if request.client else "unknown")
        if wait > 0:
            limited = await page(request, browser, client, channel, "Too many messages: wait a moment and send again.",
                           status_code=429)
            limited.headers["Retry-After"] = str(math.ceil(wait))
            return limited
        if len(text_) > MAX_FORM_TEXT:
            return await page(request, browser, client, channel,
                        f"That message is too long ({len(text_)} characters; the limit is {MAX_FORM_TEXT}).",
                        status_code=413)
        runtime: Runtime = runtime_of(request)
        handled = await runtime.conversations.handle(channel, f"sim-{client}", text_, simulated=True)
        transcripts.add(client, Line("client", text_))
        for reply in handled.replies:
            transcripts.add(client, _line(reply, handled.language))
        return RedirectResponse(f"/simulator?client={client}&channel={channel}#end", status_code=303)

    return router


def _line(reply: Reply, language: str) -> Line:
    return Line("bot", reply.text, tuple((o.key, o.label) for o in reply.options), language)
