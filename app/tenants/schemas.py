from marshmallow import fields, validate

from app.tenants.rules import RegionKind
from app.web import BaseSchema, PageArgsSchema, username_field


class AuthoritySchema(BaseSchema):
    id = fields.UUID(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=2, max=120))
    short_name = fields.String(required=True, validate=validate.Length(min=1, max=20))
    reconsideration_body = fields.String(allow_none=True, validate=validate.Length(max=120))
    court = fields.String(allow_none=True, validate=validate.Length(max=120))
    is_active = fields.Boolean(dump_only=True)
    version = fields.Integer(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class FirstAdminSchema(BaseSchema):
    username = username_field(required=True)
    display_name = fields.String(required=True, validate=validate.Length(min=1, max=60))
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=256))
    phone = fields.String(allow_none=True, validate=validate.Length(max=30))


class AuthorityCreateSchema(AuthoritySchema):
    admin = fields.Nested(FirstAdminSchema, required=True, load_only=True)


class AuthorityCreatedSchema(AuthoritySchema):
    first_admin_id = fields.UUID(dump_only=True)


class AuthorityUpdateSchema(BaseSchema):
    name = fields.String(validate=validate.Length(min=2, max=120))
    short_name = fields.String(validate=validate.Length(min=1, max=20))
    reconsideration_body = fields.String(allow_none=True, validate=validate.Length(max=120))
    court = fields.String(allow_none=True, validate=validate.Length(max=120))


class AuthorityQueryArgsSchema(PageArgsSchema):
    is_active = fields.Boolean()


class RegionSchema(BaseSchema):
    id = fields.UUID(dump_only=True)
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in RegionKind]))
    name = fields.String(required=True, validate=validate.Length(min=1, max=80))
    code = fields.String(allow_none=True, validate=validate.Length(max=32))
    parent_id = fields.UUID(allow_none=True)
    street_id = fields.UUID(dump_only=True)
    is_active = fields.Boolean(dump_only=True)
    version = fields.Integer(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class RegionUpdateSchema(BaseSchema):
    name = fields.String(validate=validate.Length(min=1, max=80))
    code = fields.String(allow_none=True, validate=validate.Length(max=32))


class RegionQueryArgsSchema(PageArgsSchema):
    kind = fields.String(validate=validate.OneOf([k.value for k in RegionKind]))
    parent_id = fields.UUID()
    street_id = fields.UUID()
    is_active = fields.Boolean()
    q = fields.String(validate=validate.Length(min=1, max=80))
