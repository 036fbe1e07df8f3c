from flask_smorest.fields import Upload
from marshmallow import fields, validate

from app.i18n import Text
from app.risks.rules import (
    AssessmentMethod,
    Color,
    ControlStatus,
    RiskLevel,
    RiskPointType,
)
from app.web import BaseSchema, PageArgsSchema, Partial, UTCDateTime

_METHODS = [m.value for m in AssessmentMethod]
_LEVELS = [v.value for v in RiskLevel]
_COLORS = [c.value for c in Color]


class AssessmentSchema(BaseSchema):
    """One assessment: LEC (l, e, c), LS (l, s) or DIRECT (reason). Only the standard values
    of each factor are accepted; a 422 names the allowed values."""

    method = fields.String(required=True, validate=validate.OneOf(_METHODS))
    l = fields.Float(allow_nan=False, metadata={"description": "LEC L or LS L"})  # noqa: E741
    e = fields.Float(allow_nan=False, metadata={"description": "LEC E"})
    c = fields.Float(allow_nan=False, metadata={"description": "LEC C"})
    s = fields.Float(allow_nan=False, metadata={"description": "LS S"})
    reason = fields.String(
        validate=validate.Length(min=1, max=500),
        metadata={"description": "DIRECT: why the risk is major outright"},
    )


class EvaluationSchema(BaseSchema):
    score = fields.Float(allow_none=True, required=True)
    level = fields.String(required=True, validate=validate.OneOf(_LEVELS))
    color = fields.String(required=True, validate=validate.OneOf(_COLORS))
    control_tier = fields.String(required=True)


class MeasuresSchema(BaseSchema):
    engineering = fields.String(allow_none=True, validate=validate.Length(max=1000))
    management = fields.String(allow_none=True, validate=validate.Length(max=1000))
    training = fields.String(allow_none=True, validate=validate.Length(max=1000))
    ppe = fields.String(allow_none=True, validate=validate.Length(max=1000))
    emergency = fields.String(allow_none=True, validate=validate.Length(max=1000))


class RiskPointSchema(BaseSchema):
    id = fields.UUID(dump_only=True)
    enterprise_id = fields.UUID(dump_only=True)
    code = fields.String(allow_none=True, validate=validate.Length(max=40))
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    area = fields.String(allow_none=True, validate=validate.Length(max=120))
    point_type = fields.String(
        required=True, validate=validate.OneOf([t.value for t in RiskPointType])
    )
    activity = fields.String(allow_none=True, validate=validate.Length(max=200))
    hazard_factors = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    accident_types = fields.List(
        fields.String(validate=validate.Length(max=20)),
        load_default=list,
        validate=validate.Length(max=27),
        metadata={"description": "GB 6441-2025 codes, e.g. WSA10009"},
    )
    inherent = fields.Nested(AssessmentSchema, required=True)
    residual = fields.Nested(AssessmentSchema, required=True)
    measures = fields.Nested(MeasuresSchema, load_default=dict)
    responsible_department = fields.String(allow_none=True, validate=validate.Length(max=60))
    responsible_person = fields.String(allow_none=True, validate=validate.Length(max=60))
    control_status = fields.String(validate=validate.OneOf([s.value for s in ControlStatus]))
    inherent_score = fields.Float(dump_only=True, allow_none=True)
    inherent_level = fields.String(dump_only=True)
    residual_score = fields.Float(dump_only=True, allow_none=True)
    residual_level = fields.String(dump_only=True)
    color = fields.String(dump_only=True)
    control_tier = fields.String(dump_only=True)
    grading_version = fields.String(dump_only=True)
    is_active = fields.Boolean(dump_only=True)
    version = fields.Integer(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class RiskPointUpdateSchema(Partial, RiskPointSchema):
    pass


class RiskPointQueryArgsSchema(PageArgsSchema):
    point_type = fields.String(validate=validate.OneOf([t.value for t in RiskPointType]))
    residual_level = fields.String(validate=validate.OneOf(_LEVELS))
    color = fields.String(validate=validate.OneOf(_COLORS))
    control_status = fields.String(validate=validate.OneOf([s.value for s in ControlStatus]))
    is_active = fields.Boolean()
    q = fields.String(validate=validate.Length(min=1, max=80))


class ImportFileSchema(BaseSchema):
    file = Upload(required=True, metadata={"description": "the filled .xlsx template"})


class ImportArgsSchema(BaseSchema):
    mode = fields.String(
        load_default="append",
        validate=validate.OneOf(["append", "replace"]),
        metadata={"description": "replace: deactivate the current points first"},
    )


class ImportResultSchema(BaseSchema):
    imported = fields.Integer(required=True)
    deactivated = fields.Integer(required=True)


class RiskSettingsSchema(BaseSchema):
    grading = fields.Dict(
        required=True,
        metadata={
            "description": "bands for LEC and LS and the control tier of each level; see "
            "GET for the current convention, the default documented in the README"
        },
    )
    version = fields.Integer(dump_only=True)


class RiskListVersionSchema(BaseSchema):
    id = fields.UUID(dump_only=True)
    enterprise_id = fields.UUID(dump_only=True)
    number = fields.Integer(dump_only=True)
    published_at = fields.DateTime(dump_only=True)
    published_by = fields.UUID(dump_only=True, allow_none=True)
    published_by_name = fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "the publisher's display name where the caller's scope reads it"},
    )
    point_count = fields.Integer(dump_only=True)
    highest_level = fields.String(dump_only=True, allow_none=True)
    is_current = fields.Boolean(dump_only=True)


