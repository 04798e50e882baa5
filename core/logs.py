"""Structured logs: one JSON object per line, with ids but never message text or personal data."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any, TextIO

__all__ = ["NOISY_LOGGERS", "JsonFormatter", "configure_logging"]

# Libraries whose INFO lines are chatter: kept at WARNING or above whatever the level.
NOISY_LOGGERS = ("httpx", "httpcore", "alembic", "sqlalchemy", "apscheduler")
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                payload[key] = value
        if record.exc_info:
            # Exception type and where, not its message: messages can quote client text.
            exc_type = record.exc_info[0]
            payload["exception"] = exc_type.__name__ if exc_type else None
            tb = record.exc_info[2]
            while tb is not None and tb.tb_next is not None:
                tb = tb.tb_next
            if tb is not None:
                payload["where"] = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}"
        return json.dumps(payload, default=str, ensure_ascii=False)


def configure_logging(level: str = "INFO", stream: TextIO | None = None) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in NOISY_LOGGERS:
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
