"""directory admin: drafts, published versions, and when each service was last verified

Revision ID: 0006_diradmin
Revises: 0005_staff_accounts
Create Date: 2026-12-04 19:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006_diradmin"
down_revision: str | None = "0006_scale"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "directory_draft",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.String(length=100), nullable=False),
        sa.Column("organization_id", sa.String(length=100), nullable=False),
        sa.Column("record", _JSON, nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_draft")),
        sa.UniqueConstraint("kind", "record_id", name=op.f("uq_directory_draft_kind")),
    )
    with op.batch_alter_table("directory_draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_directory_draft_organization_id"), ["organization_id"], unique=False)
    op.create_table(
        "directory_version",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.String(length=100), nullable=False),
        sa.Column("organization_id", sa.String(length=100), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("record", _JSON, nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("reverted_to", sa.Integer(), nullable=True),
        sa.Column("drafted_by", sa.String(length=36), nullable=True),
        sa.Column("published_by", sa.String(length=36), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_version")),
        sa.UniqueConstraint("kind", "record_id", "number", name=op.f("uq_directory_version_kind")),
    )
    with op.batch_alter_table("directory_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_directory_version_organization_id"), ["organization_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_directory_version_record_id"), ["record_id"], unique=False)
    # A plain ADD COLUMN (no batch copy): SQLite cannot drop and recreate a table that referrals point at.
    op.add_column("service", sa.Column("last_verified_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("service", sa.Column("last_verified_by", sa.String(length=36), nullable=True))


def downgrade() -> None:
    op.drop_column("service", "last_verified_by")  # SQLite 3.35+ drops a column in place
    op.drop_column("service", "last_verified_at")
    with op.batch_alter_table("directory_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_directory_version_record_id"))
        batch_op.drop_index(batch_op.f("ix_directory_version_organization_id"))
    op.drop_table("directory_version")
    with op.batch_alter_table("directory_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_directory_draft_organization_id"))
    op.drop_table("directory_draft")
