from flask import Response
from flask.views import MethodView

from app.accounts.rules import AUTHORITY_STAFF, ENTERPRISE_ROLES, REGULATORS, Role
from app.apidocs import examples
from app.db import commit
from app.extensions import db
from app.hazards import export, rules, service
from app.hazards.models import HazardAssessment, HazardSource
from app.hazards.rules.register import FilingAction
from app.hazards.schemas import (
    AssessmentResultSchema,
    AssessRequestSchema,
    ChemicalListSchema,
    ChemicalQueryArgsSchema,
    FilingDecisionSchema,
    HazardAssessmentSchema,
    HazardExportArgsSchema,
    HazardSourceQueryArgsSchema,
    HazardSourceSchema,
    HazardSourceUpdateSchema,
    ReturnDecisionSchema,
)
from app.web import Blueprint, PageArgsSchema, check_if_match, page, page_schema, require, with_etag

blp = Blueprint(
    "hazards",
    __name__,
    url_prefix="/api/v1/hazard-sources",
    description="Major hazard sources (GB 18218-2018)",
)
HazardSourcePageSchema = page_schema(HazardSourceSchema, "HazardSourcePageSchema")
HazardAssessmentPageSchema = page_schema(HazardAssessmentSchema, "HazardAssessmentPageSchema")
READERS = (*AUTHORITY_STAFF, *ENTERPRISE_ROLES)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_LIMIT = 10_000


def _view(source: HazardSource) -> HazardSource:
    for key, value in service.status_view(source).items():
        setattr(source, key, value)
    return source


@blp.route("/assess", methods=["POST"])
@require(*Role)
@blp.arguments(AssessRequestSchema, example=examples.ASSESS)
@blp.response(200, AssessmentResultSchema, example=examples.ASSESS_RESULT)
def assess(data):
    """Identify and grade a unit without saving anything (any logged-in user)."""
    return service.result_dict(
        service.assess(data["unit_kind"], data["exposed_population"], data["substances"])
    )


@blp.route("/chemicals")
@require(*Role)
@blp.arguments(ChemicalQueryArgsSchema, location="query")
@blp.response(200, ChemicalListSchema)
def chemicals(args):
    """The named chemicals of GB 18218-2018 Table 1 the calculator knows (any logged-in user):
    what the form's chemical picker offers."""
    return {"data_version": rules.DATA_VERSION, "items": service.chemicals(args.get("q"))}


@blp.route("")
class HazardSources(MethodView):
    @require(*READERS)
    @blp.arguments(HazardSourceQueryArgsSchema, location="query")
    @blp.response(200, HazardSourcePageSchema)
    def get(self, args):
        """List hazard sources in the caller's scope, with the register's filters."""
        result = page(db.session, service.list_sources(db.session, args), HazardSource, args)
        result["items"] = [_view(s) for s in result["items"]]
        return result

    @require(Role.ENTERPRISE_ADMIN)
    @blp.arguments(HazardSourceSchema)
    @blp.response(201, HazardSourceSchema)
    def post(self, data):
        """Register a unit of the caller's enterprise; it is identified and graded at once."""
        source = service.create(db.session, data)
        commit(db.session)
        return with_etag(_view(source))


@blp.route("/export.xlsx")
@require(*AUTHORITY_STAFF)
@blp.arguments(HazardExportArgsSchema, location="query")
@blp.doc(
    responses={
        "200": {
            "description": "the register as .xlsx",
            "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
)
def export_xlsx(args):
    """The filtered register as an Excel workbook (at most 10,000 rows)."""
    stmt = service.list_sources(db.session, args, with_enterprise=True)
    rows = db.session.execute(stmt.order_by(HazardSource.id).limit(EXPORT_LIMIT)).all()
    body = export.workbook(
        (enterprise, source, service.status_view(source)) for source, enterprise in rows
    )
    return Response(
        body,
        mimetype=XLSX,
        headers={
            "Content-Disposition": 'attachment; filename="hazard-sources.xlsx"; '
            "filename*=UTF-8''%E9%87%8D%E5%A4%A7%E5%8D%B1%E9%99%A9%E6%BA%90.xlsx"
        },
    )


@blp.route("/<uuid:source_id>")
class HazardSourceItem(MethodView):
    @require(*READERS)
    @blp.response(200, HazardSourceSchema)
    def get(self, source_id):
        """Read a hazard source with its current result and how it was computed."""
        return with_etag(_view(service.get(db.session, source_id)))

    @require(Role.ENTERPRISE_ADMIN)
    @blp.arguments(HazardSourceUpdateSchema)
    @blp.response(200, HazardSourceSchema)
    def patch(self, changes, source_id):
        """Update a unit (If-Match required); it is re-identified and re-graded."""
        source = service.get(db.session, source_id)
        check_if_match(source)
        service.update(db.session, source, changes)
        commit(db.session)
        return with_etag(_view(source))


@blp.route("/<uuid:source_id>/assessments")
@require(*READERS)
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, HazardAssessmentPageSchema)
def assessments(args, source_id):
    """Every result computed for this unit, oldest first."""
    source = service.get(db.session, source_id)
    return page(db.session, service.history(db.session, source), HazardAssessment, args)


def _transition(source_id, action, note=None):
    source = service.get(db.session, source_id)
    service.transition(db.session, source, action, note)
    commit(db.session)
    return with_etag(_view(source))


@blp.route("/<uuid:source_id>/submit", methods=["POST"])
@require(Role.ENTERPRISE_ADMIN)
@blp.response(200, HazardSourceSchema)
def submit(source_id):
    """Submit the unit's filing (备案) to the regulator."""
    return _transition(source_id, FilingAction.SUBMIT)


@blp.route("/<uuid:source_id>/file", methods=["POST"])
@require(*REGULATORS)
@blp.arguments(FilingDecisionSchema)
@blp.response(200, HazardSourceSchema)
def file(data, source_id):
    """Accept a submitted filing (regulators of the enterprise's authority)."""
    return _transition(source_id, FilingAction.FILE, data.get("note"))


@blp.route("/<uuid:source_id>/return", methods=["POST"])
@require(*REGULATORS)
@blp.arguments(ReturnDecisionSchema)
@blp.response(200, HazardSourceSchema)
def return_filing(data, source_id):
    """Return a submitted filing with the reason."""
    return _transition(source_id, FilingAction.RETURN, data["note"])


@blp.route("/<uuid:source_id>/deactivate", methods=["POST"])
@require(Role.ENTERPRISE_ADMIN)
@blp.response(200, HazardSourceSchema)
def deactivate(source_id):
    """Take a unit out of service (it stays in the register's history)."""
    source = service.deactivate(db.session, service.get(db.session, source_id))
    commit(db.session)
    return with_etag(_view(source))
