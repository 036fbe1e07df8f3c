from marshmallow import fields

from app.classification.schemas import ClassSchema
from app.dangers.schemas import NotificationSchema
from app.risks.schemas import ReasonSchema
from app.web import BaseSchema, UTCDateTime


class EnterpriseRefSchema(BaseSchema):
    id = fields.UUID(required=True)
    name = fields.String(required=True)


class GradeSchema(BaseSchema):
    color = fields.String(required=True, metadata={"description": "red / orange / yellow / blue"})
    reasons = fields.List(
        fields.Nested(ReasonSchema),
        required=True,
        metadata={"description": "every rule that fired; those of the grade's color decide it"},
    )
    rule_version = fields.String(required=True)
    computed_at = UTCDateTime(required=True)
    changed_at = UTCDateTime(required=True)


class DangerDueSchema(BaseSchema):
    id = fields.UUID(required=True)
    title = fields.String(required=True)
    severity = fields.String(required=True)
    state = fields.String(required=True)
    deadline = fields.Date(required=True)
    days_left = fields.Integer(
        required=True, metadata={"description": "days to the deadline; negative when overdue"}
    )
    extension_pending = fields.Boolean(required=True)
    supervised = fields.Boolean(required=True, metadata={"description": "挂牌督办"})


class DangerListSchema(BaseSchema):
    count = fields.Integer(required=True)
    items = fields.List(
        fields.Nested(DangerDueSchema),
        required=True,
        metadata={"description": "the first few, earliest deadline first"},
    )


class DangerTodosSchema(BaseSchema):
    open_count = fields.Integer(required=True)
    window_days = fields.Integer(required=True)
    due_soon_until = fields.Date(
        required=True, metadata={"description": "due soon: deadline from today to this date"}
    )
    overdue = fields.Nested(DangerListSchema, required=True)
    due_soon = fields.Nested(DangerListSchema, required=True)


class HazardTodoSchema(BaseSchema):
    id = fields.UUID(required=True)
    name = fields.String(required=True)
    level = fields.Integer(allow_none=True, required=True)
    is_major = fields.Boolean(required=True)
    filing_status = fields.String(required=True)
    filing_note = fields.String(
        allow_none=True, required=True, metadata={"description": "the regulator's reason"}
    )
    filing_due_on = fields.Date(allow_none=True, required=True)
    reevaluation_status = fields.String(required=True)
    reevaluation_due_on = fields.Date(allow_none=True, required=True)
    updated_at = UTCDateTime(required=True)


class HazardListSchema(BaseSchema):
    count = fields.Integer(required=True)
    items = fields.List(fields.Nested(HazardTodoSchema), required=True)


class ReevaluationListSchema(HazardListSchema):
    overdue = fields.Integer(required=True)
    missing = fields.Integer(required=True, metadata={"description": "never evaluated"})
    due_soon = fields.Integer(required=True)


class HazardTodosSchema(BaseSchema):
    active_count = fields.Integer(required=True)
    major_count = fields.Integer(required=True)
    submitted_count = fields.Integer(required=True)
    returned = fields.Nested(
        HazardListSchema, required=True, metadata={"description": "filings returned, with reasons"}
    )
    filing_overdue = fields.Nested(HazardListSchema, required=True)
    reevaluation_due = fields.Nested(
        ReevaluationListSchema,
        required=True,
        metadata={"description": "major hazard sources: evaluation overdue, missing or due soon"},
    )


class NotificationTodosSchema(BaseSchema):
    unread_count = fields.Integer(required=True)
    latest = fields.List(fields.Nested(NotificationSchema), required=True)


class DashboardSchema(BaseSchema):
    enterprise = fields.Nested(EnterpriseRefSchema, required=True)
    as_of = fields.Date(required=True, metadata={"description": "today in Asia/Shanghai"})
    sections = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "the sections this role gets; the others are null"},
    )
    grade = fields.Nested(
        GradeSchema, allow_none=True, required=True, metadata={"description": "null: not graded"}
    )
    classification = fields.Nested(
        ClassSchema,
        allow_none=True,
        required=True,
        metadata={"description": "explanation only for the enterprise admin"},
    )
    hidden_dangers = fields.Nested(DangerTodosSchema, allow_none=True, required=True)
    hazard_sources = fields.Nested(HazardTodosSchema, allow_none=True, required=True)
    notifications = fields.Nested(NotificationTodosSchema, allow_none=True, required=True)
