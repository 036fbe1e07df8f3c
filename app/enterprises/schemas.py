from marshmallow import fields, validate

from app.enterprises.rules import STANDARDIZATION_GRADES, Sector
from app.web import BaseSchema, PageArgsSchema, Partial

_SECTORS = [s.value for s in Sector]


class EnterpriseSchema(BaseSchema):
    id = fields.UUID(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=2, max=200))
    uscc = fields.String(
        required=True,
        validate=validate.Length(equal=18),
        metadata={
            "description": "unified social credit code (GB 32100-2015), check digit verified"
        },
    )
    sector = fields.String(required=True, validate=validate.OneOf(_SECTORS))
    industry = fields.String(allow_none=True, validate=validate.Length(max=80))
    region_id = fields.UUID(required=True)
    street_id = fields.UUID(dump_only=True)
    address = fields.String(allow_none=True, validate=validate.Length(max=300))
    longitude = fields.Float(
        allow_none=True,
        validate=validate.Range(min=-180, max=180),
        metadata={"description": "WGS-84"},
    )
    latitude = fields.Float(
        allow_none=True,
        validate=validate.Range(min=-90, max=90),
        metadata={"description": "WGS-84"},
    )
    is_key = fields.Boolean(load_default=False)
    standardization_grade = fields.Integer(
        allow_none=True, validate=validate.OneOf(STANDARDIZATION_GRADES)
    )
    legal_representative = fields.String(allow_none=True, validate=validate.Length(max=60))
    safety_contact_name = fields.String(allow_none=True, validate=validate.Length(max=60))
    safety_contact_phone = fields.String(allow_none=True, validate=validate.Length(max=30))
    headcount = fields.Integer(allow_none=True, validate=validate.Range(min=0, max=1_000_000))
    is_active = fields.Boolean(dump_only=True)
    version = fields.Integer(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class EnterpriseUpdateSchema(Partial, EnterpriseSchema):
    """Every field optional; which ones a caller may change depends on its role."""


class EnterpriseQueryArgsSchema(PageArgsSchema):
    sector = fields.String(validate=validate.OneOf(_SECTORS))
    region_id = fields.UUID()
    street_id = fields.UUID()
    is_key = fields.Boolean()
    standardization_grade = fields.Integer(validate=validate.OneOf(STANDARDIZATION_GRADES))
    is_active = fields.Boolean()
    q = fields.String(validate=validate.Length(min=1, max=80))
