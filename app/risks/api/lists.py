from flask.views import MethodView

from app.accounts.rules import AUTHORITY_STAFF, ENTERPRISE_ROLES, Role
from app.db import commit
from app.extensions import db
from app.risks import excel
from app.risks.api.points import XLSX_DOC, xlsx_response
from app.risks.models import RiskListEntry, RiskListVersion
from app.risks.schemas import (
    RiskListEntrySchema,
    RiskListQueryArgsSchema,
    RiskListVersionSchema,
    RiskSettingsSchema,
)
from app.risks.service import lists as service
from app.risks.service import points
from app.web import (
    Blueprint,
    PageArgsSchema,
    check_if_match,
    page,
    page_schema,
    require,
    with_etag,
)

blp = Blueprint(
    "risk_lists",
    __name__,
    url_prefix="/api/v1",
    description="Published risk lists and the grading convention",
)
VersionPageSchema = page_schema(RiskListVersionSchema, "RiskListVersionPageSchema")
EntryPageSchema = page_schema(RiskListEntrySchema, "RiskListEntryPageSchema")
READERS = (*AUTHORITY_STAFF, *ENTERPRISE_ROLES)


@blp.route("/risk-lists")
class RiskLists(MethodView):
    @require(*READERS)
    @blp.arguments(RiskListQueryArgsSchema, location="query")
    @blp.response(200, VersionPageSchema)
    def get(self, args):
        """Published risk lists in the caller's scope (regulators: their jurisdiction)."""
        result = page(db.session, service.list_versions(db.session, args), RiskListVersion, args)
        return {**result, "items": service.name_publishers(db.session, result["items"])}

    @require(Role.ENTERPRISE_ADMIN)
    @blp.response(201, RiskListVersionSchema)
    def post(self):
        """Publish the working list as a new frozen version."""
        version = service.publish(db.session)
        commit(db.session)
        return service.name_publishers(db.session, [version])[0]


@blp.route("/risk-lists/<uuid:version_id>")
@require(*READERS)
@blp.response(200, RiskListVersionSchema)
def get_version(version_id):
    """A published version."""
    return service.name_publishers(db.session, [service.get_version(db.session, version_id)])[0]


@blp.route("/risk-lists/<uuid:version_id>/entries")
@require(*READERS)
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, EntryPageSchema)
def version_entries(args, version_id):
    """The risk points as published in this version."""
    version = service.get_version(db.session, version_id)
    return page(db.session, service.entries(db.session, version), RiskListEntry, args)


@blp.route("/risk-lists/<uuid:version_id>/export.xlsx")
@require(*READERS)
@blp.doc(responses=XLSX_DOC)
def export_version(version_id):
    """A published version as .xlsx."""
    version = service.get_version(db.session, version_id)
    rows = [
        e.data
        for e in db.session.scalars(service.entries(db.session, version).order_by(RiskListEntry.id))
    ]
    return xlsx_response(
        excel.export_workbook(rows, title=f"安全风险清单 第{version.number}版"),
        f"risk-list-v{version.number}.xlsx",
        f"%E5%AE%89%E5%85%A8%E9%A3%8E%E9%99%A9%E6%B8%85%E5%8D%95-v{version.number}.xlsx",
    )


@blp.route("/risk-settings")
class RiskSettings(MethodView):
    @require(*READERS)
    @blp.response(200, RiskSettingsSchema)
    def get(self):
        """The authority's grading convention (the documented default until it sets one)."""
        settings = points.find_settings(db.session)
        if settings is None:
            return {"grading": points.grading_config(db.session).to_dict(), "version": 0}
        return with_etag(settings)

    @require(Role.AUTHORITY_ADMIN)
    @blp.arguments(RiskSettingsSchema)
    @blp.response(200, RiskSettingsSchema)
    def put(self, data):
        """Replace the grading convention (If-Match required once one is set)."""
        existing = points.find_settings(db.session)
        if existing is not None:
            check_if_match(existing)
        settings = points.set_grading(db.session, data["grading"])
        commit(db.session)
        return with_etag(settings)
