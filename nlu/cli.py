"""What ``frontdoor nlu ...`` runs: train, serve, classify (JSON lines) and eval.

The argument parsing lives in :mod:`frontdoor.cli`; these functions return exit codes.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

import anyio

from core.settings import load_settings
from nlu.rasa_client import RasaClassifier
from nlu.rasa_venv import RasaSetupError, ensure_venv
from nlu.server import Supervisor, ensure_model, server_status

__all__ = ["classify", "ensure_server", "evaluate", "serve", "train"]

_START_TIMEOUT = 300.0


def _err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ensure_server(url: str, *, quiet: bool = False) -> Supervisor | None:
    """Make sure a ready Rasa answers at ``url``: None if one already does, else the one started here.

    Creates the venv and trains the model first when needed. Raises RasaSetupError when it cannot.
    """
    if server_status(url) is not None:
        return None
    ensure_venv(quiet=quiet)
    model = ensure_model(quiet=quiet)
    if not quiet:
        _err(f"Starting Rasa on {url} (about 30 s) ...")
    supervisor = Supervisor(url, model).start()
    if not supervisor.wait_ready(_START_TIMEOUT):
        error = supervisor.last_error or "timed out"
        supervisor.stop()
        raise RasaSetupError(f"Rasa did not start on {url}: {error}")
    return supervisor


def train(*, force: bool = False) -> int:
    try:
        ensure_venv()
        path = ensure_model(force=force)
    except RasaSetupError as exc:
        _err(f"error: {exc}")
        return 1
    print(path)
    return 0


def serve(*, port: int | None = None) -> int:
    url = load_settings().nlu_url if port is None else f"http://127.0.0.1:{port}"
    if server_status(url) is not None:
        _err(f"A Rasa server is already answering on {url}.")
        return 1
    try:
        ensure_venv()
        model = ensure_model()
    except RasaSetupError as exc:
        _err(f"error: {exc}")
        return 1
    supervisor = Supervisor(url, model).start()
    stopped = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stopped.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        if supervisor.wait_ready(_START_TIMEOUT):
            _err(f"Rasa NLU ready on {url} with {model.name} (log: {supervisor.server.log_path}). Ctrl-C stops it.")
        elif not stopped.is_set():
            _err(f"Rasa is not ready yet ({supervisor.last_error or 'still starting'}); still trying.")
        stopped.wait()
    finally:
        supervisor.stop()
    return 0


def _parse_line(line: str) -> tuple[Any, str | None, str | None]:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, None, f"invalid JSON: {exc.msg} at column {exc.colno}"
    if not isinstance(data, dict):
        return None, None, 'each line must be a JSON object like {"id": 1, "text": "..."}'
    if not isinstance(data.get("text"), str):
        return data.get("id"), None, '"text" must be a string'
    return data.get("id"), data["text"], None


def classify(stdin: TextIO, stdout: TextIO, *, url: str | None = None, today: str | None = None) -> int:
    """One JSON line out per JSON line in, through the Rasa server (started here if none is running)."""
    settings = load_settings()
    url = url or settings.nlu_url
    try:
        day = dt.date.fromisoformat(today) if today else dt.date.today()
    except ValueError:
        _err("error: --today must be a date like 2026-11-24")
        return 2
    try:
        supervisor = ensure_server(url)
    except RasaSetupError as exc:
        _err(f"error: {exc}")
        return 1
    client = RasaClassifier(url, timeout=max(settings.nlu_timeout_seconds, 10.0))

    async def run() -> int:
        failures = 0
        for number, line in enumerate(stdin, start=1):
            if not line.strip():
                continue
            ident, text, error = _parse_line(line)
            if error is not None or text is None:
                failures += 1
                _emit(stdout, {"id": ident, "line": number, "error": error})
                continue
            result = await client.classify(text, language=None, today=day)
            if result.source == "fallback":
                failures += 1
            _emit(stdout, {"id": ident, "language": result.language, "categories": list(result.categories),
                           "crisis": result.crisis, "deadline": result.deadline,
                           "dates": [d.value.isoformat() for d in result.dates],
                           "confidence": round(result.confidence, 4)})
        await client.aclose()
        return 1 if failures else 0

    try:
        return anyio.run(run)
    finally:
        if supervisor is not None:
            supervisor.stop()


def _emit(stream: TextIO, payload: dict[str, Any]) -> None:
    stream.write(json.dumps(payload, ensure_ascii=False) + "\n")
    stream.flush()


def evaluate(*, out: str | None = None, sweep: bool = False) -> int:
    from nlu.evaluate import run_evaluation

    return run_evaluation(out=Path(out) if out else None, sweep=sweep)
