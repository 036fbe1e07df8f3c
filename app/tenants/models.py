from __future__ import annotations

import uuid

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKeyConstraint,
    Index,
    String,
    UniqueConstraint,
    Uuid,
    false,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, IdMixin, TenantMixin, TenantViolation, TimestampMixin, VersionedMixin


class Authority(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "authorities"

    name: Mapped[str] = mapped_column(String(120), unique=True)
    short_name: Mapped[str] = mapped_column(String(20), unique=True)
    # Named in the statutory remedy clause of enforcement documents.
    reconsideration_body: Mapped[str | None] = mapped_column(String(120))
    court: Mapped[str | None] = mapped_column(String(120))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    @classmethod
    def scope_criteria(cls, scope):
        if scope.platform:
            return true()
        if scope.authority_id is None:
            return false()
        return cls.id == scope.authority_id

    def stamp_scope(self, scope) -> None:
        if not scope.platform and not scope.system:
            raise TenantViolation("only the platform operator creates authorities")

    def check_scope_unchanged(self, scope) -> None:
        if not scope.platform and self.id != scope.authority_id:
            raise TenantViolation("update of another authority")


class Region(IdMixin, TenantMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "regions"
    __table_args__ = (
        UniqueConstraint("authority_id", "id"),
        UniqueConstraint("authority_id", "parent_id", "name"),
        ForeignKeyConstraint(["authority_id", "parent_id"], ["regions.authority_id", "regions.id"]),
        ForeignKeyConstraint(["authority_id", "street_id"], ["regions.authority_id", "regions.id"]),
        CheckConstraint("kind IN ('street', 'community', 'grid')", name="kind"),
        # NULLs never collide in a unique key, so streets (no parent) need their own.
        Index(
            "uq_regions_street_name",
            "authority_id",
            "name",
            unique=True,
            postgresql_where=text("parent_id IS NULL"),
            sqlite_where=text("parent_id IS NULL"),
        ),
    )

    parent_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    street_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(80))
    code: Mapped[str | None] = mapped_column(String(32))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
