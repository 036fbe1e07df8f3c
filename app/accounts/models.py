from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    ForeignKeyConstraint,
    String,
    UniqueConstraint,
    Uuid,
    and_,
    false,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import (
    Base,
    IdMixin,
    TenantViolation,
    TimestampMixin,
    UTCDateTime,
    VersionedMixin,
    utcnow,
)
from app.enterprises.models import Enterprise


class User(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("authority_id", "id"),
        ForeignKeyConstraint(
            ["authority_id", "enterprise_id"], ["enterprises.authority_id", "enterprises.id"]
        ),
        ForeignKeyConstraint(["authority_id", "street_id"], ["regions.authority_id", "regions.id"]),
    )

    # NULL only for the platform operator.
    authority_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("authorities.id"), index=True
    )
    enterprise_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    street_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(60))
    phone: Mapped[str | None] = mapped_column(String(30))
    role: Mapped[str] = mapped_column(String(32))
    badge_no: Mapped[str | None] = mapped_column(String(40))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    @classmethod
    def scope_criteria(cls, scope):
        # Mirrors the RLS policy on users (see the foundation migration).
        clauses = []
        if scope.authority_id is not None:
            own = cls.authority_id == scope.authority_id
            if scope.enterprise_id is not None:
                own = and_(own, cls.enterprise_id == scope.enterprise_id)
            elif scope.street_id is not None:
                street_enterprises = (
                    select(Enterprise.id)
                    .where(Enterprise.authority_id == scope.authority_id)
                    .where(Enterprise.street_id == scope.street_id)
                )
                own = and_(
                    own, or_(cls.enterprise_id.is_(None), cls.enterprise_id.in_(street_enterprises))
                )
            clauses.append(own)
        if scope.platform:
            clauses.append(cls.authority_id.is_(None))
        if scope.login_username:
            clauses.append(cls.username == scope.login_username)
        return or_(*clauses) if clauses else false()

    def stamp_scope(self, scope) -> None:
        if self.authority_id is None and not scope.platform:
            self.authority_id = scope.authority_id
        self._check(scope)

    def check_scope_unchanged(self, scope) -> None:
        self._check(scope)

    def _check(self, scope) -> None:
        if self.authority_id is None:
            if not (scope.platform or scope.system):
                raise TenantViolation("platform users are managed by the platform")
            return
        if self.authority_id != scope.authority_id:
            raise TenantViolation("user outside the caller's authority")
        if scope.enterprise_id is not None and self.enterprise_id != scope.enterprise_id:
            raise TenantViolation("enterprise admin writing another enterprise's user")


class AuthToken(IdMixin, Base):
    """A bearer token. Only its SHA-256 is stored; the row is found by that hash."""

    __tablename__ = "auth_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), index=True)
    authority_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("authorities.id"), index=True
    )
    enterprise_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @classmethod
    def scope_criteria(cls, scope):
        clauses = []
        if scope.token_hash:
            clauses.append(cls.token_hash == scope.token_hash)
        if scope.authority_id is not None:
            clauses.append(cls.authority_id == scope.authority_id)
        if scope.platform:
            clauses.append(cls.authority_id.is_(None))
        return or_(*clauses) if clauses else false()

    def stamp_scope(self, scope) -> None:
        if self.token_hash != scope.token_hash:
            raise TenantViolation("a token is written only under its own hash")

    def check_scope_unchanged(self, scope) -> None:
        # Mirrors the RLS policy: its own token, its authority's, or the platform's own.
        own = self.token_hash == scope.token_hash
        same_authority = self.authority_id is not None and self.authority_id == scope.authority_id
        platform = self.authority_id is None and scope.platform
        if not (own or same_authority or platform):
            raise TenantViolation("token of another authority")
