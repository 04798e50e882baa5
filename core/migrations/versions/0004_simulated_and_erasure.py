"""simulated conversations and referrals; outbox rows that forget their address once finished

Revision ID: 0004_simulated_and_erasure
Revises: 0002
Create Date: 2026-12-04 16:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_simulated_and_erasure"
down_revision: str | None = "0003_directory_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("simulated", sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.add_column(sa.Column("simulated", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index(batch_op.f("ix_referral_simulated"), ["simulated"], unique=False)
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("forget_address", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_column("forget_address")
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_simulated"))
        batch_op.drop_column("simulated")
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.drop_column("simulated")
