from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKeyConstraint,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import (
    Base,
    EnterpriseOwnedMixin,
    IdMixin,
    TimestampMixin,
    UTCDateTime,
    VersionedMixin,
    enterprise_fk,
    utcnow,
)


class HazardSource(IdMixin, EnterpriseOwnedMixin, TimestampMixin, VersionedMixin, Base):
    """A production or storage unit in the register, with its current identification result."""

    __tablename__ = "hazard_sources"
    __table_args__ = (
        UniqueConstraint("authority_id", "id"),
        enterprise_fk(),
        CheckConstraint("unit_kind IN ('production', 'storage')", name="unit_kind"),
        CheckConstraint("exposed_population >= 0", name="population"),
        CheckConstraint("level BETWEEN 1 AND 4", name="level"),
        CheckConstraint(
            "filing_status IN ('draft', 'submitted', 'filed', 'returned')", name="filing_status"
        ),
    )

    name: Mapped[str] = mapped_column(String(120))
    unit_kind: Mapped[str] = mapped_column(String(16))
    location: Mapped[str | None] = mapped_column(String(200))
    exposed_population: Mapped[int] = mapped_column(Integer)
    # The substances as entered (cas/name/category, quantity_t): the inputs to the assessment.
    substances: Mapped[list] = mapped_column(JSON)
    principal_name: Mapped[str | None] = mapped_column(String(60))
    principal_phone: Mapped[str | None] = mapped_column(String(30))
    technical_name: Mapped[str | None] = mapped_column(String(60))
    technical_phone: Mapped[str | None] = mapped_column(String(30))
    operational_name: Mapped[str | None] = mapped_column(String(60))
    operational_phone: Mapped[str | None] = mapped_column(String(30))
    continuous_monitoring: Mapped[bool] = mapped_column(Boolean, default=False)
    gas_detection: Mapped[bool] = mapped_column(Boolean, default=False)
    emergency_shutdown: Mapped[bool] = mapped_column(Boolean, default=False)
    last_evaluated_on: Mapped[dt.date | None] = mapped_column(Date)
    # Derived on every write, so the deadlines can be filtered on in SQL.
    reevaluation_due_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    filing_due_on: Mapped[dt.date | None] = mapped_column(Date)
    change_pending: Mapped[bool] = mapped_column(Boolean, default=False)
    # The current result (the latest assessment), denormalised for lists and filters.
    is_major: Mapped[bool] = mapped_column(Boolean, index=True)
    level: Mapped[int | None] = mapped_column(Integer, index=True)
    sum_ratio: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    r_value: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    data_version: Mapped[str] = mapped_column(String(20))
    result: Mapped[dict] = mapped_column(JSON)
    filing_status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    filing_note: Mapped[str | None] = mapped_column(String(500))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    filed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    filed_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class HazardAssessment(IdMixin, EnterpriseOwnedMixin, Base):
    """One computed result, kept for history: what was computed from what, and when."""

    __tablename__ = "hazard_assessments"
    __table_args__ = (
        enterprise_fk(),
        ForeignKeyConstraint(
            ["authority_id", "hazard_source_id"],
            ["hazard_sources.authority_id", "hazard_sources.id"],
        ),
    )

    hazard_source_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    computed_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    inputs_digest: Mapped[str] = mapped_column(String(64))
    is_major: Mapped[bool] = mapped_column(Boolean)
    level: Mapped[int | None] = mapped_column(Integer)
    sum_ratio: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    r_value: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    data_version: Mapped[str] = mapped_column(String(20))
    result: Mapped[dict] = mapped_column(JSON)
