from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
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
    enterprise_fk,
    utcnow,
)


class RiskSettings(IdMixin, TenantMixin, TimestampMixin, VersionedMixin, Base):
    """An authority's grading convention (LEC/LS bands, control tiers); default when absent."""

    __tablename__ = "risk_settings"
    __table_args__ = (UniqueConstraint("authority_id"),)

    grading: Mapped[dict] = mapped_column(JSON)


class RiskPoint(IdMixin, EnterpriseOwnedMixin, TimestampMixin, VersionedMixin, Base):
    """A risk point of an enterprise's working risk list, with both assessments graded."""

    __tablename__ = "risk_points"
    __table_args__ = (UniqueConstraint("authority_id", "id"), enterprise_fk())

    code: Mapped[str | None] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    area: Mapped[str | None] = mapped_column(String(120))
    point_type: Mapped[str] = mapped_column(String(32))
    activity: Mapped[str | None] = mapped_column(String(200))
    hazard_factors: Mapped[str] = mapped_column(Text)
    accident_types: Mapped[list] = mapped_column(JSON)
    inherent: Mapped[dict] = mapped_column(JSON)
    inherent_score: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    inherent_level: Mapped[str] = mapped_column(String(16))
    residual: Mapped[dict] = mapped_column(JSON)
    residual_score: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    residual_level: Mapped[str] = mapped_column(String(16), index=True)
    color: Mapped[str] = mapped_column(String(8))
    control_tier: Mapped[str] = mapped_column(String(16))
    grading_version: Mapped[str] = mapped_column(String(40))
    measures: Mapped[dict] = mapped_column(JSON)
    responsible_department: Mapped[str | None] = mapped_column(String(60))
    responsible_person: Mapped[str | None] = mapped_column(String(60))
    control_status: Mapped[str] = mapped_column(String(16))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class RiskListVersion(IdMixin, EnterpriseOwnedMixin, Base):
    """A published, frozen risk list: its entries never change; a newer version replaces it."""

    __tablename__ = "risk_list_versions"
    __table_args__ = (
        UniqueConstraint("authority_id", "id"),
        UniqueConstraint("enterprise_id", "number"),
        enterprise_fk(),
        # At most one current version per enterprise, even under concurrent publishing.
        Index(
            "uq_risk_list_versions_current",
            "enterprise_id",
            unique=True,
            postgresql_where=text("is_current"),
            sqlite_where=text("is_current"),
        ),
    )

    number: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    point_count: Mapped[int] = mapped_column(Integer)
    highest_level: Mapped[str | None] = mapped_column(String(16))
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)


class RiskListEntry(IdMixin, EnterpriseOwnedMixin, Base):
    """One risk point as published in a version (a frozen copy)."""

    __tablename__ = "risk_list_entries"
    __table_args__ = (
        enterprise_fk(),
        ForeignKeyConstraint(
            ["authority_id", "version_id"],
            ["risk_list_versions.authority_id", "risk_list_versions.id"],
        ),
        # Covering on PostgreSQL: grading reads only these columns (an index-only scan).
        Index(
            "ix_risk_list_entries_version_id",
            "version_id",
            postgresql_include=["authority_id", "enterprise_id", "residual_rank"],
        ),
    )

    version_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    risk_point_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    # 4 major … 1 low: what the grading aggregates.
    residual_rank: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict] = mapped_column(JSON)


class GradeInputsMixin:
    """What a grade was computed from, as counts (SQL writes them set-based; the pure rule reads
    them back to explain the grade): published risk points per residual level, and major hazard
    sources per level, and open and overdue major hidden dangers."""

    residual_major: Mapped[int] = mapped_column(Integer, default=0)
    residual_significant: Mapped[int] = mapped_column(Integer, default=0)
    residual_general: Mapped[int] = mapped_column(Integer, default=0)
    residual_low: Mapped[int] = mapped_column(Integer, default=0)
    hazard_level1: Mapped[int] = mapped_column(Integer, default=0)
    hazard_level2: Mapped[int] = mapped_column(Integer, default=0)
    hazard_level3: Mapped[int] = mapped_column(Integer, default=0)
    hazard_level4: Mapped[int] = mapped_column(Integer, default=0)
    open_major_hidden_dangers: Mapped[int] = mapped_column(Integer, default=0)
    overdue_major_hidden_dangers: Mapped[int] = mapped_column(Integer, default=0)


class RiskColor(IdMixin, EnterpriseOwnedMixin, GradeInputsMixin, Base):
    """An enterprise's current four-color grade (written set-based by the grading job)."""

    __tablename__ = "risk_colors"
    __table_args__ = (UniqueConstraint("enterprise_id"), enterprise_fk())

    color: Mapped[str] = mapped_column(String(8), index=True)
    inputs_digest: Mapped[str] = mapped_column(String(64))
    rule_version: Mapped[str] = mapped_column(String(20))
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class RiskGrade(IdMixin, EnterpriseOwnedMixin, GradeInputsMixin, Base):
    """Every computed grade whose inputs differ from the previous one (history)."""

    __tablename__ = "risk_grades"
    __table_args__ = (
        enterprise_fk(),
        Index("ix_risk_grades_authority_computed", "authority_id", "computed_at"),
    )

    color: Mapped[str] = mapped_column(String(8))
    previous_color: Mapped[str | None] = mapped_column(String(8))
    inputs_digest: Mapped[str] = mapped_column(String(64))
    rule_version: Mapped[str] = mapped_column(String(20))
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
