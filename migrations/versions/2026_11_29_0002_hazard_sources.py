"""Major hazard sources: the register (hazard_sources) and its result history
(hazard_assessments), with row-level security scoped to authority and enterprise.

Revision ID: 0002_hazard_sources
Revises: 0001_foundation
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_hazard_sources"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "anjian_app"
TABLES = ("hazard_sources", "hazard_assessments")
# Enterprise-owned rows: the authority's, and for an enterprise user only its enterprise's.
POLICY = (
    "authority_id = app_setting_uuid('app.authority_id') AND "
    "(app_setting_uuid('app.enterprise_id') IS NULL "
    "OR enterprise_id = app_setting_uuid('app.enterprise_id'))"
)


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _secure() -> None:
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} USING ({POLICY}) WITH CHECK ({POLICY})"
        )
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON hazard_sources TO {APP_ROLE}")
    # History is written once and never changed.
    op.execute(f"GRANT SELECT, INSERT ON hazard_assessments TO {APP_ROLE}")


def _unsecure() -> None:
    for table in TABLES:
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
        op.execute(f"REVOKE ALL ON {table} FROM {APP_ROLE}")


def upgrade() -> None:
    op.create_table(
        "hazard_sources",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("unit_kind", sa.String(length=16), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("exposed_population", sa.Integer(), nullable=False),
        sa.Column("substances", sa.JSON(), nullable=False),
        sa.Column("principal_name", sa.String(length=60), nullable=True),
        sa.Column("principal_phone", sa.String(length=30), nullable=True),
        sa.Column("technical_name", sa.String(length=60), nullable=True),
        sa.Column("technical_phone", sa.String(length=30), nullable=True),
        sa.Column("operational_name", sa.String(length=60), nullable=True),
        sa.Column("operational_phone", sa.String(length=30), nullable=True),
        sa.Column("continuous_monitoring", sa.Boolean(), nullable=False),
        sa.Column("gas_detection", sa.Boolean(), nullable=False),
        sa.Column("emergency_shutdown", sa.Boolean(), nullable=False),
        sa.Column("last_evaluated_on", sa.Date(), nullable=True),
        sa.Column("reevaluation_due_on", sa.Date(), nullable=True),
        sa.Column("filing_due_on", sa.Date(), nullable=True),
        sa.Column("change_pending", sa.Boolean(), nullable=False),
        sa.Column("is_major", sa.Boolean(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("sum_ratio", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("r_value", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("data_version", sa.String(length=20), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("filing_status", sa.String(length=16), nullable=False),
        sa.Column("filing_note", sa.String(length=500), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("filed_by", sa.Uuid(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "filing_status IN ('draft', 'submitted', 'filed', 'returned')",
            name=op.f("ck_hazard_sources_filing_status"),
        ),
        sa.CheckConstraint(
            "unit_kind IN ('production', 'storage')", name=op.f("ck_hazard_sources_unit_kind")
        ),
        sa.CheckConstraint("exposed_population >= 0", name=op.f("ck_hazard_sources_population")),
        sa.CheckConstraint("level BETWEEN 1 AND 4", name=op.f("ck_hazard_sources_level")),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_hazard_sources_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_hazard_sources_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazard_sources")),
        sa.UniqueConstraint("authority_id", "id", name=op.f("uq_hazard_sources_authority_id_id")),
    )
    op.create_index(
        op.f("ix_hazard_sources_authority_id"), "hazard_sources", ["authority_id"], unique=False
    )
    op.create_index(
        op.f("ix_hazard_sources_enterprise_id"), "hazard_sources", ["enterprise_id"], unique=False
    )
    op.create_index(
        op.f("ix_hazard_sources_filing_status"), "hazard_sources", ["filing_status"], unique=False
    )
    op.create_index(
        op.f("ix_hazard_sources_is_major"), "hazard_sources", ["is_major"], unique=False
    )
    op.create_index(op.f("ix_hazard_sources_level"), "hazard_sources", ["level"], unique=False)
    op.create_index(
        op.f("ix_hazard_sources_reevaluation_due_on"),
        "hazard_sources",
        ["reevaluation_due_on"],
        unique=False,
    )
    op.create_table(
        "hazard_assessments",
        sa.Column("hazard_source_id", sa.Uuid(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("computed_by", sa.Uuid(), nullable=True),
        sa.Column("inputs_digest", sa.String(length=64), nullable=False),
        sa.Column("is_major", sa.Boolean(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("sum_ratio", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("r_value", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("data_version", sa.String(length=20), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_hazard_assessments_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "hazard_source_id"],
            ["hazard_sources.authority_id", "hazard_sources.id"],
            name=op.f("fk_hazard_assessments_authority_id_hazard_source_id_hazard_sources"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_hazard_assessments_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazard_assessments")),
    )
    op.create_index(
        op.f("ix_hazard_assessments_authority_id"),
        "hazard_assessments",
        ["authority_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_hazard_assessments_enterprise_id"),
        "hazard_assessments",
        ["enterprise_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_hazard_assessments_hazard_source_id"),
        "hazard_assessments",
        ["hazard_source_id"],
        unique=False,
    )
    if _postgres():
        _secure()


def downgrade() -> None:
    if _postgres():
        _unsecure()
    op.drop_index(op.f("ix_hazard_assessments_hazard_source_id"), table_name="hazard_assessments")
    op.drop_index(op.f("ix_hazard_assessments_enterprise_id"), table_name="hazard_assessments")
    op.drop_index(op.f("ix_hazard_assessments_authority_id"), table_name="hazard_assessments")
    op.drop_table("hazard_assessments")
    op.drop_index(op.f("ix_hazard_sources_reevaluation_due_on"), table_name="hazard_sources")
    op.drop_index(op.f("ix_hazard_sources_level"), table_name="hazard_sources")
    op.drop_index(op.f("ix_hazard_sources_is_major"), table_name="hazard_sources")
    op.drop_index(op.f("ix_hazard_sources_filing_status"), table_name="hazard_sources")
    op.drop_index(op.f("ix_hazard_sources_enterprise_id"), table_name="hazard_sources")
    op.drop_index(op.f("ix_hazard_sources_authority_id"), table_name="hazard_sources")
    op.drop_table("hazard_sources")
