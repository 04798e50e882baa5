"""Migration 0003 on a database written before it: dangling ids get inactive placeholders, then the keys hold."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from core.db import make_engine
from core.migrate import alembic_config, upgrade
from tests.conftest import _pg_available, create_pg_database, drop_pg_database

OLD_ROWS = [
    "INSERT INTO organization (id, name, description, is_demo) VALUES ('org-kept', 'Kept', '', false)",
    "INSERT INTO service (id, organization_id, name, description, status, accepts_referrals, contact_methods,"
    " translations) VALUES ('svc-kept', 'org-kept', 'Kept', '', 'active', true, '[]', '{}')",
    "INSERT INTO consent (id, client_channel, client_address, organization_id, granted, wording_version,"
    " wording_text, language, channel, created_at) VALUES ('c1', 'sms', 'x', 'org-gone', true, 'v1', 't', 'en',"
    " 'sms', '2026-01-01 00:00:00+00')",
    "INSERT INTO referral (id, reference, client_channel, client_address, language, categories, summary, urgent,"
    " crisis, communication_needs, routing, organization_id, service_id, consent_id, status, client_opted_out,"
    " created_at, updated_at) VALUES ('r1', 'FD-1', 'sms', 'x', 'en', '[]', '', false, false, '{}', '{}',"
    " 'org-gone', 'svc-gone', 'c1', 'new', false, '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00')",
    "INSERT INTO audit_event (referral_id, at, actor, action, detail) VALUES"
    " ('r1', '2026-01-01 00:00:00+00', 'bot', 'created', '{}')",
    "INSERT INTO signpost (category, service_id, reason, language, created_at) VALUES"
    " ('debt', 'svc-signposted', 'wider_network', 'en', '2026-01-01 00:00:00+00')",
]


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    if not _pg_available():
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    pg = create_pg_database()
    yield pg
    drop_pg_database(pg)


def test_upgrade_keeps_old_referrals_resolving(url: str) -> None:
    command.upgrade(alembic_config(url), "0002")
    engine = make_engine(url)
    with engine.begin() as connection:
        for statement in OLD_ROWS:
            connection.execute(text(statement))
    engine.dispose()
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        orgs = dict(connection.execute(text("SELECT id, status FROM organization")).all())
        services = {row[0]: row[1:] for row in connection.execute(
            text("SELECT id, organization_id, status FROM service"))}
        assert connection.execute(text("SELECT count(*) FROM audit_event")).scalar() == 1  # not cascaded away
    assert orgs == {"org-kept": "active", "org-gone": "inactive", "removed-before-0003": "inactive"}
    assert services == {"svc-kept": ("org-kept", "active"), "svc-gone": ("org-gone", "inactive"),
                        "svc-signposted": ("removed-before-0003", "inactive")}
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text("DELETE FROM service WHERE id = 'svc-gone'"))
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text("UPDATE referral SET service_id = 'svc-nowhere'"))
    engine.dispose()
    command.downgrade(alembic_config(url), "0002")  # and back down cleanly
