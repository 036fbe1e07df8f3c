"""Tasks, the offline bundle, and the tablet's inspection record. Every write is safe to
retry: creates carry the tablet's id, and the Idempotency-Key header replays a response."""

from __future__ import annotations

from flask import current_app, request
from flask.views import MethodView

from app.accounts.rules import AUTHORITY_STAFF, ENTERPRISE_ROLES, REGULATORS, Role
from app.dangers.schemas import DownloadSchema, FileSchema
from app.db import commit
from app.extensions import db
from app.idempotency import idempotent
from app.inspections.models import Finding, Inspection, InspectionFile, ItemResultRow, Task
from app.inspections.schemas.records import (
    BundleSchema,
    CloseSchema,
    FileFormSchema,
    FindingSchema,
    FindingUpdateSchema,
    InspectionFileSchema,
    InspectionQueryArgsSchema,
    InspectionSchema,
    InspectionUpdateSchema,
    ItemResultSchema,
    ReinspectionRequestSchema,
    ReviewSchema,
    SyncStatusSchema,
    TaskQueryArgsSchema,
    TaskSchema,
)
from app.inspections.service import closing, common, files, findings, records, tasks
from app.web import (
    Blueprint,
    PageArgsSchema,
    check_if_match,
    file_response,
    page,
    page_schema,
    require,
    with_etag,
)

blp = Blueprint(
    "inspection_records",
    __name__,
    url_prefix="/api/v1",
    description="Inspections: tasks, offline bundles, the on-site record written by tablets",
)
STAFF = tuple(AUTHORITY_STAFF)
READERS = (*AUTHORITY_STAFF, *ENTERPRISE_ROLES)
WRITER = Role.INSPECTOR
TaskPageSchema = page_schema(TaskSchema, "TaskPageSchema")
InspectionPageSchema = page_schema(InspectionSchema, "InspectionPageSchema")
FindingPageSchema = page_schema(FindingSchema, "FindingPageSchema")
FilePageSchema = page_schema(InspectionFileSchema, "InspectionFilePageSchema")
MULTIPART_OVERHEAD = 64 * 1024


def _view(inspection: Inspection) -> Inspection:
    team = records.team(db.session, inspection)
    inspection.inspectors = [{"name": u.display_name, "certificate_no": u.badge_no} for u in team]
    # The authority's user ids are its own business; the enterprise sees names and certificates.
    inspection.inspector_ids = None if common.is_enterprise_user() else [u.id for u in team]
    return with_etag(inspection)


@blp.route("/inspection-tasks")
@require(*STAFF)
@blp.arguments(TaskQueryArgsSchema, location="query")
@blp.response(200, TaskPageSchema)
def list_tasks(args):
    """Tasks in the caller's scope; an inspector's own (those whose team he is on)."""
    result = page(db.session, tasks.list_stmt(args), Task, args)
    result["items"] = tasks.views(db.session, result["items"])
    return result


@blp.route("/inspection-tasks/<uuid:task_id>")
@require(*STAFF)
@blp.response(200, TaskSchema)
def get_task(task_id):
    return with_etag(tasks.view(db.session, common.get_task(db.session, task_id)))


@blp.route("/inspection-tasks/<uuid:task_id>/bundle")
@require(*STAFF)
@blp.response(200, BundleSchema)
def bundle(task_id):
    """Everything to work the task offline: the enterprise, its open hidden dangers and major
    hazard sources, the checklist, and for a re-inspection the findings to check."""
    return tasks.bundle(db.session, common.get_task(db.session, task_id))


@blp.route("/inspections")
class Inspections(MethodView):
    @require(*READERS)
    @blp.arguments(InspectionQueryArgsSchema, location="query")
    @blp.response(200, InspectionPageSchema)
    def get(self, args):
        """Inspections in the caller's scope (an enterprise sees its own once closed)."""
        stmt = common.visible_inspections(db.select(Inspection))
        for key in ("enterprise_id", "task_id"):
            if args.get(key) is not None:
                stmt = stmt.where(getattr(Inspection, key) == args[key])
        if args.get("status") is not None:
            stmt = stmt.where(Inspection.status == args["status"])
        result = page(db.session, stmt, Inspection, args)
        result["items"] = [_view(i) for i in result["items"]]
        return result

    @require(WRITER)
    @idempotent(required=True)
    @blp.arguments(InspectionSchema)
    @blp.response(201, InspectionSchema)
    @blp.alt_response(200, schema=InspectionSchema, description="a retried create (same id)")
    def post(self, data):
        """Start an inspection record with the tablet's id (at least two inspectors, none with
        a conflict); a retry with the same id and content returns it (200)."""
        inspection, created = records.create(db.session, data)
        commit(db.session)
        return _view(inspection), (201 if created else 200)


