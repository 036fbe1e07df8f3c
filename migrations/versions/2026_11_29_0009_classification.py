"""Enterprise classification: accidents, safety conditions, penalties, the blacklist, each
authority's settings (model, rates and caps per class), the results (history) and each
enterprise's current class with the override; RLS on all.

Revision ID: 0009_classification
Revises: 0008_documents
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_classification"
down_revision: str | Sequence[str] | None = "0008_documents"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "anjian_app"
AUTHORITY = "(SELECT app_setting_uuid('app.authority_id'))"
ENTERPRISE = "(SELECT app_setting_uuid('app.enterprise_id'))"
TENANT = f"authority_id = {AUTHORITY}"
OWNED = f"{TENANT} AND coalesce(enterprise_id = {ENTERPRISE}, {ENTERPRISE} IS NULL)"
STAFF = f"{TENANT} AND {ENTERPRISE} IS NULL"
WRITE = "SELECT, INSERT, UPDATE"
POLICIES = {
    "accidents": (OWNED, WRITE),
    "safety_conditions": (OWNED, WRITE),
    "penalties": (OWNED, WRITE),
    "blacklist_entries": (OWNED, WRITE),
    "classification_settings": (STAFF, WRITE),
    "classification_results": (OWNED, WRITE),
    "enterprise_classes": (OWNED, WRITE),
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
        "classification_settings",
        sa.Column("model", sa.JSON(), nullable=True),
        sa.Column("rates", sa.JSON(), nullable=False),
        sa.Column("caps", sa.JSON(), nullable=False),
        sa.Column("floors", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_classification_settings_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_classification_settings")),
        sa.UniqueConstraint("authority_id", name=op.f("uq_classification_settings_authority_id")),
    )
    op.create_index(
        op.f("ix_classification_settings_authority_id"),
        "classification_settings",
        ["authority_id"],
        unique=False,
    )
    op.create_table(
        "accidents",
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("type_code", sa.String(length=16), nullable=False),
        sa.Column("deaths", sa.Integer(), nullable=False),
        sa.Column("serious_injuries", sa.Integer(), nullable=False),
        sa.Column("minor_injuries", sa.Integer(), nullable=False),
        sa.Column("direct_loss", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("reported_by", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "deaths >= 0 AND serious_injuries >= 0 AND minor_injuries >= 0 AND direct_loss >= 0",
            name=op.f("ck_accidents_counts"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_accidents_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"], ["authorities.id"], name=op.f("fk_accidents_authority_id_authorities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accidents")),
    )
    op.create_index(op.f("ix_accidents_authority_id"), "accidents", ["authority_id"], unique=False)
    op.create_index(
        op.f("ix_accidents_enterprise_id"), "accidents", ["enterprise_id"], unique=False
    )
    op.create_index(op.f("ix_accidents_occurred_on"), "accidents", ["occurred_on"], unique=False)
    op.create_table(
        "blacklist_entries",
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.String(length=300), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("listed_by", sa.Uuid(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_blacklist_entries_period")),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_blacklist_entries_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_blacklist_entries_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_blacklist_entries")),
    )
    op.create_index(
        op.f("ix_blacklist_entries_authority_id"),
        "blacklist_entries",
        ["authority_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_blacklist_entries_enterprise_id"),
        "blacklist_entries",
        ["enterprise_id"],
        unique=False,
    )
    op.create_table(
        "classification_results",
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("model_version", sa.String(length=32), nullable=False),
        sa.Column("total", sa.Numeric(precision=5, scale=1), nullable=False),
        sa.Column("computed_level", sa.String(length=16), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "computed_level IS NULL OR computed_level IN ('good', 'normal', 'reminder', 'warning')",
            name=op.f("ck_classification_results_computed_level"),
        ),
        sa.CheckConstraint(
            "level IS NULL OR level IN ('good', 'normal', 'reminder', 'warning')",
            name=op.f("ck_classification_results_level"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_classification_results_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_classification_results_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_classification_results")),
        sa.UniqueConstraint(
            "enterprise_id",
            "as_of",
            "model_version",
            name=op.f("uq_classification_results_enterprise_id_as_of_model_version"),
        ),
    )
    op.create_index(
        op.f("ix_classification_results_as_of"), "classification_results", ["as_of"], unique=False
    )
    op.create_index(
        op.f("ix_classification_results_authority_id"),
        "classification_results",
        ["authority_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_classification_results_enterprise_id"),
        "classification_results",
        ["enterprise_id"],
        unique=False,
    )
    op.create_table(
        "enterprise_classes",
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("total", sa.Numeric(precision=5, scale=1), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("model_version", sa.String(length=32), nullable=False),
        sa.Column("result_id", sa.Uuid(), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("previous_level", sa.String(length=16), nullable=True),
        sa.Column("override_level", sa.String(length=16), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("override_until", sa.Date(), nullable=True),
        sa.Column("override_by", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "level IS NULL OR level IN ('good', 'normal', 'reminder', 'warning')",
            name=op.f("ck_enterprise_classes_level"),
        ),
        sa.CheckConstraint(
            "override_level IS NULL OR override_level IN ('good', 'normal', 'reminder', 'warning')",
            name=op.f("ck_enterprise_classes_override_level"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_enterprise_classes_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_enterprise_classes_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprise_classes")),
        sa.UniqueConstraint("enterprise_id", name=op.f("uq_enterprise_classes_enterprise_id")),
    )
    op.create_index(
        op.f("ix_enterprise_classes_authority_id"),
        "enterprise_classes",
        ["authority_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_enterprise_classes_changed_on"), "enterprise_classes", ["changed_on"], unique=False
    )
    op.create_index(
        op.f("ix_enterprise_classes_enterprise_id"),
        "enterprise_classes",
        ["enterprise_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_enterprise_classes_level"), "enterprise_classes", ["level"], unique=False
    )
    op.create_table(
        "penalties",
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("legal_basis", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("entered_by", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_penalties_amount")),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_penalties_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"], ["authorities.id"], name=op.f("fk_penalties_authority_id_authorities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_penalties")),
    )
    op.create_index(op.f("ix_penalties_authority_id"), "penalties", ["authority_id"], unique=False)
    op.create_index(op.f("ix_penalties_decided_on"), "penalties", ["decided_on"], unique=False)
    op.create_index(
        op.f("ix_penalties_enterprise_id"), "penalties", ["enterprise_id"], unique=False
    )
    op.create_table(
        "safety_conditions",
        sa.Column("principal_certificate_expires", sa.Date(), nullable=True),
        sa.Column("safety_manager_certificates", sa.JSON(), nullable=False),
        sa.Column("safety_managers_required", sa.Integer(), nullable=False),
        sa.Column("special_operators_required", sa.Integer(), nullable=False),
        sa.Column("special_operator_certificates", sa.JSON(), nullable=False),
        sa.Column("insurance_expires", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_safety_conditions_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_safety_conditions_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_conditions")),
        sa.UniqueConstraint("enterprise_id", name=op.f("uq_safety_conditions_enterprise_id")),
    )
    op.create_index(
        op.f("ix_safety_conditions_authority_id"),
        "safety_conditions",
        ["authority_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_safety_conditions_enterprise_id"),
        "safety_conditions",
        ["enterprise_id"],
        unique=False,
    )

    if _postgres():
        _secure()


def downgrade() -> None:
    if _postgres():
        _unsecure()
    op.drop_index(op.f("ix_safety_conditions_enterprise_id"), table_name="safety_conditions")
    op.drop_index(op.f("ix_safety_conditions_authority_id"), table_name="safety_conditions")
    op.drop_table("safety_conditions")
    op.drop_index(op.f("ix_penalties_enterprise_id"), table_name="penalties")
    op.drop_index(op.f("ix_penalties_decided_on"), table_name="penalties")
    op.drop_index(op.f("ix_penalties_authority_id"), table_name="penalties")
    op.drop_table("penalties")
    op.drop_index(op.f("ix_enterprise_classes_level"), table_name="enterprise_classes")
    op.drop_index(op.f("ix_enterprise_classes_enterprise_id"), table_name="enterprise_classes")
    op.drop_index(op.f("ix_enterprise_classes_changed_on"), table_name="enterprise_classes")
    op.drop_index(op.f("ix_enterprise_classes_authority_id"), table_name="enterprise_classes")
    op.drop_table("enterprise_classes")
    op.drop_index(
        op.f("ix_classification_results_enterprise_id"), table_name="classification_results"
    )
    op.drop_index(
        op.f("ix_classification_results_authority_id"), table_name="classification_results"
    )
    op.drop_index(op.f("ix_classification_results_as_of"), table_name="classification_results")
    op.drop_table("classification_results")
    op.drop_index(op.f("ix_blacklist_entries_enterprise_id"), table_name="blacklist_entries")
    op.drop_index(op.f("ix_blacklist_entries_authority_id"), table_name="blacklist_entries")
    op.drop_table("blacklist_entries")
    op.drop_index(op.f("ix_accidents_occurred_on"), table_name="accidents")
    op.drop_index(op.f("ix_accidents_enterprise_id"), table_name="accidents")
    op.drop_index(op.f("ix_accidents_authority_id"), table_name="accidents")
    op.drop_table("accidents")
    op.drop_index(
        op.f("ix_classification_settings_authority_id"), table_name="classification_settings"
    )
    op.drop_table("classification_settings")
