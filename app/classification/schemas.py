"""Request and response shapes of classification and its inputs."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates

from app.classification.models import LEVELS
from app.risks.rules.reference import accident_types
from app.web import BaseSchema, PageArgsSchema

_LEVEL = validate.OneOf(LEVELS)
_TEXT = validate.Length(min=1, max=4000)


class _Count(fields.Integer):
    def __init__(self, **kw):
        super().__init__(load_default=0, validate=validate.Range(min=0, max=10_000), **kw)


class AccidentSchema(BaseSchema):
    id = fields.UUID(dump_only=True)
    enterprise_id = fields.UUID(metadata={"description": "required for regulators"})
    occurred_on = fields.Date(required=True)
    type_code = fields.String(
        required=True, metadata={"description": "GB 6441-2025 code, e.g. WSA10009 (fire)"}
    )
    deaths = _Count()
    serious_injuries = _Count()
    minor_injuries = _Count()
    direct_loss = fields.Decimal(
        places=2, as_string=True, metadata={"description": "yuan, a decimal string; default 0"}
    )
    description = fields.String(required=True, validate=_TEXT)
    created_at = fields.DateTime(dump_only=True)
    version = fields.Integer(dump_only=True)

    @validates("type_code")
    def _type(self, value, **kwargs):
        if value not in {t.code for t in accident_types()}:
            raise ValidationError("not a GB 6441-2025 accident type code")

    @validates("direct_loss")
    def _loss(self, value, **kwargs):
        if value is not None and not (value.is_finite() and 0 <= value <= 10**12):
            raise ValidationError("must be between 0 and 10^12 yuan")


class EnterpriseArgsSchema(PageArgsSchema):
    enterprise_id = fields.UUID()


class _StoredDate(fields.Date):
    """A date kept as ISO text inside a JSON column: dumped as it is."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value if isinstance(value, str) else super()._serialize(value, attr, obj, **kwargs)


class SafetyConditionsSchema(BaseSchema):
    enterprise_id = fields.UUID(dump_only=True)
    principal_certificate_expires = fields.Date(allow_none=True)
    safety_manager_certificates = fields.List(
        _StoredDate(allow_none=True),
        load_default=list,
        validate=validate.Length(max=100),
        metadata={"description": "one expiry date per safety manager in post (null: none)"},
    )
    safety_managers_required = fields.Integer(load_default=1, validate=validate.Range(0, 100))
    special_operators_required = fields.Integer(load_default=0, validate=validate.Range(0, 10_000))
    special_operator_certificates = fields.List(
        _StoredDate(), load_default=list, validate=validate.Length(max=10_000)
    )
    insurance_expires = fields.Date(allow_none=True)
    updated_at = fields.DateTime(dump_only=True)
    version = fields.Integer(dump_only=True)


class PenaltySchema(BaseSchema):
    id = fields.UUID(dump_only=True)
    enterprise_id = fields.UUID(required=True)
    decided_on = fields.Date(required=True)
    amount = fields.Decimal(places=2, as_string=True, required=True)
    legal_basis = fields.String(required=True, validate=validate.Length(min=1, max=300))
    description = fields.String(allow_none=True, validate=validate.Length(max=4000))
    created_at = fields.DateTime(dump_only=True)

    @validates("amount")
    def _amount(self, value, **kwargs):
        if not (value.is_finite() and 0 <= value <= 10**12):
            raise ValidationError("must be between 0 and 10^12 yuan")


class BlacklistSchema(BaseSchema):
    id = fields.UUID(dump_only=True)
    enterprise_id = fields.UUID(required=True)
    reason = fields.String(required=True, validate=_TEXT)
    legal_basis = fields.String(required=True, validate=validate.Length(min=1, max=300))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    revoked_at = fields.DateTime(dump_only=True, allow_none=True)
    revoked_reason = fields.String(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)


class PublicBlacklistSchema(BaseSchema):
    enterprise_name = fields.String()
    uscc = fields.String()
    reason = fields.String()
    legal_basis = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()


class RevocationSchema(BaseSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class ClassificationSettingsSchema(BaseSchema):
    model = fields.Dict(
        allow_none=True,
        metadata={"description": "a scoring model (null: the product's default, version 2026.1)"},
    )
    rates = fields.Dict(keys=fields.String(validate=_LEVEL), values=fields.String())
    caps = fields.Dict(
        keys=fields.String(validate=_LEVEL), values=fields.Integer(validate=validate.Range(1, 52))
    )
    floors = fields.Dict(
        keys=fields.String(validate=_LEVEL),
        values=fields.Integer(validate=validate.Range(0, 52)),
        metadata={"description": "inspections at least per year, enforced by draws that ask"},
    )
    model_version = fields.String(dump_only=True)
    version = fields.Integer(dump_only=True)


class OverrideSchema(BaseSchema):
    level = fields.String(required=True, validate=_LEVEL)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class ClassSchema(BaseSchema):
    enterprise_id = fields.UUID(dump_only=True)
    enterprise_name = fields.String(dump_only=True)
    level = fields.String(dump_only=True, metadata={"description": "the computed class"})
    level_cn = fields.String(dump_only=True)
    effective_level = fields.String(
        dump_only=True, metadata={"description": "override or computed"}
    )
    total = fields.Decimal(as_string=True, dump_only=True)
    as_of = fields.Date(dump_only=True)
    model_version = fields.String(dump_only=True)
    changed_on = fields.Date(dump_only=True)
    previous_level = fields.String(dump_only=True, allow_none=True)
    override_level = fields.String(dump_only=True, allow_none=True)
    override_reason = fields.String(dump_only=True, allow_none=True)
    override_until = fields.Date(dump_only=True, allow_none=True)
    explanation = fields.Dict(dump_only=True)
    version = fields.Integer(dump_only=True)


class ClassQueryArgsSchema(PageArgsSchema):
    level = fields.String(validate=_LEVEL)
    sector = fields.String(validate=validate.Length(max=32))
    region_id = fields.UUID()
    changed_since = fields.Date()


class ClassResultSchema(BaseSchema):
    id = fields.UUID(dump_only=True)
    as_of = fields.Date(dump_only=True)
    model_version = fields.String(dump_only=True)
    total = fields.Decimal(as_string=True, dump_only=True)
    computed_level = fields.String(dump_only=True)
    level = fields.String(dump_only=True)
    explanation = fields.Dict(dump_only=True)


class ClassStatisticsArgsSchema(BaseSchema):
    by = fields.String(load_default="region", validate=validate.OneOf(["region", "sector"]))


class ClassStatisticsGroupSchema(BaseSchema):
    key = fields.String()
    name = fields.String()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())


class ClassStatisticsSchema(BaseSchema):
    by = fields.String()
    groups = fields.List(fields.Nested(ClassStatisticsGroupSchema))


class ClassificationRunSchema(BaseSchema):
    scored = fields.Integer()
    written = fields.Integer(metadata={"description": "results written (new or changed facts)"})
    changed = fields.Integer(metadata={"description": "enterprises whose class changed"})
