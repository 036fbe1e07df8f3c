from flask import Response
from flask.views import MethodView

from app.accounts.rules import AUTHORITY_STAFF, ENTERPRISE_ROLES, REGULATORS, Role
from app.apidocs import examples
from app.dangers import export
from app.dangers.models import DangerEvent, DangerExtension, HiddenDanger
from app.dangers.schemas import (
    DangerEventSchema,
    ExtensionDecisionSchema,
    ExtensionRequestSchema,
    ExtensionSchema,
    HiddenDangerExportArgsSchema,
    HiddenDangerQueryArgsSchema,
    HiddenDangerSchema,
    HiddenDangerUpdateSchema,
    TransitionSchema,
)
from app.dangers.service import common, extensions, ledger, steps
from app.db import commit
from app.extensions import db
from app.idempotency import idempotent
from app.web import Blueprint, PageArgsSchema, check_if_match, page, page_schema, require, with_etag

blp = Blueprint(
    "dangers",
    __name__,
    url_prefix="/api/v1/hidden-dangers",
    description="The hidden-danger ledger (隐患台账): entries, steps, extensions",
)
READERS = (*AUTHORITY_STAFF, *ENTERPRISE_ROLES)
EDITORS = (Role.ENTERPRISE_ADMIN, *REGULATORS, Role.INSPECTOR)
HiddenDangerPageSchema = page_schema(HiddenDangerSchema, "HiddenDangerPageSchema")
DangerEventPageSchema = page_schema(DangerEventSchema, "DangerEventPageSchema")
ExtensionPageSchema = page_schema(ExtensionSchema, "ExtensionPageSchema")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_LIMIT = 10_000


@blp.route("")
class HiddenDangers(MethodView):
    @require(*READERS)
    @blp.arguments(HiddenDangerQueryArgsSchema, location="query")
    @blp.response(200, HiddenDangerPageSchema, example=examples.DANGER_PAGE)
    def get(self, args):
        """The ledger in the caller's scope: one enterprise's, or the jurisdiction's."""
        result = page(db.session, ledger.list_stmt(db.session, args), HiddenDanger, args)
        result["items"] = [ledger.view(d) for d in result["items"]]
        return result

    @require(*READERS)
    @idempotent()
    @blp.arguments(HiddenDangerSchema, examples=examples.DANGER_NEW)
    @blp.response(201, HiddenDangerSchema)
    @blp.alt_response(
        200, schema=HiddenDangerSchema, description="a retried create (same client_id)"
    )
    def post(self, data):
        """Record a hidden danger; a major one is placed under the regulator's supervision."""
        danger, created = ledger.create(db.session, data)
        commit(db.session)
        return with_etag(ledger.view(danger)), (201 if created else 200)


@blp.route("/supervised")
@require(*AUTHORITY_STAFF)
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, HiddenDangerPageSchema)
def supervised(args):
    """Open major hidden dangers under supervision (挂牌督办), with deadlines and days overdue."""
    stmt = ledger.list_stmt(db.session, {"supervised": True, "open": True})
    result = page(db.session, stmt, HiddenDanger, args)
    result["items"] = [ledger.view(d) for d in result["items"]]
    return result


@blp.route("/export.xlsx")
@require(*READERS)
@blp.arguments(HiddenDangerExportArgsSchema, location="query")
@blp.doc(
    responses={
        "200": {
            "description": "the ledger as .xlsx (Chinese headers)",
            "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
)
def export_xlsx(args):
    """The filtered ledger as an Excel workbook: at most 10,000 rows, and the header
    X-Export-Truncated says whether the filter matched more (narrow it, e.g. by region)."""
    stmt = ledger.list_stmt(db.session, args, with_enterprise=True)
    rows = db.session.execute(stmt.order_by(HiddenDanger.id).limit(EXPORT_LIMIT + 1)).all()
    # Never silently short: the header says when the filter matched more than one workbook.
    truncated = len(rows) > EXPORT_LIMIT
    body = export.workbook(((e, d) for d, e in rows[:EXPORT_LIMIT]), common.today())
    return Response(
        body,
        mimetype=XLSX,
        headers={
            "Content-Disposition": 'attachment; filename="hidden-dangers.xlsx"; '
            "filename*=UTF-8''%E9%9A%90%E6%82%A3%E5%8F%B0%E8%B4%A6.xlsx",
            "X-Export-Truncated": "true" if truncated else "false",
        },
    )


@blp.route("/<uuid:danger_id>")
class HiddenDangerItem(MethodView):
    @require(*READERS)
    @blp.response(200, HiddenDangerSchema)
    def get(self, danger_id):
        """One entry, with the steps the caller may take next."""
        return with_etag(ledger.view(common.get(db.session, danger_id)))

    @require(*EDITORS)
    @blp.arguments(HiddenDangerUpdateSchema)
    @blp.response(200, HiddenDangerSchema)
    def patch(self, changes, danger_id):
        """Edit an open entry (If-Match required); severity changes follow the rules."""
        danger = common.get(db.session, danger_id)
        check_if_match(danger)
        steps.update(db.session, danger, changes)
        commit(db.session)
        return with_etag(ledger.view(danger))


@blp.route("/<uuid:danger_id>/transitions", methods=["POST"])
@require(*READERS)
@blp.arguments(TransitionSchema, examples=examples.TRANSITIONS)
@blp.response(200, HiddenDangerSchema, example=examples.TRANSITIONED)
def transition(data, danger_id):
    """Take one step of the closed loop; 409 names the state and the allowed steps."""
    danger = common.get(db.session, danger_id)
    steps.transition(db.session, danger, data["action"], data.get("reason"), data.get("plan"))
    commit(db.session)
    return with_etag(ledger.view(danger))


@blp.route("/<uuid:danger_id>/history")
@require(*READERS)
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, DangerEventPageSchema)
def history(args, danger_id):
    """Every step of the entry, oldest first, with who and why."""
    danger = common.get(db.session, danger_id)
    result = page(db.session, ledger.history(db.session, danger), DangerEvent, args)
    result["items"] = ledger.name_actors(db.session, result["items"])
    return result


@blp.route("/<uuid:danger_id>/extensions")
class Extensions(MethodView):
    @require(*READERS)
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, ExtensionPageSchema)
    def get(self, args, danger_id):
        """The entry's extension requests and their answers."""
        danger = common.get(db.session, danger_id)
        return page(db.session, extensions.list_stmt(danger), DangerExtension, args)

    @require(Role.ENTERPRISE_ADMIN)
    @blp.arguments(ExtensionRequestSchema)
    @blp.response(201, ExtensionSchema)
    def post(self, data, danger_id):
        """Request an extension in writing, within the window before the deadline."""
        danger = common.get(db.session, danger_id)
        ext = extensions.request(db.session, danger, data)
        commit(db.session)
        return ext


@blp.route("/<uuid:danger_id>/extensions/<uuid:extension_id>/decision", methods=["POST"])
@require(*REGULATORS)
@blp.arguments(ExtensionDecisionSchema)
@blp.response(200, ExtensionSchema)
def decide_extension(data, danger_id, extension_id):
    """Grant with a new deadline, or refuse with a reason."""
    danger = common.get(db.session, danger_id)
    ext = extensions.get(db.session, danger, extension_id)
    extensions.decide(db.session, danger, ext, data)
    commit(db.session)
    return ext
