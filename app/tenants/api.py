from flask.views import MethodView

from app import tenancy
from app.accounts import service as accounts
from app.accounts.rules import AUTHORITY_STAFF, Role
from app.db import commit
from app.extensions import db
from app.tenants import service
from app.tenants.models import Authority, Region
from app.tenants.schemas import (
    AuthorityCreatedSchema,
    AuthorityCreateSchema,
    AuthorityQueryArgsSchema,
    AuthoritySchema,
    AuthorityUpdateSchema,
    RegionQueryArgsSchema,
    RegionSchema,
    RegionUpdateSchema,
)
from app.web import Blueprint, check_if_match, page, page_schema, require, with_etag

blp = Blueprint("tenants", __name__, url_prefix="/api/v1", description="Authorities and regions")

AuthorityPageSchema = page_schema(AuthoritySchema, "AuthorityPageSchema")
RegionPageSchema = page_schema(RegionSchema, "RegionPageSchema")
ADMIN = (Role.AUTHORITY_ADMIN,)


@blp.route("/authorities")
class Authorities(MethodView):
    @require(Role.PLATFORM_ADMIN)
    @blp.arguments(AuthorityQueryArgsSchema, location="query")
    @blp.response(200, AuthorityPageSchema)
    def get(self, args):
        """List authorities (platform operator)."""
        stmt = db.select(Authority)
        if args.get("is_active") is not None:
            stmt = stmt.where(Authority.is_active == args["is_active"])
        return page(db.session, stmt, Authority, args)

    @require(Role.PLATFORM_ADMIN)
    @blp.arguments(AuthorityCreateSchema)
    @blp.response(201, AuthorityCreatedSchema)
    def post(self, data):
        """Create an authority and its first admin (platform operator)."""
        admin = data.pop("admin")
        authority = service.create_authority(db.session, data)
        # Act inside the new tenant for its first admin, so both locks see a proper insert.
        with tenancy.using(tenancy.current().acting_in(authority.id), db.session):
            user = accounts.create_first_admin(db.session, authority, admin)
            commit(db.session)
        authority.first_admin_id = user.id
        return with_etag(authority)


@blp.route("/authorities/<uuid:authority_id>")
class AuthorityItem(MethodView):
    @require(Role.PLATFORM_ADMIN, *AUTHORITY_STAFF)
    @blp.response(200, AuthoritySchema)
    def get(self, authority_id):
        """Read an authority (the platform operator, or its own staff)."""
        return with_etag(service.get_authority(db.session, authority_id))

    @require(Role.PLATFORM_ADMIN, Role.AUTHORITY_ADMIN)
    @blp.arguments(AuthorityUpdateSchema)
    @blp.response(200, AuthoritySchema)
    def patch(self, changes, authority_id):
        """Update an authority (If-Match required)."""
        authority = service.get_authority(db.session, authority_id)
        check_if_match(authority)
        service.update_authority(db.session, authority, changes)
        commit(db.session)
        return with_etag(authority)


@blp.route("/authorities/<uuid:authority_id>/deactivate", methods=["POST"])
@require(Role.PLATFORM_ADMIN)
@blp.response(200, AuthoritySchema)
def deactivate_authority(authority_id):
    """Deactivate an authority (platform operator)."""
    authority = service.deactivate_authority(
        db.session, service.get_authority(db.session, authority_id)
    )
    commit(db.session)
    return with_etag(authority)


@blp.route("/regions")
class Regions(MethodView):
    @require(*AUTHORITY_STAFF)
    @blp.arguments(RegionQueryArgsSchema, location="query")
    @blp.response(200, RegionPageSchema)
    def get(self, args):
        """List the authority's regions."""
        return page(db.session, service.list_regions(db.session, args), Region, args)

    @require(*ADMIN)
    @blp.arguments(RegionSchema)
    @blp.response(201, RegionSchema)
    def post(self, data):
        """Create a street, community or grid."""
        region = service.create_region(db.session, data)
        commit(db.session)
        return with_etag(region)


@blp.route("/regions/<uuid:region_id>")
class RegionItem(MethodView):
    @require(*AUTHORITY_STAFF)
    @blp.response(200, RegionSchema)
    def get(self, region_id):
        """Read a region."""
        return with_etag(service.get_region(db.session, region_id))

    @require(*ADMIN)
    @blp.arguments(RegionUpdateSchema)
    @blp.response(200, RegionSchema)
    def patch(self, changes, region_id):
        """Rename a region (If-Match required)."""
        region = service.get_region(db.session, region_id)
        check_if_match(region)
        service.update_region(db.session, region, changes)
        commit(db.session)
        return with_etag(region)


@blp.route("/regions/<uuid:region_id>/deactivate", methods=["POST"])
@require(*ADMIN)
@blp.response(200, RegionSchema)
def deactivate_region(region_id):
    """Deactivate a region without active children."""
    region = service.deactivate_region(db.session, service.get_region(db.session, region_id))
    commit(db.session)
    return with_etag(region)
