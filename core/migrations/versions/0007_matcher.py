"""matcher: a directory generation counter (the matcher's cache sees another process's publish at once),
and referrals by service and time (a match counts its candidates' referrals this week)

Revision ID: 0007_matcher
Revises: 0006_handoff
Create Date: 2026-12-05 05:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_matcher"
down_revision: str | None = "0006_handoff"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "directory_generation",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("generation", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_generation")),
    )
    op.bulk_insert(table, [{"id": 1, "generation": 0}])
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.create_index("ix_referral_service_created", ["service_id", "created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index("ix_referral_service_created")
    op.drop_table("directory_generation")
