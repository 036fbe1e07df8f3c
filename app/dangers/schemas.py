"""Request and response shapes of the hidden-danger ledger, tip-offs and notifications."""

from __future__ import annotations

import datetime as dt

from marshmallow import ValidationError, fields, validate, validates, validates_schema

from app import files
from app.dangers import rules
from app.dangers.models import EVIDENCE_STATUSES, STAGES, TIP_OFF_STATUSES
from app.messages import Msg
from app.web import BaseSchema, PageArgsSchema, Partial, UTCDateTime


def _one_of(enum) -> validate.OneOf:
    return validate.OneOf([str(m) for m in enum])


_TEXT = {"validate": validate.Length(min=1, max=200)}
_LONG = {"validate": validate.Length(max=4000), "allow_none": True}
STEPS = [
    str(a)
    for a in (
        rules.Action.START_RECTIFICATION,
        rules.Action.SUBMIT_FOR_ACCEPTANCE,
        rules.Action.ACCEPT,
        rules.Action.REJECT,
        rules.Action.CLOSE,
        rules.Action.CANCEL,
    )
]


class _PlanDate(fields.Date):
    """The plan is stored as JSON, its deadline as an ISO string: dumped as it is."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value if isinstance(value, str) else super()._serialize(value, attr, obj, **kwargs)


class PlanSchema(BaseSchema):
    """The rectification plan; a major one needs all five before rectification starts."""

    measures = fields.String(validate=validate.Length(max=4000), allow_none=True)
    responsible_person = fields.String(validate=validate.Length(max=60), allow_none=True)
    funds = fields.Decimal(
        places=2,
        allow_none=True,
        as_string=True,
        metadata={"description": "yuan secured for the fix, 0 to 10^12 (a decimal string)"},
    )
    deadline = _PlanDate(allow_none=True)
    contingency_plan = fields.String(validate=validate.Length(max=4000), allow_none=True)

    @validates("funds")
    def _funds(self, value, **kwargs):
        # Checked here rather than with a Range: a Decimal bound would be documented as a
        # string, which is not a valid OpenAPI maximum.
        if value is not None and not (value.is_finite() and 0 <= value <= 10**12):
            raise ValidationError("must be between 0 and 10^12 yuan")


class HiddenDangerSchema(BaseSchema):
    id = fields.UUID(dump_only=True)
    enterprise_id = fields.UUID(metadata={"description": "required for authority staff"})
    client_id = fields.UUID(
        allow_none=True,
        metadata={"description": "the client's own id: a retried create returns the same entry"},
    )
    title = fields.String(required=True, **_TEXT)
    description = fields.String(**_LONG)
    location = fields.String(validate=validate.Length(max=200), allow_none=True)
    category = fields.String(required=True, validate=_one_of(rules.Category))
    severity = fields.String(required=True, validate=_one_of(rules.Severity))
    criterion_code = fields.String(validate=validate.Length(max=16), allow_none=True)
    source = fields.String(validate=_one_of(rules.Source))
    source_ref = fields.UUID(allow_none=True)
    found_at = UTCDateTime()
    found_by = fields.String(validate=validate.Length(min=1, max=60))
    deadline = fields.Date()
    plan = fields.Nested(PlanSchema, allow_none=True)
    # Read-only
    reported_by = fields.UUID(dump_only=True, allow_none=True)
    state = fields.String(dump_only=True)
    state_changed_at = UTCDateTime(dump_only=True)
    original_deadline = fields.Date(dump_only=True)
    supervised_at = UTCDateTime(dump_only=True, allow_none=True)
    extension_pending = fields.Boolean(dump_only=True)
    overdue_since = fields.Date(dump_only=True, allow_none=True)
    overdue = fields.Boolean(dump_only=True)
    days_overdue = fields.Integer(dump_only=True)
    allowed_actions = fields.List(fields.String(), dump_only=True)
    closed_at = UTCDateTime(dump_only=True, allow_none=True)
    closed_on_time = fields.Boolean(dump_only=True, allow_none=True)
    created_at = UTCDateTime(dump_only=True)
    version = fields.Integer(dump_only=True)


class HiddenDangerUpdateSchema(Partial, BaseSchema):
    title = fields.String(**_TEXT)
    description = fields.String(**_LONG)
    location = fields.String(validate=validate.Length(max=200), allow_none=True)
    category = fields.String(validate=_one_of(rules.Category))
    severity = fields.String(validate=_one_of(rules.Severity))
    criterion_code = fields.String(validate=validate.Length(max=16), allow_none=True)
    deadline = fields.Date(metadata={"description": "authority staff, before rectification"})
    plan = fields.Nested(PlanSchema, allow_none=True)
    reason = fields.String(
        validate=validate.Length(min=1, max=2000),
        metadata={"description": "why; required to downgrade a major hidden danger"},
    )


class HiddenDangerQueryArgsSchema(PageArgsSchema):
    enterprise_id = fields.UUID()
    region_id = fields.UUID()
    state = fields.String(validate=_one_of(rules.State))
    severity = fields.String(validate=_one_of(rules.Severity))
    source = fields.String(validate=_one_of(rules.Source))
    category = fields.String(validate=_one_of(rules.Category))
    open = fields.Boolean()
    overdue = fields.Boolean()
    supervised = fields.Boolean()
    found_from = UTCDateTime()
    found_to = UTCDateTime()
    due_by = fields.Date(
        metadata={
            "description": "deadline on or before this date (with open=true&overdue=false: "
            "due within the next days)"
        }
    )
    q = fields.String(validate=validate.Length(min=1, max=100))


class HiddenDangerExportArgsSchema(HiddenDangerQueryArgsSchema):
    class Meta:
        exclude = ("limit", "cursor")


class TransitionSchema(BaseSchema):
    action = fields.String(required=True, validate=validate.OneOf(STEPS))
    reason = fields.String(validate=validate.Length(max=2000), allow_none=True)
    plan = fields.Nested(PlanSchema, allow_none=True)


class DangerEventSchema(BaseSchema):
    id = fields.UUID()
    action = fields.String()
    from_state = fields.String(allow_none=True)
    to_state = fields.String(allow_none=True)
    actor_id = fields.UUID(allow_none=True)
    actor_kind = fields.String()
    actor_name = fields.String(
        allow_none=True,
        metadata={"description": "the actor's name where the caller may see that account"},
    )
    reason = fields.String(allow_none=True)
    details = fields.Dict(allow_none=True)
    at = UTCDateTime()


class ExtensionRequestSchema(BaseSchema):
    requested_on = fields.Date(
        metadata={"description": "date of the written request; today if absent"}
    )
    new_deadline = fields.Date(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class ExtensionDecisionSchema(BaseSchema):
    granted = fields.Boolean(required=True)
    new_deadline = fields.Date(allow_none=True)
    reason = fields.String(validate=validate.Length(max=2000), allow_none=True)


class ExtensionSchema(BaseSchema):
    id = fields.UUID()
    danger_id = fields.UUID()
    requested_on = fields.Date()
    requested_deadline = fields.Date()
    previous_deadline = fields.Date()
    reason = fields.String()
    requested_by = fields.UUID(allow_none=True)
    answer_due_on = fields.Date()
    status = fields.String()
    decided_by = fields.UUID(allow_none=True)
    decided_at = UTCDateTime(allow_none=True)
    granted_deadline = fields.Date(allow_none=True)
    decision_reason = fields.String(allow_none=True)


class EvidenceSchema(BaseSchema):
    id = fields.UUID()
    danger_id = fields.UUID()
    stage = fields.String(validate=validate.OneOf(STAGES))
    status = fields.String(validate=validate.OneOf(EVIDENCE_STATUSES))
    filename = fields.String()
    content_type = fields.String(allow_none=True)
    size = fields.Integer(allow_none=True)
    sha256 = fields.String(allow_none=True)
    width = fields.Integer(allow_none=True)
    height = fields.Integer(allow_none=True)
    uploaded_by = fields.UUID(allow_none=True)
    rejected_reason = fields.String(allow_none=True)
    created_at = UTCDateTime()


class EvidenceUploadArgsSchema(BaseSchema):
    stage = fields.String(required=True, validate=validate.OneOf(STAGES))


class FileSchema(BaseSchema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class PresignRequestSchema(BaseSchema):
    stage = fields.String(required=True, validate=validate.OneOf(STAGES))
    filename = fields.String(required=True, validate=validate.Length(min=1, max=200))
    content_type = fields.String(
        required=True, validate=validate.OneOf(sorted(files.ALLOWED_TYPES))
    )


class PresignedUploadSchema(BaseSchema):
    evidence = fields.Nested(EvidenceSchema)
    url = fields.String()
    fields_ = fields.Dict(
        data_key="fields", attribute="fields", keys=fields.String(), values=fields.String()
    )
    expires_in = fields.Integer()


class DownloadSchema(BaseSchema):
    url = fields.String(required=True)
    expires_in = fields.Integer(required=True)
    filename = fields.String(required=True)


# --- tip-offs ---------------------------------------------------------------------------------


class PublicAuthoritySchema(BaseSchema):
    id = fields.UUID()
    name = fields.String()


class TipOffSubmitSchema(BaseSchema):
    enterprise_name = fields.String(validate=validate.Length(min=1, max=200), allow_none=True)
    address = fields.String(validate=validate.Length(min=1, max=200), allow_none=True)
    description = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    contact = fields.String(validate=validate.Length(max=100), allow_none=True)


class TipOffReceiptSchema(BaseSchema):
    follow_up_code = fields.String(required=True, metadata={"description": "shown once: keep it"})
    authority_id = fields.UUID(required=True)
    status = fields.String(required=True)


class TipOffPublicStatusSchema(BaseSchema):
    status = fields.String(validate=validate.OneOf(TIP_OFF_STATUSES))
    received_at = UTCDateTime()
    triaged_at = UTCDateTime(allow_none=True)
    dismissed_reason = fields.String(allow_none=True)
    rectification_state = fields.String(allow_none=True)
    has_photo = fields.Boolean()


class TipOffSchema(BaseSchema):
    id = fields.UUID()
    enterprise_name = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    description = fields.String()
    contact = fields.String(
        allow_none=True, metadata={"description": "regulators only; null for others"}
    )
    status = fields.String()
    triaged_by = fields.UUID(allow_none=True)
    triaged_at = UTCDateTime(allow_none=True)
    dismissed_reason = fields.String(allow_none=True)
    enterprise_id = fields.UUID(allow_none=True)
    danger_id = fields.UUID(allow_none=True)
    has_photo = fields.Boolean()
    created_at = UTCDateTime()
    version = fields.Integer()


class TipOffQueryArgsSchema(PageArgsSchema):
    status = fields.String(validate=validate.OneOf(TIP_OFF_STATUSES))


class DismissSchema(BaseSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class TipOffConvertSchema(BaseSchema):
    enterprise_id = fields.UUID(required=True)
    title = fields.String(required=True, **_TEXT)
    # Required, and written by the regulator: the reporter's own words (which may name them)
    # never reach the enterprise's ledger.
    description = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    location = fields.String(validate=validate.Length(max=200), allow_none=True)
    category = fields.String(required=True, validate=_one_of(rules.Category))
    severity = fields.String(required=True, validate=_one_of(rules.Severity))
    criterion_code = fields.String(validate=validate.Length(max=16), allow_none=True)
    deadline = fields.Date()


class TipOffConvertedSchema(BaseSchema):
    tip_off = fields.Nested(TipOffSchema)
    hidden_danger = fields.Nested(HiddenDangerSchema)


# --- notifications and reports ----------------------------------------------------------------


class NotificationSchema(BaseSchema):
    id = fields.UUID()
    kind = fields.String()
    title = fields.String()
    body = fields.String(allow_none=True)
    danger_id = fields.UUID(allow_none=True)
    created_at = UTCDateTime()
    read_at = UTCDateTime(allow_none=True)


class NotificationQueryArgsSchema(PageArgsSchema):
    unread = fields.Boolean()


class MarkedSchema(BaseSchema):
    marked = fields.Integer(required=True)


def _this_year() -> int:
    return rules.local_day(dt.datetime.now(dt.UTC)).year


class PeriodArgsSchema(BaseSchema):
    year = fields.Integer(
        load_default=_this_year,
        validate=validate.Range(min=2000, max=2100),
        metadata={"description": "this year (Asia/Shanghai) when absent"},
    )
    quarter = fields.Integer(validate=validate.Range(min=1, max=4), allow_none=True)
    enterprise_id = fields.UUID()


class StatisticsSchema(BaseSchema):
    year = fields.Integer()
    quarter = fields.Integer(allow_none=True)
    period_start = fields.Date()
    period_end = fields.Date()
    totals = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_severity = fields.Dict(keys=fields.String(), values=fields.Dict())
    by_source = fields.Dict(keys=fields.String(), values=fields.Integer())


class ReportSubmitSchema(BaseSchema):
    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    quarter = fields.Integer(validate=validate.Range(min=1, max=4), allow_none=True)
    principal_name = fields.String(required=True, validate=validate.Length(min=1, max=60))
    confirm = fields.Boolean(
        required=True, metadata={"description": "the principal signs off: must be true"}
    )

    @validates_schema
    def _signed(self, data, **kwargs):
        if data.get("confirm") is not True:
            raise ValidationError({"confirm": [Msg("the principal must confirm the figures")]})


class ReportSchema(BaseSchema):
    id = fields.UUID()
    enterprise_id = fields.UUID()
    year = fields.Integer()
    quarter = fields.Integer(allow_none=True)
    figures = fields.Dict()
    principal_name = fields.String()
    signed_by = fields.UUID(allow_none=True)
    submitted_at = UTCDateTime()
    due_on = fields.Date()
    on_time = fields.Boolean()


class ReportQueryArgsSchema(PageArgsSchema):
    enterprise_id = fields.UUID()
    year = fields.Integer(validate=validate.Range(min=2000, max=2100))
    quarter = fields.Integer(validate=validate.Range(min=0, max=4))
