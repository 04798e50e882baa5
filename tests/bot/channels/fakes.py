"""Loopback fakes of the Telegram Bot API and the Twilio REST API (real HTTP on 127.0.0.1).

The real SDKs (python-telegram-bot's ``Bot``, twilio's ``Client``) talk to these,
so tests exercise the same request building and error parsing as production.
Faults are scripted per method: ``fail_next("sendMessage", "429", retry_after=3)``.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from collections import defaultdict, deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

__all__ = ["FakeTelegram", "FakeTwilio"]


@dataclass
class Fault:
    kind: str  # "429" | "500" | "403" | "400" | "21610" | "hang"
    retry_after: int = 1


class _FakeServer:
    """A threaded HTTP server; subclasses answer ``handle(method, path, body, headers)``."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.faults: dict[str, deque[Fault]] = defaultdict(deque)
        self.release = threading.Event()  # lets "hang" faults finish when the test is over
        self.hung = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                status, payload = fake.handle(self.path, body, dict(self.headers))
                if status == 0:  # hang: never answer, as a dead network would
                    with fake.lock:
                        fake.hung += 1
                    fake.release.wait(60)
                    self.close_connection = True
                    return
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST  # noqa: N815

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def fail_next(self, method: str, kind: str, *, times: int = 1, retry_after: int = 1) -> None:
        with self.lock:
            for _ in range(times):
                self.faults[method].append(Fault(kind, retry_after))

    def _fault(self, method: str) -> Fault | None:
        with self.lock:
            queue = self.faults.get(method)
            return queue.popleft() if queue else None

    def handle(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
        raise NotImplementedError

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def _form_or_json(body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    content_type = {k.lower(): v for k, v in headers.items()}.get("content-type", "")
    if not body:
        return {}
    if "json" in content_type:
        parsed: dict[str, Any] = json.loads(body)
        return parsed
    return {k: v[0] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}


class FakeTelegram(_FakeServer):
    """``/bot<token>/<method>``: getMe, sendMessage, answerCallbackQuery, setWebhook, deleteWebhook, getUpdates."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.sent: list[dict[str, Any]] = []
        self.answered: list[str] = []
        self.webhook: dict[str, Any] = {}
        self.updates: list[dict[str, Any]] = []
        self._message_id = 0
        super().__init__()

    def handle(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
        prefix = f"/bot{self.token}/"
        if not path.startswith(prefix):
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        method = path[len(prefix):].split("?")[0]
        params = _form_or_json(body, headers)
        fault = self._fault(method)
        if fault is not None:
            return _telegram_fault(fault)
        if method == "getMe":
            return 200, {"ok": True, "result": {"id": 4242, "is_bot": True, "first_name": "Frontdoor",
                                                "username": "FrontdoorTestBot"}}
        if method == "sendMessage":
            markup = params.get("reply_markup")
            record = {"chat_id": int(params["chat_id"]), "text": params["text"],
                      "reply_markup": json.loads(markup) if isinstance(markup, str) else markup}
            with self.lock:
                self.sent.append(record)
                self._message_id += 1
                message_id = self._message_id
            return 200, {"ok": True, "result": {
                "message_id": message_id, "date": int(time.time()), "text": params["text"],
                "chat": {"id": int(params["chat_id"]), "type": "private"}}}
        if method == "answerCallbackQuery":
            with self.lock:
                self.answered.append(str(params["callback_query_id"]))
            return 200, {"ok": True, "result": True}
        if method == "setWebhook":
            self.webhook = params
            return 200, {"ok": True, "result": True}
        if method == "deleteWebhook":
            self.webhook = {}
            return 200, {"ok": True, "result": True}
        if method == "getUpdates":
            with self.lock:
                offset = int(params.get("offset") or 0)
                updates = [u for u in self.updates if u["update_id"] >= offset]
            return 200, {"ok": True, "result": updates}
        return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}


def _telegram_fault(fault: Fault) -> tuple[int, Any]:
    if fault.kind == "hang":
        return 0, None
    if fault.kind == "429":
        return 429, {"ok": False, "error_code": 429, "description": f"Too Many Requests: retry after "
                     f"{fault.retry_after}", "parameters": {"retry_after": fault.retry_after}}
    if fault.kind == "403":
        return 403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
    if fault.kind == "400":
        return 400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
    return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}


class FakeTwilio(_FakeServer):
    """``POST /2010-04-01/Accounts/<sid>/Messages.json`` with HTTP basic auth, as the SDK sends it."""

    def __init__(self, account_sid: str, auth_token: str) -> None:
        self.account_sid, self.auth_token = account_sid, auth_token
        self.messages: list[dict[str, str]] = []
        super().__init__()

    def handle(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
        expected = f"/2010-04-01/Accounts/{self.account_sid}/Messages.json"
        if urlparse(path).path != expected:
            return 404, {"code": 20404, "message": "The requested resource was not found", "status": 404}
        auth = {k.lower(): v for k, v in headers.items()}.get("authorization", "")
        wanted = "Basic " + base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if auth != wanted:
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}
        fault = self._fault("Messages")
        if fault is not None:
            if fault.kind == "hang":
                return 0, None
            if fault.kind == "21610":
                return 400, {"code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400}
            if fault.kind == "429":
                return 429, {"code": 20429, "message": "Too Many Requests", "status": 429}
            if fault.kind == "400":
                return 400, {"code": 21211, "message": "Invalid 'To' Phone Number", "status": 400}
            return 500, {"code": 20500, "message": "Internal Server Error", "status": 500}
        form = _form_or_json(body, headers)
        sid = "SM" + uuid.uuid4().hex
        with self.lock:
            self.messages.append({**form, "sid": sid})
        return 201, {"sid": sid, "status": "queued", "to": form.get("To"), "from": form.get("From"),
                     "body": form.get("Body"), "account_sid": self.account_sid, "num_segments": "1",
                     "direction": "outbound-api", "api_version": "2010-04-01"}
