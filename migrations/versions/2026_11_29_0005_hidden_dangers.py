"""The hidden-danger ledger: entries, their step history, extensions, evidence, public
tip-offs, notifications, the daily overdue runs and the signed statistics; RLS on all.

Revision ID: 0005_hidden_dangers
Revises: 0004_rls_plan_friendly
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_hidden_dangers"
down_revision: str | Sequence[str] | None = "0004_rls_plan_friendly"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "anjian_app"
AUTHORITY = "(SELECT app_setting_uuid('app.authority_id'))"
ENTERPRISE = "(SELECT app_setting_uuid('app.enterprise_id'))"
USER = "(SELECT app_setting_uuid('app.user_id'))"
TENANT = f"authority_id = {AUTHORITY}"
# Enterprise users see their enterprise's rows; authority users every row of the authority
# (a NULL enterprise_id included). Same plan-friendly form as revision 0004.
OWNED = f"{TENANT} AND coalesce(enterprise_id = {ENTERPRISE}, {ENTERPRISE} IS NULL)"
POLICIES = {
    "hidden_dangers": (OWNED, "SELECT, INSERT, UPDATE"),
    "hidden_danger_events": (OWNED, "SELECT, INSERT"),  # history
    "hidden_danger_extensions": (OWNED, "SELECT, INSERT, UPDATE"),
    "hidden_danger_evidence": (OWNED, "SELECT, INSERT, UPDATE"),
    "hidden_danger_reports": (OWNED, "SELECT, INSERT"),  # signed and frozen
    # The triage queue: never visible to enterprise users (the reporter's protection).
    "tip_offs": (f"{TENANT} AND {ENTERPRISE} IS NULL", "SELECT, INSERT, UPDATE"),
    # A user's own, in the database too (system work, with no user, writes them for anyone).
    "notifications": (
        f"{OWNED} AND coalesce(user_id = {USER}, {USER} IS NULL)",
        "SELECT, INSERT, UPDATE",
    ),
    "hidden_danger_overdue_runs": (TENANT, "SELECT, INSERT, UPDATE"),
}

GRADE_COUNTS = ("open_major_hidden_dangers", "overdue_major_hidden_dangers")


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
        "hidden_danger_overdue_runs",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("ran_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("marked", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_hidden_danger_overdue_runs_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hidden_danger_overdue_runs")),
        sa.UniqueConstraint(
            "authority_id", "day", name=op.f("uq_hidden_danger_overdue_runs_authority_id_day")
        ),
    )
    op.create_index(
        op.f("ix_hidden_danger_overdue_runs_authority_id"),
        "hidden_danger_overdue_runs",
        ["authority_id"],
        unique=False,
    )
    op.create_table(
        "hidden_danger_reports",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("principal_name", sa.String(length=60), nullable=False),
        sa.Column("signed_by", sa.Uuid(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("on_time", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "quarter BETWEEN 0 AND 4", name=op.f("ck_hidden_danger_reports_quarter")
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_hidden_danger_reports_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_hidden_danger_reports_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hidden_danger_reports")),
        sa.UniqueConstraint(
            "enterprise_id",
            "year",
            "quarter",
            name=op.f("uq_hidden_danger_reports_enterprise_id_year_quarter"),
        ),
    )
    op.create_index(
        op.f("ix_hidden_danger_reports_authority_id"),
        "hidden_danger_reports",
        ["authority_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_hidden_danger_reports_enterprise_id"),
        "hidden_danger_reports",
        ["enterprise_id"],
        unique=False,
    )
    op.create_table(
        "hidden_dangers",
        sa.Column("client_id", sa.Uuid(), nullable=True),
        sa.Column("client_digest", sa.String(length=64), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("category", sa.String(length=24), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("criterion_code", sa.String(length=16), nullable=True),
        sa.Column("source", sa.String(length=24), nullable=False),
        sa.Column("source_ref", sa.Uuid(), nullable=True),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("found_by", sa.String(length=60), nullable=False),
        sa.Column("reported_by", sa.Uuid(), nullable=True),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("state_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("original_deadline", sa.Date(), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=True),
        sa.Column("supervised_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("extension_pending", sa.Boolean(), nullable=False),
        sa.Column("overdue_since", sa.Date(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.Uuid(), nullable=True),
        sa.Column("closed_on_time", sa.Boolean(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "category IN ('unsafe_condition', 'unsafe_act', 'management_defect')",
            name=op.f("ck_hidden_dangers_category"),
        ),
        sa.CheckConstraint(
            "criterion_code IS NULL OR severity = 'major'",
            name=op.f("ck_hidden_dangers_criterion_major"),
        ),
        sa.CheckConstraint(
            "severity IN ('general', 'major')", name=op.f("ck_hidden_dangers_severity")
        ),
        sa.CheckConstraint(
            "source IN ('self_inspection', 'staff_report', 'inspection_finding', 'tip_off', 'regulator_entry')",
            name=op.f("ck_hidden_dangers_source"),
        ),
        sa.CheckConstraint(
            "state IN ('reported', 'rectifying', 'awaiting_acceptance', 'closed', 'cancelled')",
            name=op.f("ck_hidden_dangers_state"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_hidden_dangers_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_hidden_dangers_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hidden_dangers")),
        sa.UniqueConstraint(
            "authority_id", "client_id", name=op.f("uq_hidden_dangers_authority_id_client_id")
        ),
        sa.UniqueConstraint("authority_id", "id", name=op.f("uq_hidden_dangers_authority_id_id")),
    )
    op.create_index(
        op.f("ix_hidden_dangers_authority_id"), "hidden_dangers", ["authority_id"], unique=False
    )
    op.create_index(
        op.f("ix_hidden_dangers_enterprise_id"), "hidden_dangers", ["enterprise_id"], unique=False
    )
    op.create_index(
        "ix_hidden_dangers_open_deadline",
        "hidden_dangers",
        ["authority_id", "state", "deadline"],
        unique=False,
    )
    op.create_index(
        op.f("ix_hidden_dangers_severity"), "hidden_dangers", ["severity"], unique=False
    )
    op.create_index(op.f("ix_hidden_dangers_source"), "hidden_dangers", ["source"], unique=False)
    op.create_index(
        op.f("ix_hidden_dangers_source_ref"), "hidden_dangers", ["source_ref"], unique=False
    )
    op.create_index(op.f("ix_hidden_dangers_state"), "hidden_dangers", ["state"], unique=False)
    op.create_table(
        "hidden_danger_events",
        sa.Column("danger_id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("from_state", sa.String(length=24), nullable=True),
        sa.Column("to_state", sa.String(length=24), nullable=True),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("actor_kind", sa.String(length=24), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "action IN ('start_rectification', 'submit_for_acceptance', 'accept', 'reject', 'close', 'cancel', 'request_extension', 'grant_extension', 'refuse_extension', 'create', 'update', 'mark_overdue', 'add_evidence')",
            name=op.f("ck_hidden_danger_events_action"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "danger_id"],
            ["hidden_dangers.authority_id", "hidden_dangers.id"],
            name=op.f("fk_hidden_danger_events_authority_id_danger_id_hidden_dangers"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_hidden_danger_events_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_hidden_danger_events_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hidden_danger_events")),
    )
    op.create_index(
        op.f("ix_hidden_danger_events_authority_id"),
        "hidden_danger_events",
        ["authority_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_hidden_danger_events_danger_id"),
        "hidden_danger_events",
        ["danger_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_hidden_danger_events_enterprise_id"),
        "hidden_danger_events",
        ["enterprise_id"],
        unique=False,
    )
    op.create_table(
        "hidden_danger_evidence",
        sa.Column("danger_id", sa.Uuid(), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("declared_type", sa.String(length=100), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("uploaded_by", sa.Uuid(), nullable=True),
        sa.Column("rejected_reason", sa.String(length=300), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "stage IN ('found', 'rectified', 'accepted')",
            name=op.f("ck_hidden_danger_evidence_stage"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'stored', 'rejected')",
            name=op.f("ck_hidden_danger_evidence_status"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "danger_id"],
            ["hidden_dangers.authority_id", "hidden_dangers.id"],
            name=op.f("fk_hidden_danger_evidence_authority_id_danger_id_hidden_dangers"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_hidden_danger_evidence_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_hidden_danger_evidence_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hidden_danger_evidence")),
        sa.UniqueConstraint("key", name=op.f("uq_hidden_danger_evidence_key")),
    )
    op.create_index(
        op.f("ix_hidden_danger_evidence_authority_id"),
        "hidden_danger_evidence",
        ["authority_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_hidden_danger_evidence_danger_id"),
        "hidden_danger_evidence",
        ["danger_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_hidden_danger_evidence_enterprise_id"),
        "hidden_danger_evidence",
        ["enterprise_id"],
        unique=False,
    )
    op.create_table(
        "hidden_danger_extensions",
        sa.Column("danger_id", sa.Uuid(), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("requested_deadline", sa.Date(), nullable=False),
        sa.Column("previous_deadline", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.Uuid(), nullable=True),
        sa.Column("answer_due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("granted_deadline", sa.Date(), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'granted', 'refused', 'withdrawn')",
            name=op.f("ck_hidden_danger_extensions_status"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "danger_id"],
            ["hidden_dangers.authority_id", "hidden_dangers.id"],
            name=op.f("fk_hidden_danger_extensions_authority_id_danger_id_hidden_dangers"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_hidden_danger_extensions_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_hidden_danger_extensions_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hidden_danger_extensions")),
    )
    op.create_index(
        op.f("ix_hidden_danger_extensions_authority_id"),
        "hidden_danger_extensions",
        ["authority_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_hidden_danger_extensions_danger_id"),
        "hidden_danger_extensions",
        ["danger_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_hidden_danger_extensions_enterprise_id"),
        "hidden_danger_extensions",
        ["enterprise_id"],
        unique=False,
    )
    op.create_table(
        "notifications",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("danger_id", sa.Uuid(), nullable=True),
        sa.Column("dedupe_key", sa.String(length=160), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id", "danger_id"],
            ["hidden_dangers.authority_id", "hidden_dangers.id"],
            name=op.f("fk_notifications_authority_id_danger_id_hidden_dangers"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_notifications_authority_id_authorities"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notifications_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint(
            "user_id", "dedupe_key", name=op.f("uq_notifications_user_id_dedupe_key")
        ),
    )
    op.create_index(
        op.f("ix_notifications_authority_id"), "notifications", ["authority_id"], unique=False
    )
    op.create_index(
        "ix_notifications_user_unread", "notifications", ["user_id", "read_at"], unique=False
    )
    op.create_table(
        "tip_offs",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("enterprise_name", sa.String(length=200), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("contact", sa.String(length=100), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("triaged_by", sa.Uuid(), nullable=True),
        sa.Column("triaged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("dismissed_reason", sa.Text(), nullable=True),
        sa.Column("enterprise_id", sa.Uuid(), nullable=True),
        sa.Column("danger_id", sa.Uuid(), nullable=True),
        sa.Column("photo_key", sa.String(length=400), nullable=True),
        sa.Column("photo_type", sa.String(length=100), nullable=True),
        sa.Column("photo_size", sa.BigInteger(), nullable=True),
        sa.Column("photo_sha256", sa.String(length=64), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('received', 'dismissed', 'converted')", name=op.f("ck_tip_offs_status")
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "danger_id"],
            ["hidden_dangers.authority_id", "hidden_dangers.id"],
            name=op.f("fk_tip_offs_authority_id_danger_id_hidden_dangers"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_tip_offs_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"], ["authorities.id"], name=op.f("fk_tip_offs_authority_id_authorities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tip_offs")),
        sa.UniqueConstraint("authority_id", "id", name=op.f("uq_tip_offs_authority_id_id")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_tip_offs_code_hash")),
    )
    op.create_index(op.f("ix_tip_offs_authority_id"), "tip_offs", ["authority_id"], unique=False)
    op.create_index(op.f("ix_tip_offs_status"), "tip_offs", ["status"], unique=False)
    # Four-color grading now counts open and overdue major hidden dangers per enterprise.
    for table in ("risk_colors", "risk_grades"):
        for column in GRADE_COUNTS:
            op.add_column(
                table, sa.Column(column, sa.Integer(), nullable=False, server_default="0")
            )
    if _postgres():
        _secure()


def downgrade() -> None:
    if _postgres():
        _unsecure()
    for table in ("risk_colors", "risk_grades"):
        for column in GRADE_COUNTS:
            op.drop_column(table, column)
    op.drop_index(op.f("ix_tip_offs_status"), table_name="tip_offs")
    op.drop_index(op.f("ix_tip_offs_authority_id"), table_name="tip_offs")
    op.drop_table("tip_offs")
    op.drop_index("ix_notifications_user_unread", table_name="notifications")
    op.drop_index(op.f("ix_notifications_authority_id"), table_name="notifications")
    op.drop_table("notifications")
    op.drop_index(
        op.f("ix_hidden_danger_extensions_enterprise_id"), table_name="hidden_danger_extensions"
    )
    op.drop_index(
        op.f("ix_hidden_danger_extensions_danger_id"), table_name="hidden_danger_extensions"
    )
    op.drop_index(
        op.f("ix_hidden_danger_extensions_authority_id"), table_name="hidden_danger_extensions"
    )
    op.drop_table("hidden_danger_extensions")
    op.drop_index(
        op.f("ix_hidden_danger_evidence_enterprise_id"), table_name="hidden_danger_evidence"
    )
    op.drop_index(op.f("ix_hidden_danger_evidence_danger_id"), table_name="hidden_danger_evidence")
    op.drop_index(
        op.f("ix_hidden_danger_evidence_authority_id"), table_name="hidden_danger_evidence"
    )
    op.drop_table("hidden_danger_evidence")
    op.drop_index(op.f("ix_hidden_danger_events_enterprise_id"), table_name="hidden_danger_events")
    op.drop_index(op.f("ix_hidden_danger_events_danger_id"), table_name="hidden_danger_events")
    op.drop_index(op.f("ix_hidden_danger_events_authority_id"), table_name="hidden_danger_events")
    op.drop_table("hidden_danger_events")
    op.drop_index(op.f("ix_hidden_dangers_state"), table_name="hidden_dangers")
    op.drop_index(op.f("ix_hidden_dangers_source_ref"), table_name="hidden_dangers")
    op.drop_index(op.f("ix_hidden_dangers_source"), table_name="hidden_dangers")
    op.drop_index(op.f("ix_hidden_dangers_severity"), table_name="hidden_dangers")
    op.drop_index("ix_hidden_dangers_open_deadline", table_name="hidden_dangers")
    op.drop_index(op.f("ix_hidden_dangers_enterprise_id"), table_name="hidden_dangers")
    op.drop_index(op.f("ix_hidden_dangers_authority_id"), table_name="hidden_dangers")
    op.drop_table("hidden_dangers")
    op.drop_index(
        op.f("ix_hidden_danger_reports_enterprise_id"), table_name="hidden_danger_reports"
    )
    op.drop_index(op.f("ix_hidden_danger_reports_authority_id"), table_name="hidden_danger_reports")
    op.drop_table("hidden_danger_reports")
    op.drop_index(
        op.f("ix_hidden_danger_overdue_runs_authority_id"), table_name="hidden_danger_overdue_runs"
    )
    op.drop_table("hidden_danger_overdue_runs")
