from flask import current_app, request
from flask.views import MethodView

from app.accounts.rules import AUTHORITY_STAFF, ENTERPRISE_ROLES
from app.dangers.models import Evidence
from app.dangers.schemas import (
    DownloadSchema,
    EvidenceSchema,
    EvidenceUploadArgsSchema,
    FileSchema,
    PresignedUploadSchema,
    PresignRequestSchema,
)
from app.dangers.service import common, evidence
from app.db import commit
from app.errors import Unprocessable
from app.extensions import db
from app.storage import POST_TTL_MAX, get_storage
from app.web import Blueprint, PageArgsSchema, file_response, page, page_schema, require

blp = Blueprint(
    "dangers_evidence",
    __name__,
    url_prefix="/api/v1",
    description="Evidence on hidden dangers: photos and documents, checked by content",
)
READERS = (*AUTHORITY_STAFF, *ENTERPRISE_ROLES)
EvidencePageSchema = page_schema(EvidenceSchema, "EvidencePageSchema")
MULTIPART_OVERHEAD = 64 * 1024


def upload_limit() -> None:
    """Evidence is larger than the API's 2 MiB body limit: raise it for this request only (the
    file itself is checked against EVIDENCE_MAX_BYTES by content)."""
    request.max_content_length = int(current_app.config["EVIDENCE_MAX_BYTES"]) + MULTIPART_OVERHEAD


@blp.route("/hidden-dangers/<uuid:danger_id>/evidence")
class EvidenceList(MethodView):
    @require(*READERS)
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, EvidencePageSchema)
    def get(self, args, danger_id):
        """Evidence attached to the entry (stored, pending and rejected)."""
        danger = common.get(db.session, danger_id)
        return page(db.session, evidence.list_stmt(danger), Evidence, args)

    @require(*READERS)
    @blp.arguments(EvidenceUploadArgsSchema, location="query")
    @blp.arguments(FileSchema, location="files")
    @blp.response(201, EvidenceSchema)
    def post(self, form, upload, danger_id):
        """Upload through the API (multipart `file`, `?stage=`); JPEG, PNG or PDF, by content."""
        danger = common.get(db.session, danger_id)
        item = evidence.upload(db.session, danger, form["stage"], upload["file"])
        commit(db.session)
        return item


@blp.before_request
def _bigger_bodies():
    if request.method == "POST" and request.path.endswith("/evidence"):
        upload_limit()


@blp.route("/hidden-dangers/<uuid:danger_id>/evidence/uploads", methods=["POST"])
@require(*READERS)
@blp.arguments(PresignRequestSchema)
@blp.response(201, PresignedUploadSchema)
def presign(data, danger_id):
    """A presigned POST for a direct upload to S3 (5 minutes); then call confirm."""
    danger = common.get(db.session, danger_id)
    item, post = evidence.presign(db.session, danger, data)
    commit(db.session)
    expires_in = min(get_storage().ttl, POST_TTL_MAX)  # what presigned_post granted
    return {
        "evidence": item,
        "url": post["url"],
        "fields": post["fields"],
        "expires_in": expires_in,
    }


@blp.route("/evidence/<uuid:evidence_id>/confirm", methods=["POST"])
@require(*READERS)
@blp.response(200, EvidenceSchema)
def confirm(evidence_id):
    """Check the uploaded object by content; a failing one is deleted and marked rejected."""
    item = evidence.get(db.session, evidence_id)
    danger = common.get(db.session, item.danger_id)
    evidence.confirm(db.session, danger, item)
    commit(db.session)
    if item.status == "rejected":
        raise Unprocessable(item.rejected_reason, errors={"file": [item.rejected_reason]})
    return item


@blp.route("/evidence/<uuid:evidence_id>/download")
@require(*READERS)
@blp.response(200, DownloadSchema)
def download(evidence_id):
    """A short-lived URL to the file (presigned on S3)."""
    return evidence.download(evidence.get(db.session, evidence_id))


@blp.route("/evidence/<uuid:evidence_id>/content")
@require(*READERS)
@blp.doc(
    responses={
        "200": {
            "description": "the file (embedded mode: no S3 to presign from)",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    }
)
def content(evidence_id):
    """The file itself, streamed by the API (embedded mode)."""
    item = evidence.get(db.session, evidence_id)
    return file_response(evidence.open_content(item), item.content_type, item.filename)
