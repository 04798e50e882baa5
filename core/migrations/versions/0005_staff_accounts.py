"""staff: accounts, server-side sessions, sign-in attempts, staff audit

Revision ID: 0005_staff_accounts
Revises: 0002
Create Date: 2026-12-04 16:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005_staff_accounts"
down_revision: str | None = "0004_simulated_and_erasure"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_account",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("organization_id", sa.String(length=100), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("totp_secret", sa.String(length=64), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_sign_ins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_account")),
        sa.UniqueConstraint("email", name=op.f("uq_staff_account_email")),
    )
    with op.batch_alter_table("staff_account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_account_organization_id"), ["organization_id"], unique=False)

    op.create_table(
        "staff_session",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["staff_account.id"],
                                name=op.f("fk_staff_session_account_id_staff_account"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_staff_session")),
    )
    with op.batch_alter_table("staff_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_session_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_staff_session_expires_at"), ["expires_at"], unique=False)

    op.create_table(
        "staff_sign_in_attempt",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("address_hash", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_sign_in_attempt")),
    )
    with op.batch_alter_table("staff_sign_in_attempt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_sign_in_attempt_address_hash"), ["address_hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_staff_sign_in_attempt_at"), ["at"], unique=False)

    op.create_table(
        "staff_event",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=True),
        sa.Column("organization_id", sa.String(length=100), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("referral_id", sa.String(length=36), nullable=True),
        sa.Column("detail", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                  nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_staff_event")),
    )
    with op.batch_alter_table("staff_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_event_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_staff_event_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_staff_event_organization_id"), ["organization_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_staff_event_referral_id"), ["referral_id"], unique=False)


def downgrade() -> None:
    op.drop_table("staff_event")
    op.drop_table("staff_sign_in_attempt")
    op.drop_table("staff_session")
    op.drop_table("staff_account")
