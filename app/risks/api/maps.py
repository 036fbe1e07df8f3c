from flask import Response, json

from app import jobs, tenancy
from app.accounts.rules import AUTHORITY_STAFF, ENTERPRISE_ROLES, Role
from app.db import commit
from app.enterprises import service as enterprises
from app.extensions import db
from app.risks.models import RiskColor, RiskGrade
from app.risks.schemas import (
    ChangesArgsSchema,
    ColorQueryArgsSchema,
    MapFilterArgsSchema,
    RecomputeRequestedSchema,
    RiskColorSchema,
    RiskGradeSchema,
    SummaryArgsSchema,
    SummarySchema,
)
from app.risks.service import maps as service
from app.web import (
    Blueprint,
    PageArgsSchema,
    page,
    page_schema,
    require,
)

blp = Blueprint(
    "risk_map",
    __name__,
    url_prefix="/api/v1/risk-map",
    description="Four-color grades, roll-ups and the map",
)
ColorPageSchema = page_schema(RiskColorSchema, "RiskColorPageSchema")
GradePageSchema = page_schema(RiskGradeSchema, "RiskGradePageSchema")
READERS = (*AUTHORITY_STAFF, *ENTERPRISE_ROLES)
GEOJSON = "application/geo+json"


def _with_reasons(grade):
    grade.reasons = service.reasons(grade)
    return grade


@blp.route("/colors")
@require(*READERS)
@blp.arguments(ColorQueryArgsSchema, location="query")
@blp.response(200, ColorPageSchema)
def colors(args):
    """Current colors with their reasons (an enterprise user: its own)."""
    result = page(db.session, service.colors(db.session, args), RiskColor, args, rows=True)
    items = []
    for grade, enterprise in result["items"]:
        grade.enterprise_name = enterprise.name
        items.append(_with_reasons(grade))
    return {**result, "items": items}


@blp.route("/summary")
@require(*AUTHORITY_STAFF)
@blp.arguments(SummaryArgsSchema, location="query")
@blp.response(200, SummarySchema)
def summary(args):
    """Highest color and count per color, by region (every level), sector or authority."""
    return {"by": args["by"], "groups": service.summary(db.session, args["by"])}


@blp.route("/enterprises.geojson")
@require(*AUTHORITY_STAFF)
@blp.arguments(MapFilterArgsSchema, location="query")
@blp.doc(
    responses={
        "200": {
            "description": "GeoJSON FeatureCollection of enterprise points",
            "content": {GEOJSON: {"schema": {"type": "object"}}},
        }
    }
)
def enterprises_geojson(args):
    """Enterprises as WGS-84 points with color and reasons, for the four-color map."""
    return Response(json.dumps(service.geojson(db.session, args)), mimetype=GEOJSON)


@blp.route("/changes")
@require(*AUTHORITY_STAFF)
@blp.arguments(ChangesArgsSchema, location="query")
@blp.response(200, GradePageSchema)
def changes(args):
    """Enterprises whose color changed since a moment (first grades included)."""
    result = page(db.session, service.changes(db.session, args["since"]), RiskGrade, args)
    result["items"] = [_with_reasons(g) for g in result["items"]]
    return result


@blp.route("/enterprises/<uuid:enterprise_id>/grades")
@require(*READERS)
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, GradePageSchema)
def grades(args, enterprise_id):
    """An enterprise's grade history, oldest first."""
    enterprises.get(db.session, enterprise_id)  # out of scope: 404, like a missing one
    result = page(db.session, service.history(db.session, enterprise_id), RiskGrade, args)
    result["items"] = [_with_reasons(g) for g in result["items"]]
    return result


@blp.route("/recompute", methods=["POST"])
@require(Role.AUTHORITY_ADMIN)
@blp.response(202, RecomputeRequestedSchema)
def recompute():
    """Recompute every enterprise's color of the authority in the background."""
    jobs.enqueue_after_commit(
        db.session, "risks.recompute", authority_id=tenancy.current().authority_id
    )
    commit(db.session)
    return {"status": "queued"}
