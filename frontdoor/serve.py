"""``frontdoor serve``: one uvicorn process, or several web workers on PostgreSQL.

Why only PostgreSQL: SQLite serialises writers in one file, so extra processes
add lock waits, not throughput; there the app stays one process. Several
workers each build their own runtime from the environment (uvicorn's factory
mode), so host and port given on the command line travel through it too.
"""

from __future__ import annotations

import os
import sys

import uvicorn

from core.migrate import upgrade
from core.settings import Settings

__all__ = ["serve", "web_workers_problem"]


def web_workers_problem(settings: Settings) -> str | None:
    """Why ``FRONTDOOR_WEB_WORKERS`` cannot be used with these settings (None: it can)."""
    workers = settings.web_workers
    if workers < 1:
        return f"FRONTDOOR_WEB_WORKERS must be at least 1: {workers}"
    if workers == 1:
        return None
    if not settings.database_url.startswith("postgresql"):
        return (f"FRONTDOOR_WEB_WORKERS={workers} needs PostgreSQL (FRONTDOOR_DATABASE_URL=postgresql+psycopg://...):"
                " SQLite serves from one process. Unset it or set it to 1.")
    if settings.nlu_backend == "rasa" and settings.nlu_manage_server:
        return (f"FRONTDOOR_WEB_WORKERS={workers} with the Rasa backend: the workers share one NLU server. Start it "
                "with `frontdoor nlu serve` and set FRONTDOOR_NLU_MANAGE_SERVER=0.")
    return None


def serve(settings: Settings) -> int:
    problem = web_workers_problem(settings)
    if problem is not None:
        sys.stderr.write(f"frontdoor serve: {problem}\n")
        return 2
    if settings.web_workers == 1:
        from frontdoor.app import create_app

        uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_config=None)
        return 0
    upgrade(settings.database_url)  # once here, so the workers never race to migrate
    os.environ["FRONTDOOR_HOST"], os.environ["FRONTDOOR_PORT"] = settings.host, str(settings.port)
    # uvicorn kills a worker that misses a 5 s health ping; one warming up its language detector on a busy
    # machine can, and then every replacement is killed the same way: allow a minute.
    uvicorn.run("frontdoor.app:create_app", factory=True, host=settings.host, port=settings.port,
                workers=settings.web_workers, log_config=None, timeout_worker_healthcheck=60)
    return 0
