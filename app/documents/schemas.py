"""Request and response shapes of enforcement documents."""

from __future__ import annotations

from marshmallow import fields, validate

from app.documents.models import EXPORT_STATUSES, KINDS, STATUSES
from app.web import BaseSchema, PageArgsSchema

_KIND = validate.OneOf(KINDS)


class IssueSchema(BaseSchema):
    kind = fields.String(required=True, validate=_KIND)


class CorrectionSchema(BaseSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class DocumentSchema(BaseSchema):
    id = fields.UUID(dump_only=True)
    kind = fields.String(dump_only=True, validate=_KIND)
    number = fields.String(dump_only=True)
    year = fields.Integer(dump_only=True)
    serial = fields.Integer(dump_only=True)
    enterprise_id = fields.UUID(dump_only=True)
    inspection_id = fields.UUID(dump_only=True)
    issued_on = fields.Date(dump_only=True)
    issued_at = fields.DateTime(dump_only=True)
    status = fields.String(dump_only=True, validate=validate.OneOf(STATUSES))
    verification_code = fields.String(dump_only=True)
    sha256 = fields.String(dump_only=True, allow_none=True)
    size = fields.Integer(dump_only=True, allow_none=True)
    render_error = fields.String(dump_only=True, allow_none=True)
    supersedes_id = fields.UUID(dump_only=True, allow_none=True)
    superseded_at = fields.DateTime(dump_only=True, allow_none=True)
    correction_reason = fields.String(dump_only=True, allow_none=True)
    version = fields.Integer(dump_only=True)


class DocumentQueryArgsSchema(PageArgsSchema):
    kind = fields.String(validate=_KIND)
    status = fields.String(validate=validate.OneOf(STATUSES))
    enterprise_id = fields.UUID()
    inspection_id = fields.UUID()
    year = fields.Integer(validate=validate.Range(min=2000, max=2100))
    issued_from = fields.Date()
    issued_to = fields.Date()
    current = fields.Boolean()


class ExportRequestSchema(BaseSchema):
    kind = fields.String(validate=_KIND)
    year = fields.Integer(validate=validate.Range(min=2000, max=2100))
    issued_from = fields.Date()
    issued_to = fields.Date()
    region_id = fields.UUID()


class ExportSchema(BaseSchema):
    id = fields.UUID(dump_only=True)
    status = fields.String(dump_only=True, validate=validate.OneOf(EXPORT_STATUSES))
    filters = fields.Dict(dump_only=True)
    total = fields.Integer(dump_only=True)
    done = fields.Integer(dump_only=True)
    size = fields.Integer(dump_only=True, allow_none=True)
    error = fields.String(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)
    finished_at = fields.DateTime(dump_only=True, allow_none=True)


class VerificationSchema(BaseSchema):
    """What anyone holding a paper or file copy checks it against."""

    code = fields.String(dump_only=True)
    number = fields.String(dump_only=True)
    kind = fields.String(dump_only=True)
    title = fields.String(dump_only=True)
    authority_name = fields.String(dump_only=True)
    enterprise_name = fields.String(dump_only=True)
    issued_on = fields.Date(dump_only=True)
    sha256 = fields.String(dump_only=True)
    status = fields.String(dump_only=True, metadata={"description": "valid or superseded"})
    superseded_by = fields.String(dump_only=True, allow_none=True)
