from app.accounts.rules import ENTERPRISE_ROLES
from app.dashboard import service
from app.dashboard.schemas import DashboardSchema
from app.extensions import db
from app.web import Blueprint, require

blp = Blueprint(
    "dashboard",
    __name__,
    url_prefix="/api/v1",
    description="The enterprise's to-do dashboard (工作台), in one call",
)


@blp.route("/enterprise-dashboard")
@require(*ENTERPRISE_ROLES)
@blp.response(200, DashboardSchema)
def dashboard():
    """The caller's enterprise at a glance: its four-color grade with the reasons, its class with
    the explanation, hidden dangers overdue and due within 7 days, returned filings, evaluations
    due, and unread notifications. Enterprise staff get the reduced dashboard (the sections
    listed in `sections`; the others are null)."""
    return service.build(db.session)
