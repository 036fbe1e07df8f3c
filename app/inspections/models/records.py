"""Inspection tasks and the records a tablet writes: the inspection, its team, each item's
result, findings, photos and signatures, and a re-inspection's verdicts.

Rows a tablet creates carry the tablet's own UUID as primary key: a device offline for days
retries with the same id, and the (authority_id, id) key finds the row it made before, however
long after (an expiring idempotency cache alone could not)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Date,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.dangers.rules import Category, Severity
from app.db import (
    Base,
    EnterpriseOwnedMixin,
    IdMixin,
    TenantMixin,
    TimestampMixin,
    UTCDateTime,
    VersionedMixin,
    enterprise_fk,
)
from app.inspections.models.common import AuthorityOnly, fk, in_enum
from app.inspections.rules.enums import (
    FileKind,
    InspectionStatus,
    ItemResult,
    Outcome,
    Signer,
    TaskKind,
    TaskStatus,
    Verdict,
)


class Task(IdMixin, AuthorityOnly, EnterpriseOwnedMixin, TimestampMixin, VersionedMixin, Base):
    """An inspection to carry out: drawn, a key enterprise's, or a re-inspection. Never shown
    to the enterprise (a drawn inspection is unannounced)."""

    __tablename__ = "inspection_tasks"
    __table_args__ = (
        UniqueConstraint("authority_id", "id"),
        # Whatever makes a task (a draw, the daily re-inspection job, a retried request) makes
        # it at most once: "draw:<id>:<enterprise>", "reinspection:<inspection>:<round>".
        UniqueConstraint("authority_id", "dedupe_key"),
        enterprise_fk(),
        fk("plan_id", "inspection_plans"),
        fk("draw_id", "inspection_draws"),
        fk("checklist_id", "inspection_checklists"),
        in_enum("kind", TaskKind),
        in_enum("status", TaskStatus),
    )

    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=str(TaskStatus.OPEN), index=True)
    plan_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    draw_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    checklist_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # For a re-inspection: the inspection whose findings it checks.
    parent_inspection_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    due_date: Mapped[dt.date] = mapped_column(Date)
    dedupe_key: Mapped[str] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(String(500))
    cancelled_reason: Mapped[str | None] = mapped_column(String(500))


class TaskMember(IdMixin, AuthorityOnly, TenantMixin, Base):
    """An inspector on a task's team, in the order the draw assigned them."""

    __tablename__ = "inspection_task_members"
    __table_args__ = (
        UniqueConstraint("task_id", "inspector_id"),
        fk("task_id", "inspection_tasks"),
        fk("inspector_id", "users"),
    )

    task_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    inspector_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    position: Mapped[int] = mapped_column(Integer)


class Inspection(IdMixin, EnterpriseOwnedMixin, TimestampMixin, VersionedMixin, Base):
    """The on-site inspection record (现场检查记录); its id is the tablet's."""

    __tablename__ = "inspections"
    __table_args__ = (
        UniqueConstraint("authority_id", "id"),
        enterprise_fk(),
        fk("task_id", "inspection_tasks"),
        fk("checklist_id", "inspection_checklists"),
        in_enum("status", InspectionStatus),
        in_enum("outcome", Outcome),
    )

    task_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    checklist_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # The inspection a re-inspection follows (its findings get verdicts).
    reinspection_of: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(200))
    responsible_person: Mapped[str] = mapped_column(String(60))
    responsible_title: Mapped[str | None] = mapped_column(String(60))
    summary: Mapped[str | None] = mapped_column(Text)
    # When the responsible person refuses to sign (拒签), the inspectors record that instead.
    signature_refused_note: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16), default=str(InspectionStatus.OPEN), index=True)
    outcome: Mapped[str | None] = mapped_column(String(24))
    request_sha256: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)


class InspectionMember(IdMixin, EnterpriseOwnedMixin, Base):
    __tablename__ = "inspection_members"
    __table_args__ = (
        UniqueConstraint("inspection_id", "inspector_id"),
        enterprise_fk(),
        fk("inspection_id", "inspections"),
        fk("inspector_id", "users"),
    )

    inspection_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    inspector_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    position: Mapped[int] = mapped_column(Integer)


class ItemResultRow(IdMixin, EnterpriseOwnedMixin, TimestampMixin, VersionedMixin, Base):
    """One checklist item's result in one inspection (written again by a retry, never twice)."""

    __tablename__ = "inspection_item_results"
    __table_args__ = (
        UniqueConstraint("inspection_id", "item_id"),
        enterprise_fk(),
        fk("inspection_id", "inspections"),
        fk("item_id", "inspection_checklist_items"),
        in_enum("result", ItemResult),
    )

    inspection_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    item_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    result: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(String(1000))


class Finding(IdMixin, EnterpriseOwnedMixin, TimestampMixin, VersionedMixin, Base):
    """A problem found on site; becomes a hidden danger (source: inspection) at closing."""

    __tablename__ = "inspection_findings"
    __table_args__ = (
        UniqueConstraint("authority_id", "id"),
        enterprise_fk(),
        fk("inspection_id", "inspections"),
        fk("item_id", "inspection_checklist_items"),
        fk("danger_id", "hidden_dangers"),
        in_enum("severity", Severity),
        in_enum("category", Category),
    )

    inspection_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    item_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(24))
    severity: Mapped[str] = mapped_column(String(16))
    legal_basis: Mapped[str | None] = mapped_column(String(300))
    location: Mapped[str | None] = mapped_column(String(200))
    latitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    longitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    deadline: Mapped[dt.date] = mapped_column(Date)
    request_sha256: Mapped[str] = mapped_column(String(64))
    danger_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)


class Review(IdMixin, EnterpriseOwnedMixin, TimestampMixin, VersionedMixin, Base):
    """A re-inspection's verdict on one finding of the inspection it follows."""

    __tablename__ = "inspection_reviews"
    __table_args__ = (
        UniqueConstraint("inspection_id", "finding_id"),
        enterprise_fk(),
        fk("inspection_id", "inspections"),
        fk("finding_id", "inspection_findings"),
        in_enum("verdict", Verdict),
    )

    inspection_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    finding_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    verdict: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(String(1000))


class InspectionFile(IdMixin, EnterpriseOwnedMixin, TimestampMixin, Base):
    """A photo (of a finding or the site) or a signature image captured on the tablet."""

    __tablename__ = "inspection_files"
    __table_args__ = (
        UniqueConstraint("authority_id", "id"),
        UniqueConstraint("key"),
        enterprise_fk(),
        fk("inspection_id", "inspections"),
        fk("finding_id", "inspection_findings"),
        fk("signer_id", "users"),
        in_enum("kind", FileKind),
        in_enum("signer", Signer),
    )

    inspection_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    finding_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    kind: Mapped[str] = mapped_column(String(16))
    # Signatures only: whose (an inspector of the team, or the enterprise's responsible person).
    signer: Mapped[str | None] = mapped_column(String(24))
    signer_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    key: Mapped[str] = mapped_column(String(400))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    latitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    longitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    taken_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    uploaded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
