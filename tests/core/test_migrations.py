"""Migrations and models agree, on SQLite and PostgreSQL, and upgrading twice is harmless."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from core.db import make_engine
from core.migrate import upgrade
from frontdoor.models import Base


def test_migrated_schema_matches_the_models(db_url: str) -> None:
    upgrade(db_url)  # already at head: a no-op that must not fail
    engine = make_engine(db_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diff == []
