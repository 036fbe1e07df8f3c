"""Enforcement documents: the per-(authority, kind, year) counters that number them without
gaps, the frozen documents themselves, the public verification registry, and bulk exports."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    Index,
    Integer,
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
    check_in,
    enterprise_fk,
    tenant_fk,
    utcnow,
)
from app.documents.rules import Kind

KINDS = tuple(str(k) for k in Kind)
STATUSES = ("rendering", "ready", "failed")
EXPORT_STATUSES = ("queued", "running", "ready", "failed")


class DocumentCounter(IdMixin, TenantMixin, Base):
    """The last serial issued per authority, kind and year. Incremented inside the issuing
    transaction (the row stays locked until it commits), so a rolled-back issue gives its number
    back and concurrent issues queue: numbers without gaps or repeats."""

    __tablename__ = "document_counters"
    __table_args__ = (UniqueConstraint("authority_id", "kind", "year"), check_in("kind", KINDS))

    kind: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    last_serial: Mapped[int] = mapped_column(Integer, default=0)


class Document(IdMixin, EnterpriseOwnedMixin, TimestampMixin, VersionedMixin, Base):
    """An issued document: frozen data snapshot, the PDF in object storage and its SHA-256. A
    correction is a new document that supersedes this one; both are kept."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("authority_id", "id"),
        UniqueConstraint("authority_id", "kind", "year", "serial"),
        UniqueConstraint("verification_code"),
        enterprise_fk(),
        tenant_fk("inspection_id", "inspections"),
        tenant_fk("supersedes_id", "documents"),
        check_in("kind", KINDS),
        check_in("status", STATUSES),
        # One current document of a kind per inspection; corrections supersede it.
        Index(
            "uq_documents_current",
            "inspection_id",
            "kind",
            unique=True,
            postgresql_where=text("superseded_at IS NULL"),
            sqlite_where=text("superseded_at IS NULL"),
        ),
    )

    kind: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(64))
    inspection_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    issued_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    snapshot: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="rendering", index=True)
    verification_code: Mapped[str] = mapped_column(String(20))
    key: Mapped[str | None] = mapped_column(String(400))
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(BigInteger)
    rendered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    render_error: Mapped[str | None] = mapped_column(String(500))
    supersedes_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    superseded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    correction_reason: Mapped[str | None] = mapped_column(Text)


class Verification(Base):
    """The public registry a paper or file copy is checked against: the facts printed on the
    document and its SHA-256, by verification code. Public by design, so it holds nothing that
    is not printed on the document itself, and no tenant key (there is nothing to isolate)."""

    __tablename__ = "document_verifications"
    # A projection of the audited documents table (what the render job froze), not an action.
    __audited__ = False

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    number: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(40))
    authority_name: Mapped[str] = mapped_column(String(120))
    enterprise_name: Mapped[str] = mapped_column(String(200))
    issued_on: Mapped[dt.date] = mapped_column(Date)
    sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="valid")  # valid / superseded
    superseded_by: Mapped[str | None] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class DocumentExport(IdMixin, TenantMixin, TimestampMixin, Base):
    """A regulator's bulk export: the filter, the job's progress, the zip when ready."""

    __tablename__ = "document_exports"
    __table_args__ = (check_in("status", EXPORT_STATUSES),)

    requested_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    # A street-level regulator's export covers its street only, as its reads do.
    street_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    filters: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    key: Mapped[str | None] = mapped_column(String(400))
    size: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(String(500))
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
