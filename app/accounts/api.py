from flask import current_app, request
from flask.views import MethodView

from app import tenancy
from app.accounts import service
from app.accounts.models import User
from app.accounts.rules import AUTHORITY_STAFF, ENTERPRISE_ROLES, Role
from app.accounts.schemas import (
    MeSchema,
    PasswordChangeSchema,
    TokenRequestSchema,
    TokenSchema,
    UserCreateSchema,
    UserQueryArgsSchema,
    UserSchema,
    UserUpdateSchema,
)
from app.apidocs import examples
from app.db import commit
from app.enterprises import service as enterprises
from app.extensions import db, limiter
from app.tenants import service as tenants
from app.web import Blueprint, check_if_match, page, page_schema, require, with_etag

blp = Blueprint("accounts", __name__, url_prefix="/api/v1", description="Login, me and users")
UserPageSchema = page_schema(UserSchema, "UserPageSchema")
MANAGERS = (Role.AUTHORITY_ADMIN, Role.ENTERPRISE_ADMIN)
EVERYONE = tuple(Role)


def _login_username() -> str:
    body = request.get_json(silent=True) if request.is_json else None
    username = body.get("username") if isinstance(body, dict) else None
    return str(username)[:64]


# Three limits on login: per address and username (the usual guessing), per username from any
# address (a distributed guess at one account), and per address over any username (spraying).
def _login_key():
    return f"{request.remote_addr}|{_login_username()}"


def _login_user_key():
    return f"user|{_login_username()}"


def _login_address_key():
    return f"addr|{request.remote_addr}"


def _current_user_key():
    return f"me|{tenancy.current().user_id}"


@blp.route("/auth/token", methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], key_func=_login_key)
@limiter.limit(lambda: current_app.config["LOGIN_USER_RATE_LIMIT"], key_func=_login_user_key)
@limiter.limit(lambda: current_app.config["LOGIN_ADDRESS_RATE_LIMIT"], key_func=_login_address_key)
@blp.arguments(TokenRequestSchema, example=examples.LOGIN)
@blp.response(201, TokenSchema, example=examples.TOKEN)
def issue_token(data):
    """Log in with username and password; returns a short-lived bearer token."""
    token, row = service.login(db.session, data["username"], data["password"])
    commit(db.session)
    return {
        "access_token": token,
        "token_type": "Bearer",
        "expires_at": row.expires_at,
        "expires_in": int(current_app.config["TOKEN_TTL_SECONDS"]),
    }


@blp.route("/auth/token", methods=["DELETE"])
@require(*EVERYONE)
@blp.response(204)
def revoke_token():
    """Log out: revoke the token used for this request."""
    service.logout(db.session)
    commit(db.session)


@blp.route("/me")
class Me(MethodView):
    @require(*EVERYONE)
    @blp.response(200, MeSchema)
    def get(self):
        """Who am I, and what is my scope."""
        scope = tenancy.current()
        user = service.get_user(db.session, scope.user_id)
        user.authority = (
            tenants.get_authority(db.session, scope.authority_id) if scope.authority_id else None
        )
        user.enterprise = enterprises.find(db.session, scope.enterprise_id)
        user.street = tenants.find_region(db.session, scope.street_id)
        return user


@blp.route("/me/password", methods=["POST"])
@require(*EVERYONE)
@limiter.limit(lambda: current_app.config["PASSWORD_CHANGE_RATE_LIMIT"], key_func=_current_user_key)
@blp.arguments(PasswordChangeSchema)
@blp.response(204)
def change_password(data):
    """Change my password; my other tokens are revoked."""
    user = service.get_user(db.session, tenancy.current().user_id)
    service.change_password(db.session, user, data["current_password"], data["new_password"])
    commit(db.session)


@blp.route("/users")
class Users(MethodView):
    @require(*AUTHORITY_STAFF, Role.ENTERPRISE_ADMIN)
    @blp.arguments(UserQueryArgsSchema, location="query")
    @blp.response(200, UserPageSchema)
    def get(self, args):
        """List users in the caller's scope."""
        return page(db.session, service.list_users(db.session, args), User, args)

    @require(*MANAGERS)
    @blp.arguments(UserCreateSchema)
    @blp.response(201, UserSchema)
    def post(self, data):
        """Create a user: the authority admin any role; an enterprise admin its staff."""
        user = service.create_user(db.session, data)
        commit(db.session)
        return with_etag(user)


@blp.route("/users/<uuid:user_id>")
class UserItem(MethodView):
    @require(*AUTHORITY_STAFF, Role.ENTERPRISE_ADMIN)
    @blp.response(200, UserSchema)
    def get(self, user_id):
        """Read a user."""
        return with_etag(service.get_user(db.session, user_id))

    @require(*MANAGERS)
    @blp.arguments(UserUpdateSchema)
    @blp.response(200, UserSchema)
    def patch(self, changes, user_id):
        """Update a user (If-Match required)."""
        user = service.get_user(db.session, user_id)
        check_if_match(user)
        service.update_user(db.session, user, changes)
        commit(db.session)
        return with_etag(user)


@blp.route("/users/<uuid:user_id>/deactivate", methods=["POST"])
@require(*MANAGERS)
@blp.response(200, UserSchema)
def deactivate_user(user_id):
    """Deactivate a user and revoke its tokens."""
    user = service.deactivate_user(db.session, service.get_user(db.session, user_id))
    commit(db.session)
    return with_etag(user)


__all__ = ["ENTERPRISE_ROLES", "blp"]
