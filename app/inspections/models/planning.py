"""Checklists, the inspector directory's conflicts, annual plans and their draws."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import (
    Base,
    EnterpriseOwnedMixin,
    IdMixin,
    TenantMixin,
    TimestampMixin,
    UTCDateTime,
    VersionedMixin,
)
from app.inspections.models.common import AuthorityOnly, fk, in_enum
from app.inspections.rules.enums import (
    ConflictKind,
    DrawStatus,
    ExclusionReason,
    PlanStatus,
    Stratification,
)


class Checklist(IdMixin, TenantMixin, TimestampMixin, VersionedMixin, Base):
    """A template of check items for one sector (or all); its items never change once made, so
    a recorded result always points at the text that was checked."""

    __tablename__ = "inspection_checklists"
    __table_args__ = (UniqueConstraint("authority_id", "id"),)

    name: Mapped[str] = mapped_column(String(120))
    sector: Mapped[str | None] = mapped_column(String(32))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)


class ChecklistItem(IdMixin, TenantMixin, Base):
    """One check item with its legal basis (no inspection item without one, 国办发〔2015〕58号)."""

    __tablename__ = "inspection_checklist_items"
    __table_args__ = (
        UniqueConstraint("authority_id", "id"),
        UniqueConstraint("checklist_id", "position"),
        fk("checklist_id", "inspection_checklists"),
    )

    checklist_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(500))
    legal_basis: Mapped[str] = mapped_column(String(300))
    # "Must-check" items (e.g. treatment of major hidden dangers, 应急〔2025〕11号).
    must_check: Mapped[bool] = mapped_column(Boolean, default=False)


class InspectorConflict(
    IdMixin, AuthorityOnly, EnterpriseOwnedMixin, TimestampMixin, VersionedMixin, Base
):
    """A declared conflict of interest that bars an inspector from one enterprise (回避)."""

    __tablename__ = "inspector_conflicts"
    __table_args__ = (
        UniqueConstraint("authority_id", "id"),
        fk("inspector_id", "users"),
        fk("enterprise_id", "enterprises"),
        in_enum("kind", ConflictKind),
    )

    inspector_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    kind: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str] = mapped_column(String(500))
    declared_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    revoked_reason: Mapped[str | None] = mapped_column(String(500))


class Plan(IdMixin, TenantMixin, TimestampMixin, VersionedMixin, Base):
    """An annual enforcement plan (年度监督检查计划, 安全生产法 Art.62)."""

    __tablename__ = "inspection_plans"
    __table_args__ = (
        UniqueConstraint("authority_id", "id"),
        UniqueConstraint("authority_id", "year", "name"),
        fk("checklist_id", "inspection_checklists"),
        in_enum("status", PlanStatus),
        in_enum("stratify", Stratification),
        CheckConstraint("team_size >= 2", name="team_size"),
        CheckConstraint("floor_per_year >= 0 AND cap_per_year >= floor_per_year", name="floor_cap"),
    )

    year: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(120))
    # Scope: empty lists mean every sector / every street of the authority.
    sectors: Mapped[list] = mapped_column(JSON, default=list)
    street_ids: Mapped[list] = mapped_column(JSON, default=list)
    stratify: Mapped[str] = mapped_column(String(16), default=str(Stratification.NONE))
    # Sampling rate per enterprise class as decimal strings ({"default": "0.15"} until
    # enterprises are classified).
    rates: Mapped[dict] = mapped_column(JSON)
    floor_per_year: Mapped[int] = mapped_column(Integer, default=0)
    cap_per_year: Mapped[int] = mapped_column(Integer)
    key_cycle: Mapped[str] = mapped_column(String(16), default="quarter")
    team_size: Mapped[int] = mapped_column(Integer, default=2)
    checklist_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    status: Mapped[str] = mapped_column(String(16), default=str(PlanStatus.DRAFT))
    created_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)


class PlanKeyEnterprise(IdMixin, AuthorityOnly, EnterpriseOwnedMixin, TimestampMixin, Base):
    """An enterprise the plan inspects at its fixed cycle (重点检查), not by lot."""

    __tablename__ = "inspection_plan_key_enterprises"
    __table_args__ = (
        UniqueConstraint("plan_id", "enterprise_id"),
        fk("plan_id", "inspection_plans"),
        fk("enterprise_id", "enterprises"),
    )

    plan_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    added_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)


class PlanExclusion(IdMixin, AuthorityOnly, EnterpriseOwnedMixin, TimestampMixin, Base):
    """An explicit, recorded exclusion from the draw: for the whole plan, or one period."""

    __tablename__ = "inspection_plan_exclusions"
    __table_args__ = (
        UniqueConstraint("plan_id", "enterprise_id", "period"),
        fk("plan_id", "inspection_plans"),
        fk("enterprise_id", "enterprises"),
        in_enum("reason", ExclusionReason),
    )

    plan_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    # NULL: every draw of the plan; else one period such as "2026-Q1".
    period: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(24))
    note: Mapped[str | None] = mapped_column(String(500))
    added_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)


class Draw(IdMixin, TenantMixin, TimestampMixin, VersionedMixin, Base):
    """One double-random draw (双随机) of a plan for one period: commitment and frozen snapshot
    first, then the seed and the result. Never deleted: a re-draw supersedes it."""

    __tablename__ = "inspection_draws"
    __table_args__ = (
        UniqueConstraint("authority_id", "id"),
        UniqueConstraint("plan_id", "period", "seq"),
        fk("plan_id", "inspection_plans"),
        in_enum("status", DrawStatus),
        CheckConstraint("seq = 1 OR redraw_reason IS NOT NULL", name="redraw_reason"),
    )

    plan_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    period: Mapped[str] = mapped_column(String(16))
    seq: Mapped[int] = mapped_column(Integer)
    algorithm: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default=str(DrawStatus.COMMITTED))
    commitment: Mapped[str] = mapped_column(String(64))
    # Secret until the draw is executed; the API shows it only once status is drawn.
    seed: Mapped[str] = mapped_column(String(64))
    snapshot: Mapped[dict] = mapped_column(JSON)
    snapshot_sha256: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict | None] = mapped_column(JSON)
    due_date: Mapped[dt.date] = mapped_column(Date)
    enforce_floor: Mapped[bool] = mapped_column(Boolean, default=False)
    redraw_reason: Mapped[str | None] = mapped_column(Text)
    committed_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    committed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    drawn_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    drawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    superseded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
