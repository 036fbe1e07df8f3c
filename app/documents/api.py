"""Enforcement documents: issue from a closed inspection, correct, read, download (short-lived
URLs after a scope check; everything else is a 404), bulk export, and the public verification
page a paper or file copy is checked against."""

from __future__ import annotations

from flask import current_app, url_for

from app.accounts.rules import AUTHORITY_STAFF, ENTERPRISE_ROLES, REGULATORS, Role
from app.dangers.schemas import DownloadSchema
from app.db import commit
from app.documents import rules
from app.documents.models import Document, Verification
from app.documents.schemas import (
    CorrectionSchema,
    DocumentQueryArgsSchema,
    DocumentSchema,
    ExportRequestSchema,
    ExportSchema,
    IssueSchema,
    VerificationSchema,
)
from app.documents.service import exports, issue
from app.errors import Conflict, NotFound
from app.extensions import db, limiter
from app.inspections.service import common as inspections
from app.messages import Msg, Term
from app.storage import get_storage
from app.web import Blueprint, file_response, page, page_schema, require, with_etag

blp = Blueprint(
    "documents",
    __name__,
    url_prefix="/api/v1",
    description="Enforcement documents (执法文书): numbered, frozen, verifiable PDFs",
)
public = Blueprint(
    "public_documents",
    __name__,
    url_prefix="/api/v1/public/documents",
    description="Check a paper or file copy of a document against the issuing authority's record",
)
READERS = (*AUTHORITY_STAFF, *ENTERPRISE_ROLES)
ISSUERS = (*REGULATORS, Role.INSPECTOR)
DocumentPageSchema = page_schema(DocumentSchema, "DocumentPageSchema")
PDF = "application/pdf"


@blp.route("/inspections/<uuid:inspection_id>/documents", methods=["POST"])
@require(*ISSUERS)
@blp.arguments(IssueSchema)
@blp.response(201, DocumentSchema)
@blp.alt_response(200, schema=DocumentSchema, description="already issued (a retry)")
def issue_document(data, inspection_id):
    """Issue a document of a closed inspection: the next number of its kind and year, the data
    frozen now, the PDF rendered by a job after the commit (status rendering → ready)."""
    inspection = inspections.get_inspection(db.session, inspection_id)
    document, created = issue.issue(db.session, inspection, data["kind"])
    commit(db.session)
    return with_etag(document), (201 if created else 200)


@blp.route("/documents")
@require(*READERS)
@blp.arguments(DocumentQueryArgsSchema, location="query")
@blp.response(200, DocumentPageSchema)
def list_documents(args):
    """Documents in the caller's scope: an inspector's own, an enterprise's own."""
    return page(db.session, issue.list_stmt(args), Document, args)


@blp.route("/documents/<uuid:document_id>")
@require(*READERS)
@blp.response(200, DocumentSchema)
def get_document(document_id):
    return with_etag(issue.get(db.session, document_id))


@blp.route("/documents/<uuid:document_id>/corrections", methods=["POST"])
@require(*REGULATORS)
@blp.arguments(CorrectionSchema)
@blp.response(201, DocumentSchema)
def correct(data, document_id):
    """A correction: a new document (new number, data frozen again) that supersedes this one;
    both are kept, and the old one's verification page says it was superseded."""
    old = issue.get(db.session, document_id)
    if old.superseded_at is not None:
        raise Conflict("this document is already superseded; correct the current one")
    inspection = inspections.get_inspection(db.session, old.inspection_id)
    document, _ = issue.issue(
        db.session, inspection, rules.Kind(old.kind), supersedes=old, reason=data["reason"]
    )
    commit(db.session)
    return with_etag(document)


def _ready(document: Document) -> Document:
    if document.status != "ready":
        raise Conflict(
            Msg(
                "the document is %(status)s",
                status=Term("document_statuses", document.status),
            ),
            errors={"status": [document.status]},
        )
    return document


@blp.route("/documents/<uuid:document_id>/download")
@require(*READERS)
@blp.response(200, DownloadSchema)
def download(document_id):
    """A short-lived URL to the PDF (presigned on S3)."""
    document = _ready(issue.get(db.session, document_id))
    storage = get_storage()
    filename = f"{document.number}.pdf"
    url = storage.presigned_get_url(document.key, filename, content_type=PDF)
    if url is None:  # embedded mode: the API streams the file itself
        url = url_for("documents.content", document_id=document.id)
    current_app.logger.info("document %s download issued", document.id)
    return {"url": url, "expires_in": storage.ttl, "filename": filename}


@blp.route("/documents/<uuid:document_id>/content")
@require(*READERS)
@blp.doc(
    responses={
        "200": {
            "description": "the PDF (embedded mode: no S3 to presign from)",
            "content": {PDF: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
)
def content(document_id):
    document = _ready(issue.get(db.session, document_id))
    return file_response(get_storage().open(document.key), PDF, f"{document.number}.pdf")


@blp.route("/document-exports", methods=["POST"])
@require(*REGULATORS)
@blp.arguments(ExportRequestSchema, required=False)
@blp.response(202, ExportSchema)
def request_export(data):
    """Ask for every ready document matching the filter as one zip, built by a job; poll the
    export for its progress and download it when ready."""
    export = exports.request(db.session, data)
    commit(db.session)
    return export


@blp.route("/document-exports/<uuid:export_id>")
@require(*REGULATORS)
@blp.response(200, ExportSchema)
def get_export(export_id):
    return exports.get(db.session, export_id)


@blp.route("/document-exports/<uuid:export_id>/download")
@require(*REGULATORS)
@blp.response(200, DownloadSchema)
def download_export(export_id):
    export = exports.get(db.session, export_id)
    link = exports.download(export)
    if link["url"] is None:  # embedded mode
        link["url"] = url_for("documents.export_content", export_id=export.id)
    return link


@blp.route("/document-exports/<uuid:export_id>/content")
@require(*REGULATORS)
@blp.doc(
    responses={
        "200": {
            "description": "the zip (embedded mode)",
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
)
def export_content(export_id):
    export = exports.get(db.session, export_id)
    link = exports.download(export)
    return file_response(get_storage().open(export.key), "application/zip", link["filename"])


def _verify_limit():
    return current_app.config["PUBLIC_READ_RATE_LIMIT"]


@public.route("/verify/<string:code>")
@limiter.limit(_verify_limit)
@public.response(200, VerificationSchema)
def verify(code):
    """The number, kind, issuing authority, date, enterprise and SHA-256 of the document with
    this verification code (printed on it, with a QR code): hash your file and compare."""
    normal = rules.normalize_verification_code(code)
    row = db.session.get(Verification, normal) if normal else None
    if row is None:
        raise NotFound("no document has this verification code")
    return row
