"""The one way web handlers reach the app's Runtime (built once at start-up by ``frontdoor.app``)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request

from frontdoor.runtime import Runtime

__all__ = ["app_runtime", "runtime_of"]


def app_runtime(app: Starlette) -> Runtime:
    """The Runtime the app's lifespan built; read at request time, so tests may swap it."""
    runtime: Runtime = app.state.runtime_holder["runtime"]
    return runtime


def runtime_of(request: Request) -> Runtime:
    """The Runtime serving ``request``."""
    return app_runtime(request.app)
