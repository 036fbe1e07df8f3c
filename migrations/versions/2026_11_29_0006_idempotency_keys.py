"""Idempotency-Key records: one stored answer per (authority, user, key), a user's own under RLS.

Revision ID: 0006_idempotency_keys
Revises: 0005_hidden_dangers
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_idempotency_keys"
down_revision: str | Sequence[str] | None = "0005_hidden_dangers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "anjian_app"
AUTHORITY = "(SELECT app_setting_uuid('app.authority_id'))"
USER = "(SELECT app_setting_uuid('app.user_id'))"
TENANT = f"authority_id = {AUTHORITY}"
POLICIES = {
    # A user's own records; system work of the authority (no user: the prune job) sees them all,
    # as for notifications in 0005. No UPDATE: a record is written once, and deleted when expired.
    "idempotency_keys": (
        f"{TENANT} AND coalesce(user_id = {USER}, {USER} IS NULL)",
        "SELECT, INSERT, DELETE",
    ),
}


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _secure() -> None:
    for table, (policy, grants) in POLICIES.items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} USING ({policy}) WITH CHECK ({policy})"
        )
        op.execute(f"GRANT {grants} ON {table} TO {APP_ROLE}")


def _unsecure() -> None:
    for table in POLICIES:
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
        op.execute(f"REVOKE ALL ON {table} FROM {APP_ROLE}")


def upgrade() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("path", sa.String(length=2048), nullable=False),
        sa.Column("request_sha256", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response_body", sa.JSON(), nullable=True),
        sa.Column("response_headers", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id", "user_id"],
            ["users.authority_id", "users.id"],
            name=op.f("fk_idempotency_keys_authority_id_user_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_idempotency_keys_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
        sa.UniqueConstraint(
            "authority_id",
            "user_id",
            "key",
            name=op.f("uq_idempotency_keys_authority_id_user_id_key"),
        ),
    )
    op.create_index(
        op.f("ix_idempotency_keys_authority_id"),
        "idempotency_keys",
        ["authority_id"],
        unique=False,
    )
    op.create_index(
        "ix_idempotency_keys_created_at", "idempotency_keys", ["created_at"], unique=False
    )
    if _postgres():
        _secure()


def downgrade() -> None:
    if _postgres():
        _unsecure()
    op.drop_index("ix_idempotency_keys_created_at", table_name="idempotency_keys")
    op.drop_index(op.f("ix_idempotency_keys_authority_id"), table_name="idempotency_keys")
    op.drop_table("idempotency_keys")
