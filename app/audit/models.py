from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, Uuid, false, or_
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, IdMixin, TenantViolation, UTCDateTime, utcnow


def _chain_scope(cls, scope):
    clauses = []
    if scope.authority_id is not None:
        clauses.append(cls.authority_id == scope.authority_id)
    if scope.platform:
        clauses.append(cls.authority_id.is_(None))
    return or_(*clauses) if clauses else false()


class AuditEvent(IdMixin, Base):
    __tablename__ = "audit_events"
    __table_args__ = (UniqueConstraint("chain", "seq"),)

    chain: Mapped[str] = mapped_column(String(40))
    seq: Mapped[int] = mapped_column(Integer)
    authority_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("authorities.id"), index=True
    )
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    actor_role: Mapped[str | None] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(40))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(64), index=True)
    # Canonical JSON of the whole event (the columns above included); what the hash covers.
    payload: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    scope_criteria = classmethod(_chain_scope)

    def stamp_scope(self, scope) -> None:
        if self.authority_id is None and not (scope.platform or scope.system):
            raise TenantViolation("platform audit events belong to the platform")
        if self.authority_id is not None and self.authority_id != scope.authority_id:
            raise TenantViolation("audit event for another authority")


class AuditCheckpoint(IdMixin, Base):
    __tablename__ = "audit_checkpoints"
    __table_args__ = (UniqueConstraint("chain", "seq"),)

    chain: Mapped[str] = mapped_column(String(40))
    seq: Mapped[int] = mapped_column(Integer)
    authority_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("authorities.id"), index=True
    )
    hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    scope_criteria = classmethod(_chain_scope)

    def stamp_scope(self, scope) -> None:
        # Mirrors the RLS policy: the platform chain only for the platform.
        if self.authority_id is None and not scope.platform:
            raise TenantViolation("platform checkpoints belong to the platform")
        if self.authority_id is not None and self.authority_id != scope.authority_id:
            raise TenantViolation("checkpoint for another authority")