@blp.route("/inspections/<uuid:inspection_id>")
class InspectionItem(MethodView):
    @require(*READERS)
    @blp.response(200, InspectionSchema)
    def get(self, inspection_id):
        return _view(common.get_inspection(db.session, inspection_id))

    @require(WRITER)
    @idempotent()
    @blp.arguments(InspectionUpdateSchema)
    @blp.response(200, InspectionSchema)
    def patch(self, changes, inspection_id):
        """Edit the record's header (If-Match): times, place, responsible person, summary."""
        inspection = common.get_inspection(db.session, inspection_id, for_update=True)
        check_if_match(inspection)
        records.update(inspection, changes)
        commit(db.session)
        return _view(inspection)


@blp.route("/inspections/<uuid:inspection_id>/items/<uuid:item_id>", methods=["PUT"])
@require(WRITER)
@idempotent()
@blp.arguments(ItemResultSchema)
@blp.response(200, ItemResultSchema)
def put_item(data, inspection_id, item_id):
    """One checklist item's result (written again by a retry, never twice)."""
    inspection = common.get_inspection(db.session, inspection_id, for_update=True)
    row, _ = records.put_item(db.session, inspection, item_id, data)
    commit(db.session)
    return row


@blp.route("/inspections/<uuid:inspection_id>/items")
@require(*READERS)
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, page_schema(ItemResultSchema, "ItemResultPageSchema"))
def list_items(args, inspection_id):
    inspection = common.get_inspection(db.session, inspection_id)
    return page(db.session, records.item_results(inspection), ItemResultRow, args)


@blp.route("/inspections/<uuid:inspection_id>/findings")
class Findings(MethodView):
    @require(*READERS)
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, FindingPageSchema)
    def get(self, args, inspection_id):
        inspection = common.get_inspection(db.session, inspection_id)
        return page(db.session, findings.findings(inspection.id), Finding, args)

    @require(WRITER)
    @idempotent(required=True)
    @blp.arguments(FindingSchema)
    @blp.response(201, FindingSchema)
    @blp.alt_response(200, schema=FindingSchema, description="a retried create (same id)")
    def post(self, data, inspection_id):
        """Record a finding with its deadline; it goes onto the ledger when the record closes."""
        inspection = common.get_inspection(db.session, inspection_id, for_update=True)
        finding, created = findings.create_finding(db.session, inspection, data)
        commit(db.session)
        return with_etag(finding), (201 if created else 200)


@blp.route("/inspections/<uuid:inspection_id>/findings/<uuid:finding_id>", methods=["PATCH"])
@require(WRITER)
@idempotent()
@blp.arguments(FindingUpdateSchema)
@blp.response(200, FindingSchema)
def patch_finding(changes, inspection_id, finding_id):
    """Edit a finding while the record is open (If-Match)."""
    inspection = common.get_inspection(db.session, inspection_id, for_update=True)
    finding = findings.get_finding(db.session, inspection, finding_id)
    check_if_match(finding)
    findings.update_finding(db.session, inspection, finding, changes)
    commit(db.session)
    return with_etag(finding)


@blp.route("/inspections/<uuid:inspection_id>/reviews/<uuid:finding_id>", methods=["PUT"])
@require(WRITER)
@idempotent()
@blp.arguments(ReviewSchema)
@blp.response(200, ReviewSchema)
def put_review(data, inspection_id, finding_id):
    """A re-inspection's verdict on one finding of the inspection it follows."""
    inspection = common.get_inspection(db.session, inspection_id, for_update=True)
    row, _ = findings.put_review(db.session, inspection, finding_id, data)
    commit(db.session)
    return row


