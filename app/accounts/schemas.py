from marshmallow import fields, validate

from app.accounts.rules import Role
from app.web import BaseSchema, PageArgsSchema, username_field

_ROLES = [r.value for r in Role if r != Role.PLATFORM_ADMIN]


class TokenRequestSchema(BaseSchema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(
        required=True, load_only=True, validate=validate.Length(min=1, max=256)
    )


class TokenSchema(BaseSchema):
    access_token = fields.String(required=True)
    token_type = fields.String(required=True)
    expires_at = fields.DateTime(required=True)
    expires_in = fields.Integer(required=True)


class UserSchema(BaseSchema):
    id = fields.UUID(dump_only=True)
    username = username_field(required=True)
    display_name = fields.String(required=True, validate=validate.Length(min=1, max=60))
    phone = fields.String(allow_none=True, validate=validate.Length(max=30))
    role = fields.String(required=True, validate=validate.OneOf(_ROLES))
    authority_id = fields.UUID(dump_only=True, allow_none=True)
    enterprise_id = fields.UUID(allow_none=True)
    street_id = fields.UUID(allow_none=True)
    badge_no = fields.String(
        allow_none=True,
        validate=validate.Length(max=40),
        metadata={"description": "law-enforcement certificate number (inspectors)"},
    )
    is_active = fields.Boolean(dump_only=True)
    version = fields.Integer(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class UserCreateSchema(UserSchema):
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=256))


class UserUpdateSchema(BaseSchema):
    display_name = fields.String(validate=validate.Length(min=1, max=60))
    phone = fields.String(allow_none=True, validate=validate.Length(max=30))
    role = fields.String(validate=validate.OneOf(_ROLES))
    street_id = fields.UUID(allow_none=True)
    badge_no = fields.String(allow_none=True, validate=validate.Length(max=40))


class UserQueryArgsSchema(PageArgsSchema):
    role = fields.String(validate=validate.OneOf(_ROLES))
    enterprise_id = fields.UUID()
    is_active = fields.Boolean()
    q = fields.String(validate=validate.Length(min=1, max=64))


class PasswordChangeSchema(BaseSchema):
    current_password = fields.String(
        required=True, load_only=True, validate=validate.Length(max=256)
    )
    new_password = fields.String(required=True, load_only=True, validate=validate.Length(max=256))


class ScopeRefSchema(BaseSchema):
    id = fields.UUID(required=True)
    name = fields.String(required=True)


class AuthorityRefSchema(ScopeRefSchema):
    short_name = fields.String(required=True)


class MeSchema(UserSchema):
    authority = fields.Nested(AuthorityRefSchema, allow_none=True, dump_only=True)
    enterprise = fields.Nested(ScopeRefSchema, allow_none=True, dump_only=True)
    street = fields.Nested(ScopeRefSchema, allow_none=True, dump_only=True)
