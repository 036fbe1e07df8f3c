from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKeyConstraint,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    Uuid,
    and_,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, IdMixin, TenantMixin, TenantViolation, TimestampMixin, VersionedMixin


class Enterprise(IdMixin, TenantMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "enterprises"
    __table_args__ = (
        UniqueConstraint("authority_id", "id"),
        UniqueConstraint("authority_id", "uscc"),
        ForeignKeyConstraint(["authority_id", "region_id"], ["regions.authority_id", "regions.id"]),
        ForeignKeyConstraint(["authority_id", "street_id"], ["regions.authority_id", "regions.id"]),
        CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude"),
        CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude"),
        CheckConstraint("headcount >= 0", name="headcount"),
        CheckConstraint("standardization_grade IN (1, 2, 3)", name="grade"),
    )

    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str] = mapped_column(String(18))
    sector: Mapped[str] = mapped_column(String(32), index=True)
    industry: Mapped[str | None] = mapped_column(String(80))
    region_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    # Derived from the region on every write; what a street-level regulator is limited by.
    street_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    address: Mapped[str | None] = mapped_column(String(300))
    longitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    latitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    is_key: Mapped[bool] = mapped_column(Boolean, default=False)
    standardization_grade: Mapped[int | None] = mapped_column(Integer)
    legal_representative: Mapped[str | None] = mapped_column(String(60))
    safety_contact_name: Mapped[str | None] = mapped_column(String(60))
    safety_contact_phone: Mapped[str | None] = mapped_column(String(30))
    headcount: Mapped[int | None] = mapped_column(Integer)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    @classmethod
    def scope_criteria(cls, scope):
        base = super().scope_criteria(scope)
        if scope.enterprise_id is not None:
            return and_(base, cls.id == scope.enterprise_id)
        if scope.street_id is not None:
            return and_(base, cls.street_id == scope.street_id)
        return base

    def stamp_scope(self, scope) -> None:
        super().stamp_scope(scope)
        self._check_narrow(scope)

    def check_scope_unchanged(self, scope) -> None:
        super().check_scope_unchanged(scope)
        self._check_narrow(scope)

    def _check_narrow(self, scope) -> None:
        if scope.enterprise_id is not None and self.id != scope.enterprise_id:
            raise TenantViolation("enterprise user writing another enterprise")
        if scope.street_id is not None and self.street_id != scope.street_id:
            raise TenantViolation("street regulator writing outside its street")
