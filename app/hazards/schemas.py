from marshmallow import ValidationError, fields, validate

from app.hazards.rules import UNIT_KINDS
from app.hazards.rules.register import FilingStatus, Reevaluation
from app.web import BaseSchema, PageArgsSchema, Partial


class CategoryField(fields.Field):
    """One hazard-category symbol ("W5.3") or a list of them."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and 0 < len(value) <= 10:
            return value
        if (
            isinstance(value, list)
            and 0 < len(value) <= 10
            and all(isinstance(v, str) and 0 < len(v) <= 10 for v in value)
        ):
            return value
        raise ValidationError("a category symbol such as W5.3, or a list of them")


class SubstanceSchema(BaseSchema):
    cas = fields.String(validate=validate.Length(min=1, max=20), metadata={"example": "7782-50-5"})
    name = fields.String(validate=validate.Length(min=1, max=60), metadata={"example": "氯气"})
    category = CategoryField(
        metadata={
            "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
            "description": "GB 18218 Table 2 symbol (J1…W11), or a list; with cas/name it "
            "states the category used for β",
        }
    )
    # Checked by the engine, with every other substance problem, so one 422 names them all.
    quantity_t = fields.Raw(
        metadata={
            "type": "number",
            "minimum": 0,
            "description": "design maximum quantity, tonnes (required)",
        },
    )


class AssessRequestSchema(BaseSchema):
    unit_kind = fields.String(required=True, validate=validate.OneOf(UNIT_KINDS))
    exposed_population = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=0, max=10_000_000),
        metadata={"description": "people within 500 m outside the plant boundary"},
    )
    substances = fields.List(
        fields.Nested(SubstanceSchema), required=True, validate=validate.Length(min=1, max=200)
    )


class CategoryUseSchema(BaseSchema):
    symbol = fields.String(required=True)
    origin = fields.String(required=True)


class TermSchema(BaseSchema):
    index = fields.Integer(required=True)
    cas = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    table1_seq = fields.Integer(allow_none=True)
    categories = fields.List(fields.Nested(CategoryUseSchema))
    quantity_t = fields.Float()
    critical_quantity_t = fields.Float()
    q_source = fields.String()
    q_category = fields.String(allow_none=True)
    ratio = fields.Float()
    beta = fields.Float()
    beta_source = fields.String()
    beta_category = fields.String(allow_none=True)
    beta_category_origin = fields.String(allow_none=True)
    beta_ratio = fields.Float()


class AssessmentResultSchema(BaseSchema):
    sum_ratio = fields.Float(required=True)
    is_major = fields.Boolean(required=True)
    alpha = fields.Float(required=True)
    alpha_band = fields.String(required=True)
    r_value = fields.Float(required=True)
    level = fields.Integer(allow_none=True, required=True)
    terms = fields.List(fields.Nested(TermSchema), required=True)
    data_version = fields.String(required=True)


_PERSON = {"allow_none": True, "validate": validate.Length(max=60)}
_PHONE = {"allow_none": True, "validate": validate.Length(max=30)}


class HazardSourceSchema(BaseSchema):
    id = fields.UUID(dump_only=True)
    enterprise_id = fields.UUID(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    unit_kind = fields.String(required=True, validate=validate.OneOf(UNIT_KINDS))
    location = fields.String(allow_none=True, validate=validate.Length(max=200))
    exposed_population = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=0, max=10**7)
    )
    substances = fields.List(
        fields.Nested(SubstanceSchema), required=True, validate=validate.Length(min=1, max=200)
    )
    principal_name = fields.String(**_PERSON)
    principal_phone = fields.String(**_PHONE)
    technical_name = fields.String(**_PERSON)
    technical_phone = fields.String(**_PHONE)
    operational_name = fields.String(**_PERSON)
    operational_phone = fields.String(**_PHONE)
    continuous_monitoring = fields.Boolean(load_default=False)
    gas_detection = fields.Boolean(load_default=False)
    emergency_shutdown = fields.Boolean(load_default=False)
    last_evaluated_on = fields.Date(allow_none=True)
    reevaluation_due_on = fields.Date(dump_only=True, allow_none=True)
    filing_due_on = fields.Date(dump_only=True, allow_none=True)
    change_pending = fields.Boolean(dump_only=True)
    is_major = fields.Boolean(dump_only=True)
    level = fields.Integer(dump_only=True, allow_none=True)
    sum_ratio = fields.Float(dump_only=True)
    r_value = fields.Float(dump_only=True)
    data_version = fields.String(dump_only=True)
    result = fields.Nested(AssessmentResultSchema, dump_only=True)
    filing_status = fields.String(dump_only=True)
    filing_note = fields.String(dump_only=True, allow_none=True)
    submitted_at = fields.DateTime(dump_only=True, allow_none=True)
    filed_at = fields.DateTime(dump_only=True, allow_none=True)
    reevaluation_status = fields.String(dump_only=True)
    filing_overdue = fields.Boolean(dump_only=True)
    monitoring_gaps = fields.List(fields.String(), dump_only=True)
    is_active = fields.Boolean(dump_only=True)
    version = fields.Integer(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class HazardSourceUpdateSchema(Partial, HazardSourceSchema):
    pass


class FilingDecisionSchema(BaseSchema):
    note = fields.String(validate=validate.Length(min=1, max=500))


class ReturnDecisionSchema(BaseSchema):
    note = fields.String(
        required=True,
        validate=validate.Length(min=1, max=500),
        metadata={"description": "why the filing is returned"},
    )


class HazardSourceQueryArgsSchema(PageArgsSchema):
    enterprise_id = fields.UUID()
    level = fields.Integer(validate=validate.Range(min=1, max=4))
    is_major = fields.Boolean()
    unit_kind = fields.String(validate=validate.OneOf(UNIT_KINDS))
    sector = fields.String(validate=validate.Length(max=32))
    region_id = fields.UUID()
    street_id = fields.UUID()
    filing_status = fields.String(validate=validate.OneOf([s.value for s in FilingStatus]))
    filing_overdue = fields.Boolean()
    reevaluation = fields.String(validate=validate.OneOf([s.value for s in Reevaluation]))
    monitoring_gap = fields.Boolean()
    missing_shutdown = fields.Boolean(
        metadata={"description": "level 1 or 2 without emergency shutdown (required for them)"}
    )
    is_active = fields.Boolean()
    q = fields.String(validate=validate.Length(min=1, max=80))


class HazardExportArgsSchema(HazardSourceQueryArgsSchema):
    """The list's filters; the export is not paged."""

    class Meta:
        exclude = ("limit", "cursor")


