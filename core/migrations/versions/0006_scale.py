"""inbound messages are stored before their turn runs, so a turn that fails is retried from the row

Revision ID: 0006_scale
Revises: 0005_staff_accounts
Create Date: 2026-12-04 19:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006_scale"
down_revision: str | None = "0005_staff_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    json_type = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
    with op.batch_alter_table("inbound_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("extra", json_type, nullable=True))
        batch_op.add_column(sa.Column("status", sa.String(length=20), server_default="done", nullable=False))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("error_code", sa.String(length=40), nullable=True))
        batch_op.create_index("ix_inbound_message_due", ["status", "next_attempt_at"], unique=False)
        batch_op.create_index("ix_inbound_message_sender", ["channel", "address", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("inbound_message", schema=None) as batch_op:
        batch_op.drop_index("ix_inbound_message_sender")
        batch_op.drop_index("ix_inbound_message_due")
        for column in ("error_code", "lease_until", "next_attempt_at", "attempts", "status", "extra", "text",
                       "address"):
            batch_op.drop_column(column)
