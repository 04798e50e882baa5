"""directory keys: referrals, consents and signposts point at directory rows; soft-delete for organisations

Revision ID: 0003_directory_keys
Revises: 0002
Create Date: 2026-12-04 16:45:00

Before the foreign keys are added, an id that no longer exists in the directory (the
old import deleted everything it replaced) gets an inactive placeholder row, so
existing referrals keep resolving and the constraint can be created on any database.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_directory_keys"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PLACEHOLDER_ORG = "removed-before-0003"
# (table, column, referred table)
KEYS = (
    ("referral", "organization_id", "organization"),
    ("referral", "service_id", "service"),
    ("consent", "organization_id", "organization"),
    ("signpost", "service_id", "service"),
)


def _restore_missing_rows() -> None:
    bind = op.get_bind()
    org = sa.table("organization", sa.column("id"), sa.column("name"), sa.column("description"),
                   sa.column("is_demo"), sa.column("status"))
    service = sa.table("service", sa.column("id"), sa.column("organization_id"), sa.column("name"),
                       sa.column("description"), sa.column("status"), sa.column("accepts_referrals"),
                       sa.column("contact_methods", sa.JSON()), sa.column("translations", sa.JSON()))
    have_orgs = set(bind.scalars(sa.text("SELECT id FROM organization")))
    have_services = set(bind.scalars(sa.text("SELECT id FROM service")))
    wanted_orgs = set(bind.scalars(sa.text(
        "SELECT organization_id FROM referral UNION SELECT organization_id FROM consent")))
    rows = bind.execute(sa.text("SELECT service_id, organization_id FROM referral")).all()
    service_owner: dict[str, str] = {sid: owner for sid, owner in rows}
    for (sid,) in bind.execute(sa.text("SELECT DISTINCT service_id FROM signpost")).all():
        service_owner.setdefault(sid, PLACEHOLDER_ORG)
    missing_services = {sid: owner for sid, owner in service_owner.items() if sid not in have_services}
    wanted_orgs |= set(missing_services.values())
    missing_orgs = sorted(wanted_orgs - have_orgs)
    if missing_orgs:
        op.bulk_insert(org, [{"id": i, "name": "Removed from the directory", "description": "", "is_demo": False,
                              "status": "inactive"} for i in missing_orgs])
    if missing_services:
        op.bulk_insert(service, [{"id": sid, "organization_id": owner, "name": "Removed from the directory",
                                  "description": "", "status": "inactive", "accepts_referrals": False,
                                  "contact_methods": [], "translations": {}}
                                 for sid, owner in sorted(missing_services.items())])


def _sqlite_keys_off() -> None:
    """SQLite adds a foreign key by rebuilding the table; with keys enforced, dropping the old copy would fail or
    cascade (a referral's audit rows). sqlite3 opens no transaction before DDL, so the pragma still applies here."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA foreign_keys=OFF")


def _sqlite_keys_hold() -> None:
    if op.get_bind().dialect.name == "sqlite":
        broken = op.get_bind().execute(sa.text("PRAGMA foreign_key_check")).all()
        if broken:
            raise RuntimeError(f"foreign keys broken after 0003: {broken[:5]}")


def upgrade() -> None:
    _sqlite_keys_off()
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=20), server_default="active", nullable=False))
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.add_column(sa.Column("location_type", sa.String(length=20), server_default="physical",
                                      nullable=False))
    _restore_missing_rows()
    for table, column, referred in KEYS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_foreign_key(batch_op.f(f"fk_{table}_{column}_{referred}"), referred, [column], ["id"],
                                        ondelete="RESTRICT")
    _sqlite_keys_hold()


def downgrade() -> None:
    _sqlite_keys_off()
    for table, column, referred in reversed(KEYS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"fk_{table}_{column}_{referred}"), type_="foreignkey")
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.drop_column("location_type")
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_column("status")