class HazardAssessmentSchema(BaseSchema):
    id = fields.UUID(dump_only=True)
    hazard_source_id = fields.UUID(dump_only=True)
    computed_at = fields.DateTime(dump_only=True)
    computed_by = fields.UUID(dump_only=True, allow_none=True)
    inputs_digest = fields.String(dump_only=True)
    is_major = fields.Boolean(dump_only=True)
    level = fields.Integer(dump_only=True, allow_none=True)
    r_value = fields.Float(dump_only=True)
    data_version = fields.String(dump_only=True)
    result = fields.Nested(AssessmentResultSchema, dump_only=True)


class ChemicalQueryArgsSchema(BaseSchema):
    q = fields.String(
        validate=validate.Length(min=1, max=60),
        metadata={"description": "part of a name, an alias or a CAS number"},
    )


class ChemicalSchema(BaseSchema):
    seq = fields.Integer(required=True, metadata={"description": "row of Table 1"})
    name = fields.String(required=True, metadata={"description": "send it as a substance's `name`"})
    name_en = fields.String(required=True)
    aliases = fields.List(fields.String(), required=True)
    cas = fields.List(fields.String(), required=True)
    critical_quantity_t = fields.Float(required=True, metadata={"description": "Q, tonnes"})
    table3_beta = fields.Float(
        allow_none=True, required=True, metadata={"description": "β of Table 3 (toxic gases)"}
    )
    default_categories = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "Table 2 symbols used for β when Table 3 has none"},
    )


class ChemicalListSchema(BaseSchema):
    data_version = fields.String(required=True)
    items = fields.List(fields.Nested(ChemicalSchema), required=True)
