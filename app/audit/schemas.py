from marshmallow import fields, validate

from app.web import BaseSchema, PageArgsSchema


class AuditEventSchema(BaseSchema):
    id = fields.UUID(dump_only=True)
    chain = fields.String(dump_only=True)
    seq = fields.Integer(dump_only=True)
    occurred_at = fields.DateTime(dump_only=True)
    actor_id = fields.UUID(dump_only=True, allow_none=True)
    actor_role = fields.String(dump_only=True, allow_none=True)
    action = fields.String(dump_only=True)
    entity_type = fields.String(dump_only=True)
    entity_id = fields.String(dump_only=True, allow_none=True)
    payload = fields.String(dump_only=True, metadata={"description": "canonical JSON, hashed"})
    prev_hash = fields.String(dump_only=True)
    hash = fields.String(dump_only=True)


class AuditQueryArgsSchema(PageArgsSchema):
    entity_type = fields.String(validate=validate.Length(max=40))
    entity_id = fields.String(validate=validate.Length(max=64))
    action = fields.String(validate=validate.OneOf(["create", "update", "delete"]))


class CheckpointRequestedSchema(BaseSchema):
    status = fields.String(required=True)


class VerdictSchema(BaseSchema):
    ok = fields.Boolean(required=True)
    events = fields.Integer(required=True)
    first_bad_seq = fields.Integer(allow_none=True)
    reason = fields.String(allow_none=True)
