"""Bulk export: a regulator's filter, a zip of the matching PDFs built by a job, its progress,
and a download link when ready. The job reads the documents in the requester's street scope
(a street regulator's export holds its street's documents only, as its reads do)."""

from __future__ import annotations

import tempfile
import uuid
import zipfile

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import jobs, tenancy
from app.db import commit
from app.documents.models import Document, DocumentExport
from app.enterprises.models import Enterprise
from app.errors import Conflict, NotFound
from app.inspections.service import common
from app.messages import Msg, Term
from app.storage import get_storage, new_key
from app.tenants import service as tenants

PROGRESS_EVERY = 25
MAX_DOCUMENTS = 5000


def request(session: Session, filters: dict) -> DocumentExport:
    scope = tenancy.current()
    export = DocumentExport(
        requested_by=scope.user_id,
        street_id=scope.street_id,
        filters={k: (str(v) if v is not None else None) for k, v in filters.items()},
        status="queued",
    )
    session.add(export)
    session.flush()
    jobs.enqueue_after_commit(
        session, "documents.export", authority_id=export.authority_id, export_id=str(export.id)
    )
    return export


def get(session: Session, export_id) -> DocumentExport:
    export = session.get(DocumentExport, export_id) if export_id else None
    if export is None or export.requested_by != tenancy.current().user_id:
        raise NotFound("no such export")
    return export


def _matching(session: Session, export: DocumentExport):
    f = export.filters
    stmt = select(Document).where(Document.status == "ready")
    if f.get("kind"):
        stmt = stmt.where(Document.kind == f["kind"])
    if f.get("year"):
        stmt = stmt.where(Document.year == int(f["year"]))
    if f.get("issued_from"):
        stmt = stmt.where(Document.issued_on >= f["issued_from"])
    if f.get("issued_to"):
        stmt = stmt.where(Document.issued_on <= f["issued_to"])
    if f.get("region_id"):
        within = select(Enterprise.id).where(
            Enterprise.region_id.in_(tenants.within(uuid.UUID(f["region_id"])))
        )
        stmt = stmt.where(Document.enterprise_id.in_(within))
    if export.street_id is not None:
        street = select(Enterprise.id).where(Enterprise.street_id == export.street_id)
        stmt = stmt.where(Document.enterprise_id.in_(street))
    return stmt.order_by(Document.issued_on, Document.number).limit(MAX_DOCUMENTS + 1)


def run(session: Session, export_id) -> int:
    """Build the zip. Progress is committed every few documents so the status call moves; a
    rerun after a crash starts over (the zip is written whole, then stored under one key)."""
    export = session.get(DocumentExport, export_id)
    if export is None:
        return 0
    if export.status == "ready":
        return export.total
    documents = list(session.scalars(_matching(session, export)))
    export.status, export.total, export.done = "running", len(documents), 0
    if len(documents) > MAX_DOCUMENTS:
        documents = documents[:MAX_DOCUMENTS]
        export.error = f"more than {MAX_DOCUMENTS} documents match: narrow the filter"
    commit(session)
    try:
        return _build(session, export, documents)
    except Exception as exc:
        # The status must say so (and stop saying "running"): recorded in its own commit, then
        # the job fails for rq to retry.
        session.rollback()
        export.status, export.error = "failed", f"{type(exc).__name__}: {exc}"[:500]
        commit(session)
        raise


def _build(session: Session, export: DocumentExport, documents: list) -> int:
    storage = get_storage()
    with tempfile.TemporaryFile() as spool:
        with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
            for n, document in enumerate(documents, start=1):
                with storage.open(document.key) as stream:
                    archive.writestr(f"{document.number}.pdf", stream.read())
                if n % PROGRESS_EVERY == 0:
                    export.done = n
                    commit(session)
        size = spool.tell()
        spool.seek(0)
        key = new_key(export.authority_id, "exports", export.id, suffix=".zip")
        storage.save(key, spool, "application/zip")
    export.key, export.size, export.done, export.total = key, size, len(documents), len(documents)
    export.status, export.finished_at = "ready", common.now()
    return len(documents)


def download(export: DocumentExport) -> dict:
    if export.status != "ready":
        raise Conflict(
            Msg("the export is %(status)s", status=Term("export_statuses", export.status)),
            errors={"status": [export.status]},
        )
    storage = get_storage()
    filename = f"documents-{export.created_at:%Y%m%d}.zip"
    url = storage.presigned_get_url(export.key, filename, content_type="application/zip")
    return {"url": url, "expires_in": storage.ttl, "filename": filename}
