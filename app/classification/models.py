"""Enterprise classification (良好/正常/提醒/警示): the inputs the product now holds (accidents,
safety conditions, penalties, the blacklist), each authority's settings, every computed result
(history, with its explanation and model version), and each enterprise's current class with the
regulator's override."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.classification.rules import Level
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

LEVELS = tuple(str(level) for level in Level)


def _level(column: str) -> CheckConstraint:
    values = ", ".join(repr(v) for v in LEVELS)
    return CheckConstraint(f"{column} IS NULL OR {column} IN ({values})", name=column)


class Accident(IdMixin, EnterpriseOwnedMixin, TimestampMixin, VersionedMixin, Base):
    """A work-safety accident (生产安全事故), reported by the enterprise or entered by the
    regulator; audited like every write."""

    __tablename__ = "accidents"
    __table_args__ = (
        enterprise_fk(),
        CheckConstraint(
            "deaths >= 0 AND serious_injuries >= 0 AND minor_injuries >= 0 AND direct_loss >= 0",
            name="counts",
        ),
    )

    occurred_on: Mapped[dt.date] = mapped_column(Date, index=True)
    type_code: Mapped[str] = mapped_column(String(16))  # GB 6441-2025, e.g. WSA10009
    deaths: Mapped[int] = mapped_column(Integer, default=0)
    serious_injuries: Mapped[int] = mapped_column(Integer, default=0)
    minor_injuries: Mapped[int] = mapped_column(Integer, default=0)
    direct_loss: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal(0))
    description: Mapped[str] = mapped_column(Text)
    reported_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)


class SafetyConditions(IdMixin, EnterpriseOwnedMixin, TimestampMixin, VersionedMixin, Base):
    """The enterprise's safety conditions, one row per enterprise: certificates with their
    expiry dates, staffing, insurance. Expired items count as missing from the next day."""

    __tablename__ = "safety_conditions"
    __table_args__ = (UniqueConstraint("enterprise_id"), enterprise_fk())

    principal_certificate_expires: Mapped[dt.date | None] = mapped_column(Date)
    # One expiry date (or null: none) per safety manager in post.
    safety_manager_certificates: Mapped[list] = mapped_column(JSON, default=list)
    safety_managers_required: Mapped[int] = mapped_column(Integer, default=1)
    special_operators_required: Mapped[int] = mapped_column(Integer, default=0)
    special_operator_certificates: Mapped[list] = mapped_column(JSON, default=list)
    insurance_expires: Mapped[dt.date | None] = mapped_column(Date)


class Penalty(IdMixin, EnterpriseOwnedMixin, TimestampMixin, VersionedMixin, Base):
    """An administrative penalty, entered by the regulator."""

    __tablename__ = "penalties"
    __table_args__ = (enterprise_fk(), CheckConstraint("amount >= 0", name="amount"))

    decided_on: Mapped[dt.date] = mapped_column(Date, index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    legal_basis: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    entered_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)


class BlacklistEntry(IdMixin, EnterpriseOwnedMixin, TimestampMixin, VersionedMixin, Base):
    """A listing on the 失信名单: published while in force, and it forces the 警示 class."""

    __tablename__ = "blacklist_entries"
    __table_args__ = (enterprise_fk(), CheckConstraint("ends_on >= starts_on", name="period"))

    reason: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(String(300))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    listed_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(Text)


class ClassificationSettings(IdMixin, TenantMixin, TimestampMixin, VersionedMixin, Base):
    """An authority's scoring model (null: the product's default) and differentiated
    enforcement: sampling rate and annual cap per class."""

    __tablename__ = "classification_settings"
    __table_args__ = (UniqueConstraint("authority_id"),)

    model: Mapped[dict | None] = mapped_column(JSON)
    rates: Mapped[dict] = mapped_column(JSON)
    caps: Mapped[dict] = mapped_column(JSON)
    floors: Mapped[dict] = mapped_column(JSON, default=dict)


class ClassificationResult(IdMixin, EnterpriseOwnedMixin, Base):
    """One computation for one enterprise and day: the scores, every deduction with its facts,
    the vetoes and the model version. Kept as history."""

    __tablename__ = "classification_results"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "as_of", "model_version"),
        enterprise_fk(),
        _level("level"),
        _level("computed_level"),
    )

    as_of: Mapped[dt.date] = mapped_column(Date, index=True)
    model_version: Mapped[str] = mapped_column(String(32))
    total: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    computed_level: Mapped[str] = mapped_column(String(16))
    level: Mapped[str] = mapped_column(String(16))
    explanation: Mapped[dict] = mapped_column(JSON)
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class EnterpriseClass(IdMixin, EnterpriseOwnedMixin, TimestampMixin, VersionedMixin, Base):
    """The current class of one enterprise: the latest computed one and, beside it, the
    regulator's override (with its reason, until the end of the year)."""

    __tablename__ = "enterprise_classes"
    __table_args__ = (
        UniqueConstraint("enterprise_id"),
        enterprise_fk(),
        _level("level"),
        _level("override_level"),
    )

    level: Mapped[str] = mapped_column(String(16), index=True)
    total: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    as_of: Mapped[dt.date] = mapped_column(Date)
    model_version: Mapped[str] = mapped_column(String(32))
    result_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    changed_on: Mapped[dt.date] = mapped_column(Date, index=True)
    previous_level: Mapped[str | None] = mapped_column(String(16))
    override_level: Mapped[str | None] = mapped_column(String(16))
    override_reason: Mapped[str | None] = mapped_column(Text)
    override_until: Mapped[dt.date | None] = mapped_column(Date)
    override_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)

    def effective(self, today: dt.date) -> str:
        if self.override_level and self.override_until and today <= self.override_until:
            return self.override_level
        return self.level
