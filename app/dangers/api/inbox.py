from flask.views import MethodView

from app.accounts.rules import AUTHORITY_STAFF, ENTERPRISE_ROLES, Role
from app.dangers.models import DangerReport, Notification
from app.dangers.schemas import (
    MarkedSchema,
    NotificationQueryArgsSchema,
    NotificationSchema,
    PeriodArgsSchema,
    ReportQueryArgsSchema,
    ReportSchema,
    ReportSubmitSchema,
    StatisticsSchema,
)
from app.dangers.service import notify, reports
from app.db import commit
from app.extensions import db
from app.tenancy import current
from app.web import Blueprint, page, page_schema, require

blp = Blueprint(
    "dangers_inbox",
    __name__,
    url_prefix="/api/v1",
    description="Notifications, and the ledger's quarterly and annual statistics",
)
READERS = (*AUTHORITY_STAFF, *ENTERPRISE_ROLES)
NotificationPageSchema = page_schema(NotificationSchema, "NotificationPageSchema")
ReportPageSchema = page_schema(ReportSchema, "ReportPageSchema")


@blp.route("/notifications")
@require(*READERS)
@blp.arguments(NotificationQueryArgsSchema, location="query")
@blp.response(200, NotificationPageSchema)
def notifications(args):
    """The caller's own notifications, oldest first."""
    return page(db.session, notify.list_mine(db.session, args), Notification, args)


@blp.route("/notifications/<uuid:notification_id>/read", methods=["POST"])
@require(*READERS)
@blp.response(200, NotificationSchema)
def mark_read(notification_id):
    """Mark one of the caller's notifications read (idempotent)."""
    note = notify.mark_read(db.session, notification_id)
    commit(db.session)
    return note


@blp.route("/notifications/read-all", methods=["POST"])
@require(*READERS)
@blp.response(200, MarkedSchema)
def mark_all_read():
    """Mark all the caller's notifications read."""
    marked = notify.mark_all_read(db.session)
    commit(db.session)
    return {"marked": marked}


@blp.route("/hidden-danger-statistics")
@require(*READERS)
@blp.arguments(PeriodArgsSchema, location="query")
@blp.response(200, StatisticsSchema)
def statistics(args):
    """Found, closed, on time, overdue, by severity and source: for one enterprise, or for the
    caller's whole jurisdiction (authority staff without enterprise_id)."""
    # An enterprise user's own figures; a filter never widens the scope (another tenant's
    # enterprise counts nothing, like every other list filter).
    enterprise_id = current().enterprise_id or args.get("enterprise_id")
    return reports.figures(db.session, args["year"], args.get("quarter"), enterprise_id)


@blp.route("/hidden-danger-reports")
class Reports(MethodView):
    @require(*READERS)
    @blp.arguments(ReportQueryArgsSchema, location="query")
    @blp.response(200, ReportPageSchema)
    def get(self, args):
        """Signed statistics submitted by enterprises (one's own, or the jurisdiction's)."""
        result = page(db.session, reports.list_stmt(args), DangerReport, args)
        result["items"] = [_view(r) for r in result["items"]]
        return result

    @require(Role.ENTERPRISE_ADMIN)
    @blp.arguments(ReportSubmitSchema)
    @blp.response(201, ReportSchema)
    def post(self, data):
        """The principal signs off a finished quarter's (or year's) statistics and submits them."""
        report = reports.submit(db.session, data)
        commit(db.session)
        return _view(report)


@blp.route("/hidden-danger-reports/<uuid:report_id>")
@require(*READERS)
@blp.response(200, ReportSchema)
def get_report(report_id):
    """One submitted report."""
    return _view(reports.get(db.session, report_id))


def _view(report: DangerReport) -> dict:
    data = {name: getattr(report, name) for name in ReportSchema().fields}
    data["quarter"] = report.quarter or None
    return data
