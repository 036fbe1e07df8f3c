"""Enforcement documents: gapless counters per (authority, kind, year), the frozen documents,
the public verification registry and bulk exports; RLS on the tenant tables.

Revision ID: 0008_documents
Revises: 0007_inspections
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_documents"
down_revision: str | Sequence[str] | None = "0007_inspections"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "anjian_app"
AUTHORITY = "(SELECT app_setting_uuid('app.authority_id'))"
ENTERPRISE = "(SELECT app_setting_uuid('app.enterprise_id'))"
TENANT = f"authority_id = {AUTHORITY}"
OWNED = f"{TENANT} AND coalesce(enterprise_id = {ENTERPRISE}, {ENTERPRISE} IS NULL)"
STAFF = f"{TENANT} AND {ENTERPRISE} IS NULL"
POLICIES = {
    "document_counters": (STAFF, "SELECT, INSERT, UPDATE"),
    "documents": (OWNED, "SELECT, INSERT, UPDATE"),  # never deleted: corrections supersede
    "document_exports": (STAFF, "SELECT, INSERT, UPDATE"),
}
# The public verification registry holds only what is printed on each document, by code, and
# no tenant key: anyone may look a code up, so there is nothing for RLS to separate.
PUBLIC_REGISTRY = "document_verifications"


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
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON {PUBLIC_REGISTRY} TO {APP_ROLE}")


def _unsecure() -> None:
    for table in POLICIES:
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
        op.execute(f"REVOKE ALL ON {table} FROM {APP_ROLE}")
    op.execute(f"REVOKE ALL ON {PUBLIC_REGISTRY} FROM {APP_ROLE}")


def upgrade() -> None:
    op.create_table(
        "document_verifications",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=40), nullable=False),
        sa.Column("authority_name", sa.String(length=120), nullable=False),
        sa.Column("enterprise_name", sa.String(length=200), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("superseded_by", sa.String(length=64), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_document_verifications")),
    )
    op.create_table(
        "document_counters",
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_serial", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('inspection_record', 'rectification_order', 'reinspection_opinion')",
            name=op.f("ck_document_counters_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_document_counters_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_counters")),
        sa.UniqueConstraint(
            "authority_id", "kind", "year", name=op.f("uq_document_counters_authority_id_kind_year")
        ),
    )
    op.create_index(
        op.f("ix_document_counters_authority_id"),
        "document_counters",
        ["authority_id"],
        unique=False,
    )
    op.create_table(
        "document_exports",
        sa.Column("requested_by", sa.Uuid(), nullable=True),
        sa.Column("street_id", sa.Uuid(), nullable=True),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'ready', 'failed')",
            name=op.f("ck_document_exports_status"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_document_exports_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_exports")),
    )
    op.create_index(
        op.f("ix_document_exports_authority_id"), "document_exports", ["authority_id"], unique=False
    )
    op.create_index(
        op.f("ix_document_exports_requested_by"), "document_exports", ["requested_by"], unique=False
    )
    op.create_table(
        "documents",
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("inspection_id", sa.Uuid(), nullable=False),
        sa.Column("issued_by", sa.Uuid(), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("verification_code", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("rendered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("render_error", sa.String(length=500), nullable=True),
        sa.Column("supersedes_id", sa.Uuid(), nullable=True),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("correction_reason", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('inspection_record', 'rectification_order', 'reinspection_opinion')",
            name=op.f("ck_documents_kind"),
        ),
        sa.CheckConstraint(
            "status IN ('rendering', 'ready', 'failed')", name=op.f("ck_documents_status")
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_documents_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "inspection_id"],
            ["inspections.authority_id", "inspections.id"],
            name=op.f("fk_documents_authority_id_inspection_id_inspections"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "supersedes_id"],
            ["documents.authority_id", "documents.id"],
            name=op.f("fk_documents_authority_id_supersedes_id_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"], ["authorities.id"], name=op.f("fk_documents_authority_id_authorities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("authority_id", "id", name=op.f("uq_documents_authority_id_id")),
        sa.UniqueConstraint(
            "authority_id",
            "kind",
            "year",
            "serial",
            name=op.f("uq_documents_authority_id_kind_year_serial"),
        ),
        sa.UniqueConstraint("verification_code", name=op.f("uq_documents_verification_code")),
    )
    op.create_index(op.f("ix_documents_authority_id"), "documents", ["authority_id"], unique=False)
    op.create_index(
        op.f("ix_documents_enterprise_id"), "documents", ["enterprise_id"], unique=False
    )
    op.create_index(
        op.f("ix_documents_inspection_id"), "documents", ["inspection_id"], unique=False
    )
    op.create_index(op.f("ix_documents_issued_by"), "documents", ["issued_by"], unique=False)
    op.create_index(op.f("ix_documents_status"), "documents", ["status"], unique=False)
    op.create_index(
        "uq_documents_current",
        "documents",
        ["inspection_id", "kind"],
        unique=True,
        postgresql_where=sa.text("superseded_at IS NULL"),
        sqlite_where=sa.text("superseded_at IS NULL"),
    )

    if _postgres():
        _secure()


def downgrade() -> None:
    if _postgres():
        _unsecure()
    op.drop_index(
        "uq_documents_current",
        table_name="documents",
        postgresql_where=sa.text("superseded_at IS NULL"),
        sqlite_where=sa.text("superseded_at IS NULL"),
    )
    op.drop_index(op.f("ix_documents_status"), table_name="documents")
    op.drop_index(op.f("ix_documents_issued_by"), table_name="documents")
    op.drop_index(op.f("ix_documents_inspection_id"), table_name="documents")
    op.drop_index(op.f("ix_documents_enterprise_id"), table_name="documents")
    op.drop_index(op.f("ix_documents_authority_id"), table_name="documents")
    op.drop_table("documents")
    op.drop_index(op.f("ix_document_exports_requested_by"), table_name="document_exports")
    op.drop_index(op.f("ix_document_exports_authority_id"), table_name="document_exports")
    op.drop_table("document_exports")
    op.drop_index(op.f("ix_document_counters_authority_id"), table_name="document_counters")
    op.drop_table("document_counters")
    op.drop_table("document_verifications")
