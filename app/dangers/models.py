"""The hidden-danger ledger: entries, their step history, extensions, evidence, tip-offs,
notifications, the daily overdue runs and the signed statistics.

State, severity and the other vocabularies are the rules' enums stored as their codes; CHECK
constraints repeat them so that no write path (a job, a raw statement) can store another.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    and_,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.dangers.rules import Action, Category, Severity, Source, State
from app.db import (
    Base,
    EnterpriseOwnedMixin,
    IdMixin,
    TenantMixin,
    TenantViolation,
    TimestampMixin,
    UTCDateTime,
    VersionedMixin,
    enterprise_fk,
    utcnow,
)


def _in(column: str, enum) -> str:
    return f"{column} IN ({', '.join(repr(str(m)) for m in enum)})"


def danger_fk() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["authority_id", "danger_id"], ["hidden_dangers.authority_id", "hidden_dangers.id"]
    )


STAGES = ("found", "rectified", "accepted")
EVIDENCE_STATUSES = ("pending", "stored", "rejected")
TIP_OFF_STATUSES = ("received", "dismissed", "converted")
EXTENSION_STATUSES = ("pending", "granted", "refused", "withdrawn")


class HiddenDanger(IdMixin, EnterpriseOwnedMixin, TimestampMixin, VersionedMixin, Base):
    """One entry of an enterprise's ledger (隐患台账)."""

    __tablename__ = "hidden_dangers"
    __table_args__ = (
        UniqueConstraint("authority_id", "id"),
        # A retried create (offline tablets, flaky networks) finds the entry it made before.
        UniqueConstraint("authority_id", "client_id"),
        enterprise_fk(),
        CheckConstraint(_in("state", State), name="state"),
        CheckConstraint(_in("severity", Severity), name="severity"),
        CheckConstraint(_in("category", Category), name="category"),
        CheckConstraint(_in("source", Source), name="source"),
        CheckConstraint("criterion_code IS NULL OR severity = 'major'", name="criterion_major"),
        Index("ix_hidden_dangers_open_deadline", "authority_id", "state", "deadline"),
    )

    client_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    client_digest: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(24))
    severity: Mapped[str] = mapped_column(String(16), index=True)
    criterion_code: Mapped[str | None] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(24), index=True)
    # The record the entry came from (a tip-off, an inspection finding), when there is one.
    source_ref: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    found_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    found_by: Mapped[str] = mapped_column(String(60))
    reported_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    state: Mapped[str] = mapped_column(String(24), default=str(State.REPORTED), index=True)
    state_changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline: Mapped[dt.date] = mapped_column(Date)
    original_deadline: Mapped[dt.date] = mapped_column(Date)
    # The five in place (measures, responsible_person, funds, deadline, contingency_plan).
    plan: Mapped[dict | None] = mapped_column(JSON)
    # 挂牌督办: when the entry was (last) recorded or upgraded as major; cleared by a
    # downgrade (the entry's events keep the history).
    supervised_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    extension_pending: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set by the daily job on the first overdue day; cleared when an extension moves the
    # deadline. Overdue itself is derived from the deadline wherever it is shown.
    overdue_since: Mapped[dt.date | None] = mapped_column(Date)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # Closed with its deadline kept (for the statistics' "on time").
    closed_on_time: Mapped[bool | None] = mapped_column(Boolean)


class DangerEvent(IdMixin, EnterpriseOwnedMixin, Base):
    """One step of an entry's life, with who and why: append-only history."""

    __tablename__ = "hidden_danger_events"
    __table_args__ = (
        enterprise_fk(),
        danger_fk(),
        CheckConstraint(
            _in("action", [*Action, "create", "update", "mark_overdue", "add_evidence"]),
            name="action",
        ),
    )

    danger_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str | None] = mapped_column(String(24))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    actor_kind: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict | None] = mapped_column(JSON)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class DangerExtension(IdMixin, EnterpriseOwnedMixin, TimestampMixin, VersionedMixin, Base):
    """A written request to extend the deadline and the regulator's answer."""

    __tablename__ = "hidden_danger_extensions"
    __table_args__ = (
        enterprise_fk(),
        danger_fk(),
        CheckConstraint(_in("status", EXTENSION_STATUSES), name="status"),
    )

    danger_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    requested_on: Mapped[dt.date] = mapped_column(Date)
    requested_deadline: Mapped[dt.date] = mapped_column(Date)
    previous_deadline: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    answer_due_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    decided_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    granted_deadline: Mapped[dt.date | None] = mapped_column(Date)
    decision_reason: Mapped[str | None] = mapped_column(Text)


