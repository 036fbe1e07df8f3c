"""Rendering after the issuing commit, and bulk exports. Both are idempotent: a document already
rendered is left alone (its PDF and hash are frozen), an export already finished too."""

from __future__ import annotations

import hashlib
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import jobs
from app.documents import render
from app.documents.models import Document, Verification
from app.documents.rules import TITLES, Kind
from app.documents.service import exports
from app.inspections.service import common
from app.storage import get_storage, new_key


@jobs.job("documents.render", timeout=120)
def render_document(session: Session, document_id: str) -> str | None:
    document = session.get(Document, uuid.UUID(document_id))
    if document is None:
        return None
    if document.status == "ready":
        return document.sha256  # rq is at-least-once: a second run changes nothing
    try:
        pdf = render.render_pdf(Kind(document.kind), document.snapshot)
    except render.RenderError as exc:
        # A refused snapshot will not render on a retry either: record why, for the issuer.
        document.status = "failed"
        document.render_error = str(exc)[:500]
        return None
    key = new_key(
        document.authority_id,
        "enterprises",
        document.enterprise_id,
        "documents",
        document.id,
        suffix=".pdf",
    )
    get_storage().save(key, pdf, "application/pdf")
    document.key = key
    document.size = len(pdf)
    document.sha256 = hashlib.sha256(pdf).hexdigest()
    document.status = "ready"
    document.render_error = None
    document.rendered_at = common.now()
    snap = document.snapshot
    successor = (
        session.scalar(select(Document.number).where(Document.supersedes_id == document.id))
        if document.superseded_at
        else None
    )
    session.merge(
        Verification(
            code=document.verification_code,
            number=document.number,
            kind=document.kind,
            title=TITLES[Kind(document.kind)],
            authority_name=snap["authority"]["name"],
            enterprise_name=snap["enterprise"]["name"],
            issued_on=document.issued_on,
            sha256=document.sha256,
            status="superseded" if document.superseded_at else "valid",
            superseded_by=successor,
        )
    )
    return document.sha256


@jobs.job("documents.export", timeout=1800)
def export_documents(session: Session, export_id: str) -> int:
    return exports.run(session, uuid.UUID(export_id))
