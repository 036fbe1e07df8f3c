from flask.views import MethodView

from app.accounts.rules import AUTHORITY_STAFF, ENTERPRISE_ROLES, REGULATORS, Role
from app.db import commit
from app.enterprises import service
from app.enterprises.models import Enterprise
from app.enterprises.schemas import (
    EnterpriseQueryArgsSchema,
    EnterpriseSchema,
    EnterpriseUpdateSchema,
)
from app.extensions import db
from app.web import Blueprint, check_if_match, page, page_schema, require, with_etag

blp = Blueprint(
    "enterprises",
    __name__,
    url_prefix="/api/v1/enterprises",
    description="Enterprises (生产经营单位)",
)
EnterprisePageSchema = page_schema(EnterpriseSchema, "EnterprisePageSchema")
READERS = (*AUTHORITY_STAFF, *ENTERPRISE_ROLES)


@blp.route("")
class Enterprises(MethodView):
    @require(*READERS)
    @blp.arguments(EnterpriseQueryArgsSchema, location="query")
    @blp.response(200, EnterprisePageSchema)
    def get(self, args):
        """List the enterprises in the caller's scope."""
        return page(db.session, service.list_enterprises(db.session, args), Enterprise, args)

    @require(*REGULATORS)
    @blp.arguments(EnterpriseSchema)
    @blp.response(201, EnterpriseSchema)
    def post(self, data):
        """Register an enterprise in the authority."""
        enterprise = service.create(db.session, data)
        commit(db.session)
        return with_etag(enterprise)


@blp.route("/<uuid:enterprise_id>")
class EnterpriseItem(MethodView):
    @require(*READERS)
    @blp.response(200, EnterpriseSchema)
    def get(self, enterprise_id):
        """Read an enterprise."""
        return with_etag(service.get(db.session, enterprise_id))

    @require(*REGULATORS, Role.ENTERPRISE_ADMIN)
    @blp.arguments(EnterpriseUpdateSchema)
    @blp.response(200, EnterpriseSchema)
    def patch(self, changes, enterprise_id):
        """Update an enterprise (If-Match required). Enterprise admins edit their profile fields."""
        enterprise = service.get(db.session, enterprise_id)
        check_if_match(enterprise)
        service.update(db.session, enterprise, changes)
        commit(db.session)
        return with_etag(enterprise)


@blp.route("/<uuid:enterprise_id>/deactivate", methods=["POST"])
@require(*REGULATORS)
@blp.response(200, EnterpriseSchema)
def deactivate(enterprise_id):
    """Deactivate an enterprise."""
    enterprise = service.deactivate(db.session, service.get(db.session, enterprise_id))
    commit(db.session)
    return with_etag(enterprise)
