"""Foundation: authorities, regions, enterprises, users, tokens, audit trail; RLS and grants.

Revision ID: 0001_foundation
Revises:
Create Date: 2026-11-29

Row-level security (PostgreSQL only): every tenant table has RLS enabled AND forced, and one
policy with USING and WITH CHECK comparing rows to transaction-local settings (set by the app with
set_config(..., true)). `nullif(..., '')` matters: after the first transaction in a session an
unset setting reads back as '' rather than NULL.

The app connects as a member of `anjian_app`, a NOLOGIN role that owns nothing and has no
BYPASSRLS; this revision (run as the owner) creates it if missing and grants it only what it needs.
audit_events is append-only for everyone: the app role gets SELECT and INSERT only, and a trigger
rejects UPDATE and DELETE even from the owner.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_foundation"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "anjian_app"
TENANT = "authority_id = app_setting_uuid('app.authority_id')"
ENTERPRISE = "(app_setting_uuid('app.enterprise_id') IS NULL OR {col} = app_setting_uuid('app.enterprise_id'))"
PLATFORM = "app_setting('app.platform') = 'on'"

# table -> (USING, WITH CHECK)
POLICIES = {
    "authorities": (
        f"id = app_setting_uuid('app.authority_id') OR {PLATFORM}",
        f"id = app_setting_uuid('app.authority_id') OR {PLATFORM}",
    ),
    "regions": (TENANT, TENANT),
    "enterprises": (
        f"{TENANT} AND {ENTERPRISE.format(col='id')}",
        f"{TENANT} AND {ENTERPRISE.format(col='id')}",
    ),
    "users": (
        f"({TENANT} AND {ENTERPRISE.format(col='enterprise_id')})"
        f" OR (authority_id IS NULL AND {PLATFORM})"
        " OR username = app_setting('app.login_username')",
        f"({TENANT} AND {ENTERPRISE.format(col='enterprise_id')})"
        f" OR (authority_id IS NULL AND {PLATFORM})",
    ),
    "auth_tokens": (
        f"token_hash = app_setting('app.token_hash') OR {TENANT}"
        f" OR (authority_id IS NULL AND {PLATFORM})",
        f"token_hash = app_setting('app.token_hash') OR {TENANT}"
        f" OR (authority_id IS NULL AND {PLATFORM})",
    ),
    "audit_events": (
        f"{TENANT} OR (authority_id IS NULL AND {PLATFORM})",
        f"{TENANT} OR (authority_id IS NULL AND {PLATFORM})",
    ),
    "audit_checkpoints": (
        f"{TENANT} OR (authority_id IS NULL AND {PLATFORM})",
        f"{TENANT} OR (authority_id IS NULL AND {PLATFORM})",
    ),
}
READ_WRITE = ("authorities", "regions", "enterprises", "users", "auth_tokens")
APPEND_ONLY = ("audit_events", "audit_checkpoints")


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _secure() -> None:
    op.execute(
        f"""
        DO $$ BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
            CREATE ROLE {APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
          END IF;
        END $$;
        """
    )
    op.execute(
        "CREATE FUNCTION app_setting(name text) RETURNS text LANGUAGE sql STABLE"
        " AS $$ SELECT nullif(current_setting(name, true), '') $$"
    )
    op.execute(
        "CREATE FUNCTION app_setting_uuid(name text) RETURNS uuid LANGUAGE sql STABLE"
        " AS $$ SELECT nullif(current_setting(name, true), '')::uuid $$"
    )
    op.execute(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}")
    op.execute(f"GRANT EXECUTE ON FUNCTION app_setting(text), app_setting_uuid(text) TO {APP_ROLE}")
    for table, (using, check) in POLICIES.items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} USING ({using}) WITH CHECK ({check})"
        )
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {', '.join(READ_WRITE)} TO {APP_ROLE}")
    op.execute(f"GRANT SELECT, INSERT ON {', '.join(APPEND_ONLY)} TO {APP_ROLE}")
    op.execute(
        "CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$"
        " BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME"
        " USING ERRCODE = 'insufficient_privilege'; END $$"
    )
    for table in APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}"
            " FOR EACH ROW EXECUTE FUNCTION audit_append_only()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}"
            " FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()"
        )
        # The chain name is the authority (or 'platform'): a row cannot be filed elsewhere.
        op.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT ck_{table}_chain_is_authority"
            " CHECK (chain = coalesce(authority_id::text, 'platform'))"
        )


def _unsecure() -> None:
    for table in APPEND_ONLY:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS ck_{table}_chain_is_authority")
    op.execute("DROP FUNCTION IF EXISTS audit_append_only()")
    for table in POLICIES:
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
    op.execute(f"REVOKE ALL ON {', '.join(READ_WRITE + APPEND_ONLY)} FROM {APP_ROLE}")
    op.execute(f"REVOKE ALL ON FUNCTION app_setting(text), app_setting_uuid(text) FROM {APP_ROLE}")
    op.execute("DROP FUNCTION IF EXISTS app_setting_uuid(text)")
    op.execute("DROP FUNCTION IF EXISTS app_setting(text)")
    op.execute(f"REVOKE USAGE ON SCHEMA public FROM {APP_ROLE}")
    # The role itself is cluster-wide and may serve other databases: it is left in place.


def upgrade() -> None:
    op.create_table(
        "authorities",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("short_name", sa.String(length=20), nullable=False),
        sa.Column("reconsideration_body", sa.String(length=120), nullable=True),
        sa.Column("court", sa.String(length=120), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_authorities")),
        sa.UniqueConstraint("name", name=op.f("uq_authorities_name")),
        sa.UniqueConstraint("short_name", name=op.f("uq_authorities_short_name")),
    )
    op.create_table(
        "audit_checkpoints",
        sa.Column("chain", sa.String(length=40), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=True),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_audit_checkpoints_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoints")),
        sa.UniqueConstraint("chain", "seq", name=op.f("uq_audit_checkpoints_chain_seq")),
    )
    op.create_index(
        op.f("ix_audit_checkpoints_authority_id"),
        "audit_checkpoints",
        ["authority_id"],
        unique=False,
    )
    op.create_table(
        "audit_events",
        sa.Column("chain", sa.String(length=40), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("actor_role", sa.String(length=32), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_audit_events_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
        sa.UniqueConstraint("chain", "seq", name=op.f("uq_audit_events_chain_seq")),
    )
    op.create_index(
        op.f("ix_audit_events_authority_id"), "audit_events", ["authority_id"], unique=False
    )
    op.create_index(op.f("ix_audit_events_entity_id"), "audit_events", ["entity_id"], unique=False)
    op.create_table(
        "regions",
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("street_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('street', 'community', 'grid')", name=op.f("ck_regions_kind")),
        sa.ForeignKeyConstraint(
            ["authority_id", "parent_id"],
            ["regions.authority_id", "regions.id"],
            name=op.f("fk_regions_authority_id_parent_id_regions"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "street_id"],
            ["regions.authority_id", "regions.id"],
            name=op.f("fk_regions_authority_id_street_id_regions"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"], ["authorities.id"], name=op.f("fk_regions_authority_id_authorities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regions")),
        sa.UniqueConstraint("authority_id", "id", name=op.f("uq_regions_authority_id_id")),
        sa.UniqueConstraint(
            "authority_id", "parent_id", "name", name=op.f("uq_regions_authority_id_parent_id_name")
        ),
    )
    op.create_index(op.f("ix_regions_authority_id"), "regions", ["authority_id"], unique=False)
    op.create_index(op.f("ix_regions_parent_id"), "regions", ["parent_id"], unique=False)
    op.create_index(op.f("ix_regions_street_id"), "regions", ["street_id"], unique=False)
    # NULLs never collide in a unique key, so streets (no parent) need their own.
    op.create_index(
        "uq_regions_street_name",
        "regions",
        ["authority_id", "name"],
        unique=True,
        postgresql_where=sa.text("parent_id IS NULL"),
        sqlite_where=sa.text("parent_id IS NULL"),
    )
    op.create_table(
        "enterprises",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("sector", sa.String(length=32), nullable=False),
        sa.Column("industry", sa.String(length=80), nullable=True),
        sa.Column("region_id", sa.Uuid(), nullable=False),
        sa.Column("street_id", sa.Uuid(), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("longitude", sa.Numeric(precision=9, scale=6), nullable=True),
        sa.Column("latitude", sa.Numeric(precision=9, scale=6), nullable=True),
        sa.Column("is_key", sa.Boolean(), nullable=False),
        sa.Column("standardization_grade", sa.Integer(), nullable=True),
        sa.Column("legal_representative", sa.String(length=60), nullable=True),
        sa.Column("safety_contact_name", sa.String(length=60), nullable=True),
        sa.Column("safety_contact_phone", sa.String(length=30), nullable=True),
        sa.Column("headcount", sa.Integer(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("headcount >= 0", name=op.f("ck_enterprises_headcount")),
        sa.CheckConstraint("latitude BETWEEN -90 AND 90", name=op.f("ck_enterprises_latitude")),
        sa.CheckConstraint("longitude BETWEEN -180 AND 180", name=op.f("ck_enterprises_longitude")),
        sa.CheckConstraint("standardization_grade IN (1, 2, 3)", name=op.f("ck_enterprises_grade")),
        sa.ForeignKeyConstraint(
            ["authority_id", "region_id"],
            ["regions.authority_id", "regions.id"],
            name=op.f("fk_enterprises_authority_id_region_id_regions"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "street_id"],
            ["regions.authority_id", "regions.id"],
            name=op.f("fk_enterprises_authority_id_street_id_regions"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_enterprises_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprises")),
        sa.UniqueConstraint("authority_id", "id", name=op.f("uq_enterprises_authority_id_id")),
        sa.UniqueConstraint("authority_id", "uscc", name=op.f("uq_enterprises_authority_id_uscc")),
    )
    op.create_index(
        op.f("ix_enterprises_authority_id"), "enterprises", ["authority_id"], unique=False
    )
    op.create_index(op.f("ix_enterprises_region_id"), "enterprises", ["region_id"], unique=False)
    op.create_index(op.f("ix_enterprises_sector"), "enterprises", ["sector"], unique=False)
    op.create_index(op.f("ix_enterprises_street_id"), "enterprises", ["street_id"], unique=False)
    op.create_table(
        "users",
        sa.Column("authority_id", sa.Uuid(), nullable=True),
        sa.Column("enterprise_id", sa.Uuid(), nullable=True),
        sa.Column("street_id", sa.Uuid(), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("display_name", sa.String(length=60), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("badge_no", sa.String(length=40), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_users_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "street_id"],
            ["regions.authority_id", "regions.id"],
            name=op.f("fk_users_authority_id_street_id_regions"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"], ["authorities.id"], name=op.f("fk_users_authority_id_authorities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("authority_id", "id", name=op.f("uq_users_authority_id_id")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_index(op.f("ix_users_authority_id"), "users", ["authority_id"], unique=False)
    op.create_index(op.f("ix_users_enterprise_id"), "users", ["enterprise_id"], unique=False)
    op.create_table(
        "auth_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=True),
        sa.Column("enterprise_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_auth_tokens_authority_id_authorities"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_auth_tokens_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_auth_tokens_token_hash")),
    )
    op.create_index(
        op.f("ix_auth_tokens_authority_id"), "auth_tokens", ["authority_id"], unique=False
    )
    op.create_index(op.f("ix_auth_tokens_user_id"), "auth_tokens", ["user_id"], unique=False)
    if _postgres():
        _secure()


def downgrade() -> None:
    if _postgres():
        _unsecure()
    op.drop_index(op.f("ix_auth_tokens_user_id"), table_name="auth_tokens")
    op.drop_index(op.f("ix_auth_tokens_authority_id"), table_name="auth_tokens")
    op.drop_table("auth_tokens")
    op.drop_index(op.f("ix_users_enterprise_id"), table_name="users")
    op.drop_index(op.f("ix_users_authority_id"), table_name="users")
    op.drop_table("users")
    op.drop_index(op.f("ix_enterprises_street_id"), table_name="enterprises")
    op.drop_index(op.f("ix_enterprises_sector"), table_name="enterprises")
    op.drop_index(op.f("ix_enterprises_region_id"), table_name="enterprises")
    op.drop_index(op.f("ix_enterprises_authority_id"), table_name="enterprises")
    op.drop_table("enterprises")
    op.drop_index("uq_regions_street_name", table_name="regions")
    op.drop_index(op.f("ix_regions_street_id"), table_name="regions")
    op.drop_index(op.f("ix_regions_parent_id"), table_name="regions")
    op.drop_index(op.f("ix_regions_authority_id"), table_name="regions")
    op.drop_table("regions")
    op.drop_index(op.f("ix_audit_events_entity_id"), table_name="audit_events")
    op.drop_index(op.f("ix_audit_events_authority_id"), table_name="audit_events")
    op.drop_table("audit_events")
    op.drop_index(op.f("ix_audit_checkpoints_authority_id"), table_name="audit_checkpoints")
    op.drop_table("audit_checkpoints")
    op.drop_table("authorities")
