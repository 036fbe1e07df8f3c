"""Risk lists and four-color grading: risk points, published versions and their frozen
entries, the authority's grading convention, current colors and grade history; RLS on all; and
the two SQL functions the set-based grading uses (anjian_sha256, anjian_uuid, a UUIDv7).

Revision ID: 0003_risk_lists
Revises: 0002_hazard_sources
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_risk_lists"
down_revision: str | Sequence[str] | None = "0002_hazard_sources"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "anjian_app"
TENANT = "authority_id = app_setting_uuid('app.authority_id')"
ENTERPRISE = (
    f"{TENANT} AND (app_setting_uuid('app.enterprise_id') IS NULL "
    "OR enterprise_id = app_setting_uuid('app.enterprise_id'))"
)
POLICIES = {
    "risk_settings": TENANT,
    "risk_points": ENTERPRISE,
    "risk_list_versions": ENTERPRISE,
    "risk_list_entries": ENTERPRISE,
    "risk_colors": ENTERPRISE,
    "risk_grades": ENTERPRISE,
}
GRANTS = {
    "risk_settings": "SELECT, INSERT, UPDATE",
    "risk_points": "SELECT, INSERT, UPDATE",
    "risk_list_versions": "SELECT, INSERT, UPDATE",  # UPDATE: only is_current flips
    "risk_list_entries": "SELECT, INSERT",  # frozen
    "risk_colors": "SELECT, INSERT, UPDATE",
    "risk_grades": "SELECT, INSERT",  # history
}


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _secure() -> None:
    op.execute(
        "CREATE FUNCTION anjian_sha256(value text) RETURNS text LANGUAGE sql IMMUTABLE"
        " AS $$ SELECT encode(sha256(convert_to(value, 'UTF8')), 'hex') $$"
    )
    # UUIDv7: 48 bits of Unix milliseconds, then random bits with version 7 (ids stay time-ordered
    # like the ones the app makes, so keyset pages follow creation order).
    op.execute(
        "CREATE FUNCTION anjian_uuid() RETURNS uuid LANGUAGE sql VOLATILE AS $$"
        " SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) PLACING"
        " substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)"
        " FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid $$"
    )
    op.execute(f"GRANT EXECUTE ON FUNCTION anjian_sha256(text), anjian_uuid() TO {APP_ROLE}")
    for table, policy in POLICIES.items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} USING ({policy}) WITH CHECK ({policy})"
        )
        op.execute(f"GRANT {GRANTS[table]} ON {table} TO {APP_ROLE}")


def _unsecure() -> None:
    for table in POLICIES:
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
        op.execute(f"REVOKE ALL ON {table} FROM {APP_ROLE}")
    op.execute("DROP FUNCTION IF EXISTS anjian_uuid()")
    op.execute("DROP FUNCTION IF EXISTS anjian_sha256(text)")


def upgrade() -> None:
    op.create_table(
        "risk_settings",
        sa.Column("grading", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_risk_settings_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_settings")),
        sa.UniqueConstraint("authority_id", name=op.f("uq_risk_settings_authority_id")),
    )
    op.create_index(
        op.f("ix_risk_settings_authority_id"), "risk_settings", ["authority_id"], unique=False
    )
    op.create_table(
        "risk_colors",
        sa.Column("color", sa.String(length=8), nullable=False),
        sa.Column("inputs_digest", sa.String(length=64), nullable=False),
        sa.Column("rule_version", sa.String(length=20), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("residual_major", sa.Integer(), nullable=False),
        sa.Column("residual_significant", sa.Integer(), nullable=False),
        sa.Column("residual_general", sa.Integer(), nullable=False),
        sa.Column("residual_low", sa.Integer(), nullable=False),
        sa.Column("hazard_level1", sa.Integer(), nullable=False),
        sa.Column("hazard_level2", sa.Integer(), nullable=False),
        sa.Column("hazard_level3", sa.Integer(), nullable=False),
        sa.Column("hazard_level4", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_risk_colors_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_risk_colors_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_colors")),
        sa.UniqueConstraint("enterprise_id", name=op.f("uq_risk_colors_enterprise_id")),
    )
    op.create_index(
        op.f("ix_risk_colors_authority_id"), "risk_colors", ["authority_id"], unique=False
    )
    op.create_index(op.f("ix_risk_colors_color"), "risk_colors", ["color"], unique=False)
    op.create_index(
        op.f("ix_risk_colors_enterprise_id"), "risk_colors", ["enterprise_id"], unique=False
    )
    op.create_table(
        "risk_grades",
        sa.Column("color", sa.String(length=8), nullable=False),
        sa.Column("previous_color", sa.String(length=8), nullable=True),
        sa.Column("inputs_digest", sa.String(length=64), nullable=False),
        sa.Column("rule_version", sa.String(length=20), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("residual_major", sa.Integer(), nullable=False),
        sa.Column("residual_significant", sa.Integer(), nullable=False),
        sa.Column("residual_general", sa.Integer(), nullable=False),
        sa.Column("residual_low", sa.Integer(), nullable=False),
        sa.Column("hazard_level1", sa.Integer(), nullable=False),
        sa.Column("hazard_level2", sa.Integer(), nullable=False),
        sa.Column("hazard_level3", sa.Integer(), nullable=False),
        sa.Column("hazard_level4", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_risk_grades_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_risk_grades_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_grades")),
    )
    op.create_index(
        "ix_risk_grades_authority_computed",
        "risk_grades",
        ["authority_id", "computed_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_risk_grades_authority_id"), "risk_grades", ["authority_id"], unique=False
    )
    op.create_index(
        op.f("ix_risk_grades_enterprise_id"), "risk_grades", ["enterprise_id"], unique=False
    )
    op.create_table(
        "risk_list_versions",
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.Uuid(), nullable=True),
        sa.Column("point_count", sa.Integer(), nullable=False),
        sa.Column("highest_level", sa.String(length=16), nullable=True),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_risk_list_versions_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_risk_list_versions_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_list_versions")),
        sa.UniqueConstraint(
            "authority_id", "id", name=op.f("uq_risk_list_versions_authority_id_id")
        ),
        sa.UniqueConstraint(
            "enterprise_id", "number", name=op.f("uq_risk_list_versions_enterprise_id_number")
        ),
    )
    op.create_index(
        op.f("ix_risk_list_versions_authority_id"),
        "risk_list_versions",
        ["authority_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_risk_list_versions_enterprise_id"),
        "risk_list_versions",
        ["enterprise_id"],
        unique=False,
    )
    op.create_index(
        "uq_risk_list_versions_current",
        "risk_list_versions",
        ["enterprise_id"],
        unique=True,
        postgresql_where=sa.text("is_current"),
        sqlite_where=sa.text("is_current"),
    )
    op.create_table(
        "risk_points",
        sa.Column("code", sa.String(length=40), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("area", sa.String(length=120), nullable=True),
        sa.Column("point_type", sa.String(length=32), nullable=False),
        sa.Column("activity", sa.String(length=200), nullable=True),
        sa.Column("hazard_factors", sa.Text(), nullable=False),
        sa.Column("accident_types", sa.JSON(), nullable=False),
        sa.Column("inherent", sa.JSON(), nullable=False),
        sa.Column("inherent_score", sa.Numeric(precision=12, scale=4), nullable=True),
        sa.Column("inherent_level", sa.String(length=16), nullable=False),
        sa.Column("residual", sa.JSON(), nullable=False),
        sa.Column("residual_score", sa.Numeric(precision=12, scale=4), nullable=True),
        sa.Column("residual_level", sa.String(length=16), nullable=False),
        sa.Column("color", sa.String(length=8), nullable=False),
        sa.Column("control_tier", sa.String(length=16), nullable=False),
        sa.Column("grading_version", sa.String(length=40), nullable=False),
        sa.Column("measures", sa.JSON(), nullable=False),
        sa.Column("responsible_department", sa.String(length=60), nullable=True),
        sa.Column("responsible_person", sa.String(length=60), nullable=True),
        sa.Column("control_status", sa.String(length=16), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_risk_points_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_risk_points_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_points")),
        sa.UniqueConstraint("authority_id", "id", name=op.f("uq_risk_points_authority_id_id")),
    )
    op.create_index(
        op.f("ix_risk_points_authority_id"), "risk_points", ["authority_id"], unique=False
    )
    op.create_index(
        op.f("ix_risk_points_enterprise_id"), "risk_points", ["enterprise_id"], unique=False
    )
    op.create_index(
        op.f("ix_risk_points_residual_level"), "risk_points", ["residual_level"], unique=False
    )
    op.create_table(
        "risk_list_entries",
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("risk_point_id", sa.Uuid(), nullable=False),
        sa.Column("residual_rank", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_risk_list_entries_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "version_id"],
            ["risk_list_versions.authority_id", "risk_list_versions.id"],
            name=op.f("fk_risk_list_entries_authority_id_version_id_risk_list_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_risk_list_entries_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_list_entries")),
    )
    op.create_index(
        op.f("ix_risk_list_entries_authority_id"),
        "risk_list_entries",
        ["authority_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_risk_list_entries_enterprise_id"),
        "risk_list_entries",
        ["enterprise_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_risk_list_entries_version_id"), "risk_list_entries", ["version_id"], unique=False
    )
    if _postgres():
        _secure()


def downgrade() -> None:
    if _postgres():
        _unsecure()
    op.drop_index(op.f("ix_risk_list_entries_version_id"), table_name="risk_list_entries")
    op.drop_index(op.f("ix_risk_list_entries_enterprise_id"), table_name="risk_list_entries")
    op.drop_index(op.f("ix_risk_list_entries_authority_id"), table_name="risk_list_entries")
    op.drop_table("risk_list_entries")
    op.drop_index(op.f("ix_risk_points_residual_level"), table_name="risk_points")
    op.drop_index(op.f("ix_risk_points_enterprise_id"), table_name="risk_points")
    op.drop_index(op.f("ix_risk_points_authority_id"), table_name="risk_points")
    op.drop_table("risk_points")
    op.drop_index(
        "uq_risk_list_versions_current",
        table_name="risk_list_versions",
        postgresql_where=sa.text("is_current"),
        sqlite_where=sa.text("is_current"),
    )
    op.drop_index(op.f("ix_risk_list_versions_enterprise_id"), table_name="risk_list_versions")
    op.drop_index(op.f("ix_risk_list_versions_authority_id"), table_name="risk_list_versions")
    op.drop_table("risk_list_versions")
    op.drop_index(op.f("ix_risk_grades_enterprise_id"), table_name="risk_grades")
    op.drop_index(op.f("ix_risk_grades_authority_id"), table_name="risk_grades")
    op.drop_index("ix_risk_grades_authority_computed", table_name="risk_grades")
    op.drop_table("risk_grades")
    op.drop_index(op.f("ix_risk_colors_enterprise_id"), table_name="risk_colors")
    op.drop_index(op.f("ix_risk_colors_color"), table_name="risk_colors")
    op.drop_index(op.f("ix_risk_colors_authority_id"), table_name="risk_colors")
    op.drop_table("risk_colors")
    op.drop_index(op.f("ix_risk_settings_authority_id"), table_name="risk_settings")
    op.drop_table("risk_settings")