class RiskListQueryArgsSchema(PageArgsSchema):
    enterprise_id = fields.UUID()
    is_current = fields.Boolean()


class RiskListEntrySchema(BaseSchema):
    id = fields.UUID(dump_only=True)
    risk_point_id = fields.UUID(dump_only=True)
    data = fields.Dict(dump_only=True, metadata={"description": "the risk point as published"})


class ReasonSchema(BaseSchema):
    rule = fields.String(required=True)
    color = fields.String(required=True)
    detail = Text(
        required=True,
        metadata={"description": "why, in the caller's language (Chinese by default)"},
    )
    facts = fields.Dict(required=True)


class RiskColorSchema(BaseSchema):
    enterprise_id = fields.UUID(required=True)
    enterprise_name = fields.String(required=True)
    color = fields.String(required=True)
    reasons = fields.List(fields.Nested(ReasonSchema), required=True)
    rule_version = fields.String(required=True)
    inputs_digest = fields.String(required=True)
    computed_at = fields.DateTime(required=True)
    changed_at = fields.DateTime(required=True)


class ColorQueryArgsSchema(PageArgsSchema):
    color = fields.String(validate=validate.OneOf(_COLORS))
    sector = fields.String(validate=validate.Length(max=32))
    street_id = fields.UUID()
    region_id = fields.UUID()


class MapFilterArgsSchema(BaseSchema):
    sector = fields.String(validate=validate.Length(max=32))
    street_id = fields.UUID()
    region_id = fields.UUID()


class SummaryArgsSchema(BaseSchema):
    by = fields.String(
        load_default="region", validate=validate.OneOf(["region", "sector", "authority"])
    )


class ColorCountsSchema(BaseSchema):
    red = fields.Integer(required=True)
    orange = fields.Integer(required=True)
    yellow = fields.Integer(required=True)
    blue = fields.Integer(required=True)


class SummaryGroupSchema(BaseSchema):
    key = fields.String(required=True)
    name = fields.String(allow_none=True)
    kind = fields.String()
    color = fields.String(allow_none=True, required=True)
    counts = fields.Nested(ColorCountsSchema, required=True)
    ungraded = fields.Integer(required=True)


class SummarySchema(BaseSchema):
    by = fields.String(required=True)
    groups = fields.List(fields.Nested(SummaryGroupSchema), required=True)


class RiskGradeSchema(BaseSchema):
    id = fields.UUID(dump_only=True)
    enterprise_id = fields.UUID(dump_only=True)
    color = fields.String(dump_only=True)
    previous_color = fields.String(dump_only=True, allow_none=True)
    reasons = fields.List(fields.Nested(ReasonSchema), dump_only=True)
    rule_version = fields.String(dump_only=True)
    inputs_digest = fields.String(dump_only=True)
    computed_at = fields.DateTime(dump_only=True)


class ChangesArgsSchema(PageArgsSchema):
    since = UTCDateTime(required=True, metadata={"description": "ISO 8601 with offset"})


class RecomputeRequestedSchema(BaseSchema):
    status = fields.String(required=True)
