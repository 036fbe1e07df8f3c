from flask import Response
from flask.views import MethodView

from app.accounts.rules import ENTERPRISE_ROLES, Role
from app.db import commit
from app.errors import Unprocessable
from app.extensions import db
from app.messages import Msg
from app.risks import excel
from app.risks.models import RiskPoint
from app.risks.schemas import (
    AssessmentSchema,
    EvaluationSchema,
    ImportArgsSchema,
    ImportFileSchema,
    ImportResultSchema,
    RiskPointQueryArgsSchema,
    RiskPointSchema,
    RiskPointUpdateSchema,
)
from app.risks.service import points as service
from app.web import Blueprint, check_if_match, page, page_schema, require, with_etag

blp = Blueprint(
    "risk_points",
    __name__,
    url_prefix="/api/v1",
    description="Risk lists: risk points and their LEC/LS assessments",
)
RiskPointPageSchema = page_schema(RiskPointSchema, "RiskPointPageSchema")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_DOC = {
    "200": {
        "description": "an .xlsx workbook",
        "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
    }
}


def xlsx_response(body: bytes, ascii_name: str, utf8_name: str) -> Response:
    return Response(
        body,
        mimetype=XLSX,
        headers={
            "Content-Disposition": f'attachment; filename="{ascii_name}"; '
            f"filename*=UTF-8''{utf8_name}"
        },
    )


@blp.route("/risk-assessments/evaluate", methods=["POST"])
@require(*Role)
@blp.arguments(AssessmentSchema)
@blp.response(200, EvaluationSchema)
def evaluate(data):
    """Grade one LEC or LS assessment without saving (the caller's authority's convention)."""
    return service.evaluate(db.session, data).as_dict()


@blp.route("/risk-points")
class RiskPoints(MethodView):
    @require(*ENTERPRISE_ROLES)
    @blp.arguments(RiskPointQueryArgsSchema, location="query")
    @blp.response(200, RiskPointPageSchema)
    def get(self, args):
        """The enterprise's working risk list."""
        return page(db.session, service.list_points(db.session, args), RiskPoint, args)

    @require(Role.ENTERPRISE_ADMIN)
    @blp.arguments(RiskPointSchema)
    @blp.response(201, RiskPointSchema)
    def post(self, data):
        """Add a risk point; both assessments are graded at once."""
        point = service.create(db.session, data)
        commit(db.session)
        return with_etag(point)


@blp.route("/risk-points/template.xlsx")
@require(*Role)
@blp.doc(responses=XLSX_DOC)
def template():
    """The Excel template for importing a risk list (Chinese headers, allowed values)."""
    return xlsx_response(
        excel.template_workbook(),
        "risk-list-template.xlsx",
        "%E9%A3%8E%E9%99%A9%E6%B8%85%E5%8D%95%E6%A8%A1%E6%9D%BF.xlsx",
    )


@blp.route("/risk-points/import", methods=["POST"])
@require(Role.ENTERPRISE_ADMIN)
@blp.arguments(ImportArgsSchema, location="query")
@blp.arguments(ImportFileSchema, location="files")
@blp.response(201, ImportResultSchema)
def import_xlsx(args, files):
    """Import the filled template: all rows or none; every bad row and cell reported at once."""
    data = files["file"].read()
    result = excel.parse_workbook(data, config=service.grading_config(db.session))
    if result.errors:
        errors: dict[str, list[str]] = {}
        for e in result.errors:
            errors.setdefault(f"row {e['row']}: {e['column']}", []).append(e["message"])
        raise Unprocessable(
            Msg("%(count)s problems; nothing was imported", count=len(result.errors)), errors=errors
        )
    if not result.rows:
        raise Unprocessable("the workbook has no risk points", errors={"file": ["no rows"]})
    deactivated = service.deactivate_all(db.session) if args["mode"] == "replace" else 0
    created = service.import_rows(db.session, result.rows)
    commit(db.session)
    return {"imported": len(created), "deactivated": deactivated}


@blp.route("/risk-points/export.xlsx")
@require(*ENTERPRISE_ROLES)
@blp.arguments(RiskPointQueryArgsSchema, location="query")
@blp.doc(responses=XLSX_DOC)
def export_xlsx(args):
    """The working risk list as .xlsx (it re-imports cleanly)."""
    stmt = service.list_points(db.session, args).order_by(RiskPoint.id).limit(excel.MAX_ROWS)
    rows = [service.as_export_row(p) for p in db.session.scalars(stmt)]
    return xlsx_response(
        excel.export_workbook(rows, title="安全风险清单"),
        "risk-list.xlsx",
        "%E5%AE%89%E5%85%A8%E9%A3%8E%E9%99%A9%E6%B8%85%E5%8D%95.xlsx",
    )


@blp.route("/risk-points/<uuid:point_id>")
class RiskPointItem(MethodView):
    @require(*ENTERPRISE_ROLES)
    @blp.response(200, RiskPointSchema)
    def get(self, point_id):
        """Read a risk point."""
        return with_etag(service.get(db.session, point_id))

    @require(Role.ENTERPRISE_ADMIN)
    @blp.arguments(RiskPointUpdateSchema)
    @blp.response(200, RiskPointSchema)
    def patch(self, changes, point_id):
        """Update a risk point (If-Match required); it is graded again."""
        point = service.get(db.session, point_id)
        check_if_match(point)
        service.update(db.session, point, changes)
        commit(db.session)
        return with_etag(point)


@blp.route("/risk-points/<uuid:point_id>/deactivate", methods=["POST"])
@require(Role.ENTERPRISE_ADMIN)
@blp.response(200, RiskPointSchema)
def deactivate(point_id):
    """Take a risk point off the working list."""
    point = service.deactivate(db.session, service.get(db.session, point_id))
    commit(db.session)
    return with_etag(point)
