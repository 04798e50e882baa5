"""Alembic environment: one schema for SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import context

from core.db import Base, make_engine

config = context.config
# The ground floor cannot import the domains' tables; whoever autogenerates a revision passes the
# full metadata in (``frontdoor.models.metadata()``, as ``config.attributes["target_metadata"]``); upgrades need none.
target_metadata = config.attributes.get("target_metadata", Base.metadata)


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url is not set"
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
