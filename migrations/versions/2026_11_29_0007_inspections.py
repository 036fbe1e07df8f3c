"""Inspections: checklists, inspector conflicts, annual plans with key enterprises and
exclusions, draws (commitment, snapshot, result), tasks and their teams, and the tablet's
records (inspections, teams, item results, findings, re-inspection verdicts, files); RLS on all.

Revision ID: 0007_inspections
Revises: 0006_idempotency_keys
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_inspections"
down_revision: str | Sequence[str] | None = "0006_idempotency_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "anjian_app"
AUTHORITY = "(SELECT app_setting_uuid('app.authority_id'))"
ENTERPRISE = "(SELECT app_setting_uuid('app.enterprise_id'))"
TENANT = f"authority_id = {AUTHORITY}"
# Enterprise users see their enterprise's rows; authority users every row of the authority.
OWNED = f"{TENANT} AND coalesce(enterprise_id = {ENTERPRISE}, {ENTERPRISE} IS NULL)"
# The authority's working papers: tasks (a drawn inspection is unannounced), teams, conflicts
# of interest, key-enterprise lists and exclusions. Never visible to enterprise users.
STAFF = f"{TENANT} AND {ENTERPRISE} IS NULL"
POLICIES = {
    "inspection_checklists": (TENANT, "SELECT, INSERT, UPDATE"),
    "inspection_checklist_items": (TENANT, "SELECT, INSERT"),  # items never change
    "inspector_conflicts": (STAFF, "SELECT, INSERT, UPDATE"),
    "inspection_plans": (TENANT, "SELECT, INSERT, UPDATE"),
    "inspection_plan_key_enterprises": (STAFF, "SELECT, INSERT, DELETE"),
    "inspection_plan_exclusions": (STAFF, "SELECT, INSERT, DELETE"),
    "inspection_draws": (TENANT, "SELECT, INSERT, UPDATE"),  # never deleted
    "inspection_tasks": (STAFF, "SELECT, INSERT, UPDATE"),
    "inspection_task_members": (STAFF, "SELECT, INSERT"),
    "inspections": (OWNED, "SELECT, INSERT, UPDATE"),
    "inspection_members": (OWNED, "SELECT, INSERT"),
    "inspection_item_results": (OWNED, "SELECT, INSERT, UPDATE"),
    "inspection_findings": (OWNED, "SELECT, INSERT, UPDATE"),
    "inspection_reviews": (OWNED, "SELECT, INSERT, UPDATE"),
    "inspection_files": (OWNED, "SELECT, INSERT"),
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
        "inspection_checklists",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("sector", sa.String(length=32), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_inspection_checklists_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_checklists")),
        sa.UniqueConstraint(
            "authority_id", "id", name=op.f("uq_inspection_checklists_authority_id_id")
        ),
    )
    op.create_index(
        op.f("ix_inspection_checklists_authority_id"),
        "inspection_checklists",
        ["authority_id"],
        unique=False,
    )
    op.create_table(
        "inspection_checklist_items",
        sa.Column("checklist_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("legal_basis", sa.String(length=300), nullable=False),
        sa.Column("must_check", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id", "checklist_id"],
            ["inspection_checklists.authority_id", "inspection_checklists.id"],
            name=op.f(
                "fk_inspection_checklist_items_authority_id_checklist_id_inspection_checklists"
            ),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_inspection_checklist_items_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_checklist_items")),
        sa.UniqueConstraint(
            "authority_id", "id", name=op.f("uq_inspection_checklist_items_authority_id_id")
        ),
        sa.UniqueConstraint(
            "checklist_id",
            "position",
            name=op.f("uq_inspection_checklist_items_checklist_id_position"),
        ),
    )
    op.create_index(
        op.f("ix_inspection_checklist_items_authority_id"),
        "inspection_checklist_items",
        ["authority_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_inspection_checklist_items_checklist_id"),
        "inspection_checklist_items",
        ["checklist_id"],
        unique=False,
    )
    op.create_table(
        "inspection_plans",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("sectors", sa.JSON(), nullable=False),
        sa.Column("street_ids", sa.JSON(), nullable=False),
        sa.Column("stratify", sa.String(length=16), nullable=False),
        sa.Column("rates", sa.JSON(), nullable=False),
        sa.Column("floor_per_year", sa.Integer(), nullable=False),
        sa.Column("cap_per_year", sa.Integer(), nullable=False),
        sa.Column("key_cycle", sa.String(length=16), nullable=False),
        sa.Column("team_size", sa.Integer(), nullable=False),
        sa.Column("checklist_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'active', 'closed')", name=op.f("ck_inspection_plans_status")
        ),
        sa.CheckConstraint(
            "stratify IN ('none', 'class_region')", name=op.f("ck_inspection_plans_stratify")
        ),
        sa.CheckConstraint(
            "floor_per_year >= 0 AND cap_per_year >= floor_per_year",
            name=op.f("ck_inspection_plans_floor_cap"),
        ),
        sa.CheckConstraint("team_size >= 2", name=op.f("ck_inspection_plans_team_size")),
        sa.ForeignKeyConstraint(
            ["authority_id", "checklist_id"],
            ["inspection_checklists.authority_id", "inspection_checklists.id"],
            name=op.f("fk_inspection_plans_authority_id_checklist_id_inspection_checklists"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_inspection_plans_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_plans")),
        sa.UniqueConstraint("authority_id", "id", name=op.f("uq_inspection_plans_authority_id_id")),
        sa.UniqueConstraint(
            "authority_id", "year", "name", name=op.f("uq_inspection_plans_authority_id_year_name")
        ),
    )
    op.create_index(
        op.f("ix_inspection_plans_authority_id"), "inspection_plans", ["authority_id"], unique=False
    )
    op.create_index(op.f("ix_inspection_plans_year"), "inspection_plans", ["year"], unique=False)
    op.create_table(
        "inspection_draws",
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("algorithm", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("commitment", sa.String(length=64), nullable=False),
        sa.Column("seed", sa.String(length=64), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("snapshot_sha256", sa.String(length=64), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("enforce_floor", sa.Boolean(), nullable=False),
        sa.Column("redraw_reason", sa.Text(), nullable=True),
        sa.Column("committed_by", sa.Uuid(), nullable=True),
        sa.Column("committed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("drawn_by", sa.Uuid(), nullable=True),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('committed', 'drawn', 'superseded')",
            name=op.f("ck_inspection_draws_status"),
        ),
        sa.CheckConstraint(
            "seq = 1 OR redraw_reason IS NOT NULL", name=op.f("ck_inspection_draws_redraw_reason")
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "plan_id"],
            ["inspection_plans.authority_id", "inspection_plans.id"],
            name=op.f("fk_inspection_draws_authority_id_plan_id_inspection_plans"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_inspection_draws_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_draws")),
        sa.UniqueConstraint("authority_id", "id", name=op.f("uq_inspection_draws_authority_id_id")),
        sa.UniqueConstraint(
            "plan_id", "period", "seq", name=op.f("uq_inspection_draws_plan_id_period_seq")
        ),
    )
    op.create_index(
        op.f("ix_inspection_draws_authority_id"), "inspection_draws", ["authority_id"], unique=False
    )
    op.create_index(
        op.f("ix_inspection_draws_plan_id"), "inspection_draws", ["plan_id"], unique=False
    )
    op.create_table(
        "inspection_plan_exclusions",
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=True),
        sa.Column("reason", sa.String(length=24), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("added_by", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "reason IN ('suspended', 'inspected_this_period', 'other', 'inactive', 'cap_reached', 'mandatory')",
            name=op.f("ck_inspection_plan_exclusions_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_inspection_plan_exclusions_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "plan_id"],
            ["inspection_plans.authority_id", "inspection_plans.id"],
            name=op.f("fk_inspection_plan_exclusions_authority_id_plan_id_inspection_plans"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_inspection_plan_exclusions_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_plan_exclusions")),
        sa.UniqueConstraint(
            "plan_id",
            "enterprise_id",
            "period",
            name=op.f("uq_inspection_plan_exclusions_plan_id_enterprise_id_period"),
        ),
    )
    op.create_index(
        op.f("ix_inspection_plan_exclusions_authority_id"),
        "inspection_plan_exclusions",
        ["authority_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_inspection_plan_exclusions_plan_id"),
        "inspection_plan_exclusions",
        ["plan_id"],
        unique=False,
    )
    op.create_table(
        "inspection_plan_key_enterprises",
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("added_by", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_inspection_plan_key_enterprises_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "plan_id"],
            ["inspection_plans.authority_id", "inspection_plans.id"],
            name=op.f("fk_inspection_plan_key_enterprises_authority_id_plan_id_inspection_plans"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_inspection_plan_key_enterprises_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_plan_key_enterprises")),
        sa.UniqueConstraint(
            "plan_id",
            "enterprise_id",
            name=op.f("uq_inspection_plan_key_enterprises_plan_id_enterprise_id"),
        ),
    )
    op.create_index(
        op.f("ix_inspection_plan_key_enterprises_authority_id"),
        "inspection_plan_key_enterprises",
        ["authority_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_inspection_plan_key_enterprises_plan_id"),
        "inspection_plan_key_enterprises",
        ["plan_id"],
        unique=False,
    )
    op.create_table(
        "inspection_tasks",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("plan_id", sa.Uuid(), nullable=True),
        sa.Column("draw_id", sa.Uuid(), nullable=True),
        sa.Column("checklist_id", sa.Uuid(), nullable=True),
        sa.Column("parent_inspection_id", sa.Uuid(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=120), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("cancelled_reason", sa.String(length=500), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('random', 'key', 'floor', 'reinspection')",
            name=op.f("ck_inspection_tasks_kind"),
        ),
        sa.CheckConstraint(
            "status IN ('open', 'done', 'cancelled')", name=op.f("ck_inspection_tasks_status")
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "checklist_id"],
            ["inspection_checklists.authority_id", "inspection_checklists.id"],
            name=op.f("fk_inspection_tasks_authority_id_checklist_id_inspection_checklists"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "draw_id"],
            ["inspection_draws.authority_id", "inspection_draws.id"],
            name=op.f("fk_inspection_tasks_authority_id_draw_id_inspection_draws"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_inspection_tasks_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "plan_id"],
            ["inspection_plans.authority_id", "inspection_plans.id"],
            name=op.f("fk_inspection_tasks_authority_id_plan_id_inspection_plans"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_inspection_tasks_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_tasks")),
        sa.UniqueConstraint(
            "authority_id", "dedupe_key", name=op.f("uq_inspection_tasks_authority_id_dedupe_key")
        ),
        sa.UniqueConstraint("authority_id", "id", name=op.f("uq_inspection_tasks_authority_id_id")),
    )
    op.create_index(
        op.f("ix_inspection_tasks_authority_id"), "inspection_tasks", ["authority_id"], unique=False
    )
    op.create_index(
        op.f("ix_inspection_tasks_draw_id"), "inspection_tasks", ["draw_id"], unique=False
    )
    op.create_index(
        op.f("ix_inspection_tasks_enterprise_id"),
        "inspection_tasks",
        ["enterprise_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_inspection_tasks_parent_inspection_id"),
        "inspection_tasks",
        ["parent_inspection_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_inspection_tasks_plan_id"), "inspection_tasks", ["plan_id"], unique=False
    )
    op.create_index(
        op.f("ix_inspection_tasks_status"), "inspection_tasks", ["status"], unique=False
    )
    op.create_table(
        "inspector_conflicts",
        sa.Column("inspector_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("declared_by", sa.Uuid(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.Uuid(), nullable=True),
        sa.Column("revoked_reason", sa.String(length=500), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('former_employer', 'relative', 'other')",
            name=op.f("ck_inspector_conflicts_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_inspector_conflicts_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "inspector_id"],
            ["users.authority_id", "users.id"],
            name=op.f("fk_inspector_conflicts_authority_id_inspector_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_inspector_conflicts_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspector_conflicts")),
        sa.UniqueConstraint(
            "authority_id", "id", name=op.f("uq_inspector_conflicts_authority_id_id")
        ),
    )
    op.create_index(
        op.f("ix_inspector_conflicts_authority_id"),
        "inspector_conflicts",
        ["authority_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_inspector_conflicts_enterprise_id"),
        "inspector_conflicts",
        ["enterprise_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_inspector_conflicts_inspector_id"),
        "inspector_conflicts",
        ["inspector_id"],
        unique=False,
    )
    op.create_table(
        "inspection_task_members",
        sa.Column("task_id", sa.Uuid(), nullable=False),
        sa.Column("inspector_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id", "inspector_id"],
            ["users.authority_id", "users.id"],
            name=op.f("fk_inspection_task_members_authority_id_inspector_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "task_id"],
            ["inspection_tasks.authority_id", "inspection_tasks.id"],
            name=op.f("fk_inspection_task_members_authority_id_task_id_inspection_tasks"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_inspection_task_members_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_task_members")),
        sa.UniqueConstraint(
            "task_id", "inspector_id", name=op.f("uq_inspection_task_members_task_id_inspector_id")
        ),
    )
    op.create_index(
        op.f("ix_inspection_task_members_authority_id"),
        "inspection_task_members",
        ["authority_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_inspection_task_members_inspector_id"),
        "inspection_task_members",
        ["inspector_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_inspection_task_members_task_id"),
        "inspection_task_members",
        ["task_id"],
        unique=False,
    )
    op.create_table(
        "inspections",
        sa.Column("task_id", sa.Uuid(), nullable=True),
        sa.Column("checklist_id", sa.Uuid(), nullable=True),
        sa.Column("reinspection_of", sa.Uuid(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("responsible_person", sa.String(length=60), nullable=False),
        sa.Column("responsible_title", sa.String(length=60), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("signature_refused_note", sa.String(length=500), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=24), nullable=True),
        sa.Column("request_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('no_findings', 'findings', 'all_rectified', 'not_all_rectified')",
            name=op.f("ck_inspections_outcome"),
        ),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_inspections_status")),
        sa.ForeignKeyConstraint(
            ["authority_id", "checklist_id"],
            ["inspection_checklists.authority_id", "inspection_checklists.id"],
            name=op.f("fk_inspections_authority_id_checklist_id_inspection_checklists"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_inspections_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "task_id"],
            ["inspection_tasks.authority_id", "inspection_tasks.id"],
            name=op.f("fk_inspections_authority_id_task_id_inspection_tasks"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_inspections_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspections")),
        sa.UniqueConstraint("authority_id", "id", name=op.f("uq_inspections_authority_id_id")),
    )
    op.create_index(
        op.f("ix_inspections_authority_id"), "inspections", ["authority_id"], unique=False
    )
    op.create_index(
        op.f("ix_inspections_enterprise_id"), "inspections", ["enterprise_id"], unique=False
    )
    op.create_index(
        op.f("ix_inspections_reinspection_of"), "inspections", ["reinspection_of"], unique=False
    )
    op.create_index(op.f("ix_inspections_status"), "inspections", ["status"], unique=False)
    op.create_index(op.f("ix_inspections_task_id"), "inspections", ["task_id"], unique=False)
    op.create_table(
        "inspection_findings",
        sa.Column("inspection_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("category", sa.String(length=24), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("legal_basis", sa.String(length=300), nullable=True),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("latitude", sa.Numeric(precision=9, scale=6), nullable=True),
        sa.Column("longitude", sa.Numeric(precision=9, scale=6), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("request_sha256", sa.String(length=64), nullable=False),
        sa.Column("danger_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "category IN ('unsafe_condition', 'unsafe_act', 'management_defect')",
            name=op.f("ck_inspection_findings_category"),
        ),
        sa.CheckConstraint(
            "severity IN ('general', 'major')", name=op.f("ck_inspection_findings_severity")
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "danger_id"],
            ["hidden_dangers.authority_id", "hidden_dangers.id"],
            name=op.f("fk_inspection_findings_authority_id_danger_id_hidden_dangers"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_inspection_findings_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "inspection_id"],
            ["inspections.authority_id", "inspections.id"],
            name=op.f("fk_inspection_findings_authority_id_inspection_id_inspections"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "item_id"],
            ["inspection_checklist_items.authority_id", "inspection_checklist_items.id"],
            name=op.f("fk_inspection_findings_authority_id_item_id_inspection_checklist_items"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_inspection_findings_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_findings")),
        sa.UniqueConstraint(
            "authority_id", "id", name=op.f("uq_inspection_findings_authority_id_id")
        ),
    )
    op.create_index(
        op.f("ix_inspection_findings_authority_id"),
        "inspection_findings",
        ["authority_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_inspection_findings_danger_id"), "inspection_findings", ["danger_id"], unique=False
    )
    op.create_index(
        op.f("ix_inspection_findings_enterprise_id"),
        "inspection_findings",
        ["enterprise_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_inspection_findings_inspection_id"),
        "inspection_findings",
        ["inspection_id"],
        unique=False,
    )
    op.create_table(
        "inspection_item_results",
        sa.Column("inspection_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "result IN ('compliant', 'non_compliant', 'not_applicable')",
            name=op.f("ck_inspection_item_results_result"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_inspection_item_results_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "inspection_id"],
            ["inspections.authority_id", "inspections.id"],
            name=op.f("fk_inspection_item_results_authority_id_inspection_id_inspections"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "item_id"],
            ["inspection_checklist_items.authority_id", "inspection_checklist_items.id"],
            name=op.f("fk_inspection_item_results_authority_id_item_id_inspection_checklist_items"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_inspection_item_results_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_item_results")),
        sa.UniqueConstraint(
            "inspection_id",
            "item_id",
            name=op.f("uq_inspection_item_results_inspection_id_item_id"),
        ),
    )
    op.create_index(
        op.f("ix_inspection_item_results_authority_id"),
        "inspection_item_results",
        ["authority_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_inspection_item_results_enterprise_id"),
        "inspection_item_results",
        ["enterprise_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_inspection_item_results_inspection_id"),
        "inspection_item_results",
        ["inspection_id"],
        unique=False,
    )
    op.create_table(
        "inspection_members",
        sa.Column("inspection_id", sa.Uuid(), nullable=False),
        sa.Column("inspector_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_inspection_members_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "inspection_id"],
            ["inspections.authority_id", "inspections.id"],
            name=op.f("fk_inspection_members_authority_id_inspection_id_inspections"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "inspector_id"],
            ["users.authority_id", "users.id"],
            name=op.f("fk_inspection_members_authority_id_inspector_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_inspection_members_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_members")),
        sa.UniqueConstraint(
            "inspection_id",
            "inspector_id",
            name=op.f("uq_inspection_members_inspection_id_inspector_id"),
        ),
    )
    op.create_index(
        op.f("ix_inspection_members_authority_id"),
        "inspection_members",
        ["authority_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_inspection_members_enterprise_id"),
        "inspection_members",
        ["enterprise_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_inspection_members_inspection_id"),
        "inspection_members",
        ["inspection_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_inspection_members_inspector_id"),
        "inspection_members",
        ["inspector_id"],
        unique=False,
    )
    op.create_table(
        "inspection_files",
        sa.Column("inspection_id", sa.Uuid(), nullable=False),
        sa.Column("finding_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("signer", sa.String(length=24), nullable=True),
        sa.Column("signer_id", sa.Uuid(), nullable=True),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("latitude", sa.Numeric(precision=9, scale=6), nullable=True),
        sa.Column("longitude", sa.Numeric(precision=9, scale=6), nullable=True),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("uploaded_by", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('photo', 'signature')", name=op.f("ck_inspection_files_kind")),
        sa.CheckConstraint(
            "signer IN ('inspector', 'responsible_person')", name=op.f("ck_inspection_files_signer")
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_inspection_files_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "finding_id"],
            ["inspection_findings.authority_id", "inspection_findings.id"],
            name=op.f("fk_inspection_files_authority_id_finding_id_inspection_findings"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "inspection_id"],
            ["inspections.authority_id", "inspections.id"],
            name=op.f("fk_inspection_files_authority_id_inspection_id_inspections"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "signer_id"],
            ["users.authority_id", "users.id"],
            name=op.f("fk_inspection_files_authority_id_signer_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_inspection_files_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_files")),
        sa.UniqueConstraint("authority_id", "id", name=op.f("uq_inspection_files_authority_id_id")),
        sa.UniqueConstraint("key", name=op.f("uq_inspection_files_key")),
    )
    op.create_index(
        op.f("ix_inspection_files_authority_id"), "inspection_files", ["authority_id"], unique=False
    )
    op.create_index(
        op.f("ix_inspection_files_enterprise_id"),
        "inspection_files",
        ["enterprise_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_inspection_files_inspection_id"),
        "inspection_files",
        ["inspection_id"],
        unique=False,
    )
    op.create_table(
        "inspection_reviews",
        sa.Column("inspection_id", sa.Uuid(), nullable=False),
        sa.Column("finding_id", sa.Uuid(), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("authority_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "verdict IN ('rectified', 'not_rectified')", name=op.f("ck_inspection_reviews_verdict")
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "enterprise_id"],
            ["enterprises.authority_id", "enterprises.id"],
            name=op.f("fk_inspection_reviews_authority_id_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "finding_id"],
            ["inspection_findings.authority_id", "inspection_findings.id"],
            name=op.f("fk_inspection_reviews_authority_id_finding_id_inspection_findings"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id", "inspection_id"],
            ["inspections.authority_id", "inspections.id"],
            name=op.f("fk_inspection_reviews_authority_id_inspection_id_inspections"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_inspection_reviews_authority_id_authorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_reviews")),
        sa.UniqueConstraint(
            "inspection_id",
            "finding_id",
            name=op.f("uq_inspection_reviews_inspection_id_finding_id"),
        ),
    )
    op.create_index(
        op.f("ix_inspection_reviews_authority_id"),
        "inspection_reviews",
        ["authority_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_inspection_reviews_enterprise_id"),
        "inspection_reviews",
        ["enterprise_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_inspection_reviews_inspection_id"),
        "inspection_reviews",
        ["inspection_id"],
        unique=False,
    )

    for table in ("inspection_plan_exclusions", "inspection_plan_key_enterprises"):
        op.create_index(f"ix_{table}_enterprise_id", table, ["enterprise_id"], unique=False)
    if _postgres():
        _secure()


def downgrade() -> None:
    if _postgres():
        _unsecure()
    for table in ("inspection_plan_exclusions", "inspection_plan_key_enterprises"):
        op.drop_index(f"ix_{table}_enterprise_id", table_name=table)
    op.drop_index(op.f("ix_inspection_reviews_inspection_id"), table_name="inspection_reviews")
    op.drop_index(op.f("ix_inspection_reviews_enterprise_id"), table_name="inspection_reviews")
    op.drop_index(op.f("ix_inspection_reviews_authority_id"), table_name="inspection_reviews")
    op.drop_table("inspection_reviews")
    op.drop_index(op.f("ix_inspection_files_inspection_id"), table_name="inspection_files")
    op.drop_index(op.f("ix_inspection_files_enterprise_id"), table_name="inspection_files")
    op.drop_index(op.f("ix_inspection_files_authority_id"), table_name="inspection_files")
    op.drop_table("inspection_files")
    op.drop_index(op.f("ix_inspection_members_inspector_id"), table_name="inspection_members")
    op.drop_index(op.f("ix_inspection_members_inspection_id"), table_name="inspection_members")
    op.drop_index(op.f("ix_inspection_members_enterprise_id"), table_name="inspection_members")
    op.drop_index(op.f("ix_inspection_members_authority_id"), table_name="inspection_members")
    op.drop_table("inspection_members")
    op.drop_index(
        op.f("ix_inspection_item_results_inspection_id"), table_name="inspection_item_results"
    )
    op.drop_index(
        op.f("ix_inspection_item_results_enterprise_id"), table_name="inspection_item_results"
    )
    op.drop_index(
        op.f("ix_inspection_item_results_authority_id"), table_name="inspection_item_results"
    )
    op.drop_table("inspection_item_results")
    op.drop_index(op.f("ix_inspection_findings_inspection_id"), table_name="inspection_findings")
    op.drop_index(op.f("ix_inspection_findings_enterprise_id"), table_name="inspection_findings")
    op.drop_index(op.f("ix_inspection_findings_danger_id"), table_name="inspection_findings")
    op.drop_index(op.f("ix_inspection_findings_authority_id"), table_name="inspection_findings")
    op.drop_table("inspection_findings")
    op.drop_index(op.f("ix_inspections_task_id"), table_name="inspections")
    op.drop_index(op.f("ix_inspections_status"), table_name="inspections")
    op.drop_index(op.f("ix_inspections_reinspection_of"), table_name="inspections")
    op.drop_index(op.f("ix_inspections_enterprise_id"), table_name="inspections")
    op.drop_index(op.f("ix_inspections_authority_id"), table_name="inspections")
    op.drop_table("inspections")
    op.drop_index(op.f("ix_inspection_task_members_task_id"), table_name="inspection_task_members")
    op.drop_index(
        op.f("ix_inspection_task_members_inspector_id"), table_name="inspection_task_members"
    )
    op.drop_index(
        op.f("ix_inspection_task_members_authority_id"), table_name="inspection_task_members"
    )
    op.drop_table("inspection_task_members")
    op.drop_index(op.f("ix_inspector_conflicts_inspector_id"), table_name="inspector_conflicts")
    op.drop_index(op.f("ix_inspector_conflicts_enterprise_id"), table_name="inspector_conflicts")
    op.drop_index(op.f("ix_inspector_conflicts_authority_id"), table_name="inspector_conflicts")
    op.drop_table("inspector_conflicts")
    op.drop_index(op.f("ix_inspection_tasks_status"), table_name="inspection_tasks")
    op.drop_index(op.f("ix_inspection_tasks_plan_id"), table_name="inspection_tasks")
    op.drop_index(op.f("ix_inspection_tasks_parent_inspection_id"), table_name="inspection_tasks")
    op.drop_index(op.f("ix_inspection_tasks_enterprise_id"), table_name="inspection_tasks")
    op.drop_index(op.f("ix_inspection_tasks_draw_id"), table_name="inspection_tasks")
    op.drop_index(op.f("ix_inspection_tasks_authority_id"), table_name="inspection_tasks")
    op.drop_table("inspection_tasks")
    op.drop_index(
        op.f("ix_inspection_plan_key_enterprises_plan_id"),
        table_name="inspection_plan_key_enterprises",
    )
    op.drop_index(
        op.f("ix_inspection_plan_key_enterprises_authority_id"),
        table_name="inspection_plan_key_enterprises",
    )
    op.drop_table("inspection_plan_key_enterprises")
    op.drop_index(
        op.f("ix_inspection_plan_exclusions_plan_id"), table_name="inspection_plan_exclusions"
    )
    op.drop_index(
        op.f("ix_inspection_plan_exclusions_authority_id"), table_name="inspection_plan_exclusions"
    )
    op.drop_table("inspection_plan_exclusions")
    op.drop_index(op.f("ix_inspection_draws_plan_id"), table_name="inspection_draws")
    op.drop_index(op.f("ix_inspection_draws_authority_id"), table_name="inspection_draws")
    op.drop_table("inspection_draws")
    op.drop_index(op.f("ix_inspection_plans_year"), table_name="inspection_plans")
    op.drop_index(op.f("ix_inspection_plans_authority_id"), table_name="inspection_plans")
    op.drop_table("inspection_plans")
    op.drop_index(
        op.f("ix_inspection_checklist_items_checklist_id"), table_name="inspection_checklist_items"
    )
    op.drop_index(
        op.f("ix_inspection_checklist_items_authority_id"), table_name="inspection_checklist_items"
    )
    op.drop_table("inspection_checklist_items")
    op.drop_index(op.f("ix_inspection_checklists_authority_id"), table_name="inspection_checklists")
    op.drop_table("inspection_checklists")