class Evidence(IdMixin, EnterpriseOwnedMixin, TimestampMixin, VersionedMixin, Base):
    """A photo or document attached to an entry at one stage; pending until its bytes pass the
    content checks (presigned uploads), stored after, rejected otherwise (kept as a record)."""

    __tablename__ = "hidden_danger_evidence"
    __table_args__ = (
        enterprise_fk(),
        danger_fk(),
        UniqueConstraint("key"),
        CheckConstraint(_in("stage", STAGES), name="stage"),
        CheckConstraint(_in("status", EVIDENCE_STATUSES), name="status"),
    )

    danger_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    stage: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    key: Mapped[str] = mapped_column(String(400))
    filename: Mapped[str] = mapped_column(String(200))
    declared_type: Mapped[str] = mapped_column(String(100))
    content_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    uploaded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    rejected_reason: Mapped[str | None] = mapped_column(String(300))


class TipOff(IdMixin, TenantMixin, TimestampMixin, VersionedMixin, Base):
    """A public tip-off (社会举报) to one authority, triaged by its regulators."""

    __tablename__ = "tip_offs"
    __table_args__ = (
        UniqueConstraint("authority_id", "id"),
        CheckConstraint(_in("status", TIP_OFF_STATUSES), name="status"),
        ForeignKeyConstraint(
            ["authority_id", "enterprise_id"], ["enterprises.authority_id", "enterprises.id"]
        ),
        danger_fk(),
    )

    # SHA-256 of the follow-up code: the code itself is shown once, to the reporter.
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16), default="received", index=True)
    triaged_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    triaged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    dismissed_reason: Mapped[str | None] = mapped_column(Text)
    enterprise_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    danger_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    photo_key: Mapped[str | None] = mapped_column(String(400))
    photo_type: Mapped[str | None] = mapped_column(String(100))
    photo_size: Mapped[int | None] = mapped_column(BigInteger)
    photo_sha256: Mapped[str | None] = mapped_column(String(64))

    @classmethod
    def scope_criteria(cls, scope):
        # Tip-offs are the authority's triage queue: enterprise users never see them, not even
        # those naming their own enterprise (the reporter's protection).
        base = super().scope_criteria(scope)
        return and_(base, cls.id.is_(None)) if scope.enterprise_id is not None else base

    def stamp_scope(self, scope) -> None:
        super().stamp_scope(scope)
        if scope.enterprise_id is not None:
            raise TenantViolation("enterprise users do not write tip-offs")


class Notification(IdMixin, TenantMixin, Base):
    """A stored message to one user; listed and marked read by that user only."""

    __tablename__ = "notifications"
    __table_args__ = (
        # The job that sends it may run twice; the key makes the second a no-op.
        UniqueConstraint("user_id", "dedupe_key"),
        Index("ix_notifications_user_unread", "user_id", "read_at"),
        danger_fk(),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"))
    # Set for an enterprise user's notifications, so RLS hides them from other enterprises.
    enterprise_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str | None] = mapped_column(Text)
    danger_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    dedupe_key: Mapped[str] = mapped_column(String(160))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    @classmethod
    def scope_criteria(cls, scope):
        base = super().scope_criteria(scope)
        if scope.user_id is not None:
            return and_(base, cls.user_id == scope.user_id)
        if scope.enterprise_id is not None:
            return and_(base, cls.enterprise_id == scope.enterprise_id)
        return base


class OverdueRun(IdMixin, TenantMixin, Base):
    """One row per authority and Shanghai day: the daily overdue job's idempotency key."""

    __tablename__ = "hidden_danger_overdue_runs"
    __table_args__ = (UniqueConstraint("authority_id", "day"),)

    day: Mapped[dt.date] = mapped_column(Date)
    ran_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    marked: Mapped[int] = mapped_column(Integer, default=0)


class DangerReport(IdMixin, EnterpriseOwnedMixin, TimestampMixin, Base):
    """Quarterly or annual statistics, signed off by the principal and submitted; frozen."""

    __tablename__ = "hidden_danger_reports"
    __table_args__ = (
        enterprise_fk(),
        UniqueConstraint("enterprise_id", "year", "quarter"),
        CheckConstraint("quarter BETWEEN 0 AND 4", name="quarter"),
    )

    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)  # 0: the annual report
    figures: Mapped[dict] = mapped_column(JSON)
    principal_name: Mapped[str] = mapped_column(String(60))
    signed_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_on: Mapped[dt.date] = mapped_column(Date)
    on_time: Mapped[bool] = mapped_column(Boolean)
