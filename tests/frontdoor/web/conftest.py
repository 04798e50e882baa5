"""The app with the keyword classifier and no in-app outbox worker, for the staff page tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from core.settings import Settings
from frontdoor.app import create_app
from frontdoor.runtime import Runtime
from tests.support import keyword_runtime


@pytest.fixture
def runtime(db_url: str, clock) -> Iterator[Runtime]:
    with keyword_runtime(Settings(database_url=db_url, outbox_in_app=0), clock) as built:
        yield built


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime.settings, runtime)) as test_client:
        yield test_client