@blp.route("/inspections/<uuid:inspection_id>/files")
class Files(MethodView):
    @require(*READERS)
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, FilePageSchema)
    def get(self, args, inspection_id):
        inspection = common.get_inspection(db.session, inspection_id)
        return page(db.session, files.list_stmt(inspection), InspectionFile, args)

    @require(WRITER)
    @idempotent(required=True)
    # The metadata rides in the query string, as with evidence: one multipart body holds the file.
    @blp.arguments(FileFormSchema, location="query")
    @blp.arguments(FileSchema, location="files")
    @blp.response(201, InspectionFileSchema)
    @blp.alt_response(200, schema=InspectionFileSchema, description="a retried upload")
    def post(self, form, upload, inspection_id):
        """A photo (of a finding or the site, with GPS) or a signature image (multipart
        `file`, metadata in the query); JPEG or PNG by content. Send the tablet's `id` so a
        retry finds the stored file."""
        inspection = common.get_inspection(db.session, inspection_id, for_update=True)
        row, created = files.upload(db.session, inspection, form, upload["file"])
        commit(db.session)
        return row, (201 if created else 200)


@blp.before_request
def _bigger_bodies():
    if request.method == "POST" and request.path.endswith("/files"):
        # Photos are larger than the API's body limit: raised for this request only; the
        # file itself is checked against EVIDENCE_MAX_BYTES by content.
        limit = int(current_app.config["EVIDENCE_MAX_BYTES"]) + MULTIPART_OVERHEAD
        request.max_content_length = limit


@blp.route("/inspections/<uuid:inspection_id>/files/<uuid:file_id>/download")
@require(*READERS)
@blp.response(200, DownloadSchema)
def file_download(inspection_id, file_id):
    """A short-lived URL to the file (presigned on S3)."""
    inspection = common.get_inspection(db.session, inspection_id)
    return files.download(files.get(db.session, inspection, file_id))


@blp.route("/inspections/<uuid:inspection_id>/files/<uuid:file_id>/content")
@require(*READERS)
@blp.doc(
    responses={
        "200": {
            "description": "the file (embedded mode: no S3 to presign from)",
            "content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
)
def file_content(inspection_id, file_id):
    inspection = common.get_inspection(db.session, inspection_id)
    row = files.get(db.session, inspection, file_id)
    return file_response(files.open_content(row), row.content_type, row.filename)


@blp.route("/inspections/<uuid:inspection_id>/close", methods=["POST"])
@require(WRITER)
@idempotent()
@blp.arguments(CloseSchema, required=False)
@blp.response(200, InspectionSchema)
def close(data, inspection_id):
    """Close the record: signatures of the team and the responsible person (or the refusal
    noted), must-check items answered; findings go onto the ledger with their deadlines; a
    re-inspection's verdicts close or re-open what it checked."""
    inspection = common.get_inspection(db.session, inspection_id, for_update=True)
    closing.close(db.session, inspection, data)
    commit(db.session)
    return _view(inspection)


@blp.route("/inspections/<uuid:inspection_id>/sync-status")
@require(WRITER, *REGULATORS)
@blp.response(200, SyncStatusSchema)
def sync_status(inspection_id):
    """What the server holds for this record: the tablet sends what is missing."""
    return files.sync_status(db.session, common.get_inspection(db.session, inspection_id))


@blp.route("/inspections/<uuid:inspection_id>/reinspection-requests", methods=["POST"])
@require(WRITER, *REGULATORS, Role.ENTERPRISE_ADMIN)
@blp.arguments(ReinspectionRequestSchema, required=False)
@blp.response(201, TaskSchema)
@blp.alt_response(200, schema=TaskSchema, description="a re-inspection is already pending")
def request_reinspection(data, inspection_id):
    """Ask for a re-inspection (复查) of a closed inspection's findings, due within 10 days:
    the enterprise's application, or the authority's own decision."""
    inspection = common.get_inspection(db.session, inspection_id)
    if common.is_enterprise_user():
        # The application is made; which inspectors come, and when, stays the authority's.
        receipt, created = tasks.apply_for_reinspection(db.session, inspection, data.get("note"))
        commit(db.session)
        return receipt, (201 if created else 200)
    task, created = tasks.request_reinspection(db.session, inspection, note=data.get("note"))
    commit(db.session)
    return tasks.view(db.session, task), (201 if created else 200)
